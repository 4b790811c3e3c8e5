/**
 * Per-type history over recorded baselines (one per commit, oldest first), and where a type's level
 * changed: the split of the series that explains most of its variance. The commit range is
 * (the last commit before the split, the first after it]: where the regression (or the fix) began.
 */
import { canonicalTypeName } from '../model/typeNames.js';
import { typeFilter } from '../model/typeMatch.js';

export interface HistoryPoint {
  commit: string;
  /** Commit or recording date, ISO 8601. */
  date: string;
  types: Readonly<Record<string, { count: number; bytes: number }>>;
  totals: { objects: number; bytes: number };
}

export interface LevelChange {
  /** Index of the first point at the new level. */
  index: number;
  /** Median after minus median before. */
  count: number;
  bytes: number;
  before: { commit: string; date: string };
  after: { commit: string; date: string };
}

export interface TypeHistory {
  name: string;
  count: number[];
  bytes: number[];
  change?: LevelChange;
}

export interface History {
  points: { commit: string; date: string }[];
  total: TypeHistory;
  /** Types whose level changed beyond the floor, largest change in count first. */
  changed: TypeHistory[];
}

export interface HistoryOptions {
  /** Only types matching (substring or glob, as `stat --type`). */
  type?: string;
  /** Only these types (canonical names): the soak report asks about its failing types alone. */
  names?: readonly string[];
  /** A level change smaller than this is noise: at least `count` objects and `pct` of the level before. */
  floor?: { count: number; pct: number };
  top?: number;
}

const DEFAULT_FLOOR = { count: 100, pct: 10 };

export function buildHistory(points: readonly HistoryPoint[], opts: HistoryOptions = {}): History {
  const floor = opts.floor ?? DEFAULT_FLOOR;
  const n = points.length;
  const series = new Map<string, { count: number[]; bytes: number[] }>();
  points.forEach((p, j) => {
    for (const [raw, v] of Object.entries(p.types)) {
      const name = canonicalTypeName(raw);
      let s = series.get(name);
      if (!s) {
        s = { count: new Array<number>(n).fill(0), bytes: new Array<number>(n).fill(0) };
        series.set(name, s);
      }
      s.count[j] += v.count;
      s.bytes[j] += v.bytes;
    }
  });
  const wanted = opts.names ? new Set(opts.names.map((n) => canonicalTypeName(n))) : undefined;
  const byType = opts.type === undefined ? () => true : typeFilter(opts.type);
  const match = (name: string) => byType(name) && (wanted === undefined || wanted.has(name));
  const changed: TypeHistory[] = [];
  for (const [name, s] of series) {
    if (!match(name)) continue;
    const change = levelChange(s.count, s.bytes, points, floor);
    if (change) changed.push({ name, ...s, change });
  }
  changed.sort((a, b) => Math.abs(b.change!.count) - Math.abs(a.change!.count) || (a.name < b.name ? -1 : 1));
  const totalCount = points.map((p) => p.totals.objects);
  const totalBytes = points.map((p) => p.totals.bytes);
  const totalChange = levelChange(totalCount, totalBytes, points, floor);
  return {
    points: points.map((p) => ({ commit: p.commit, date: p.date })),
    total: {
      name: 'total',
      count: totalCount,
      bytes: totalBytes,
      ...(totalChange ? { change: totalChange } : {}),
    },
    changed: opts.top === undefined ? changed : changed.slice(0, opts.top),
  };
}

/** The one split where the count's level moved most, if it moved more than the floor. */
export function levelChange(
  count: readonly number[],
  bytes: readonly number[],
  points: readonly { commit: string; date: string }[],
  floor: { count: number; pct: number },
): LevelChange | undefined {
  // The split that explains most of the series' variance (binary segmentation on the means):
  // n1·n2/n · (mean after − mean before)². Medians then size the change, robust to a noisy run.
  const n = count.length;
  let total = 0;
  for (const v of count) total += v;
  let left = 0;
  let bestIndex = -1;
  let bestScore = -1;
  for (let i = 1; i < n; i++) {
    left += count[i - 1];
    const diff = (total - left) / (n - i) - left / i;
    const score = ((i * (n - i)) / n) * diff * diff;
    if (score > bestScore) {
      bestScore = score;
      bestIndex = i;
    }
  }
  if (bestIndex < 0) return undefined;
  const before = median(count.slice(0, bestIndex));
  const best = { index: bestIndex, delta: median(count.slice(bestIndex)) - before, before };
  const needed = Math.max(floor.count, (floor.pct / 100) * best.before);
  if (Math.abs(best.delta) < needed) return undefined;
  const i = best.index;
  return {
    index: i,
    count: best.delta,
    bytes: median(bytes.slice(i)) - median(bytes.slice(0, i)),
    before: points[i - 1],
    after: points[i],
  };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
