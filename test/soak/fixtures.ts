/** Synthetic soak series whose trends are known by construction. */
import type { SoakPoint } from '../../src/soak/series.js';

const T0 = Date.UTC(2026, 0, 1);

/** Points whose type counts come from `f(round)`; each object is 32 bytes. */
export function points(
  n: number,
  f: (round: number) => Record<string, number>,
  opts: { labels?: string[]; timed?: boolean; minutes?: number } = {},
): SoakPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const types = f(i);
    const stats = Object.entries(types).map(([name, count]) => ({ name, count, bytes: count * 32 }));
    const objects = stats.reduce((a, s) => a + s.count, 0);
    return {
      label: opts.labels?.[i] ?? (i === 0 ? 'warmup' : `round-${i}`),
      source: `r${i}.gcdump`,
      ...(opts.timed === false ? {} : { time: T0 + i * (opts.minutes ?? 10) * 60_000 }),
      stats,
      totals: { objects, bytes: objects * 32 },
      estimateReasons: [],
    };
  });
}
