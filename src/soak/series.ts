/**
 * A soak run as a matrix: one row per type, one column per analysed snapshot, in collection order.
 * Rows are slices of flat Float64Arrays (thousands of types × tens of rounds), never per-cell objects.
 */
import type { HeapTotals, TypeStat } from '../model/snapshot.js';
import { canonicalTypeName } from '../model/typeNames.js';

/** One snapshot of the run, reduced to what trend analysis needs. */
export interface SoakPoint {
  /** Checkpoint label (`warmup`, `round-3`) or the file's base name. */
  label: string;
  /** Where the snapshot came from, as shown in reports. */
  source: string;
  /** Collection time in ms since the epoch, when known. */
  time?: number;
  stats: readonly TypeStat[];
  totals: Pick<HeapTotals, 'objects' | 'bytes'>;
  /** Reasons the counts are estimates (sampled or capped snapshots); empty when exact. */
  estimateReasons: readonly string[];
  /** Types whose counts may be too low, and why (see SnapshotMeta.uncertainTypes). */
  uncertainTypes?: { names: readonly string[]; reason: string };
}

/** `auto`: leading checkpoints labelled warmup…, and at least the first snapshot; or a fixed number. */
export type WarmupSpec = 'auto' | number;

const WARMUP_LABEL = /^warm-?up(\b|[-_ ]|\d|$)/i;

/**
 * How many leading snapshots to leave out of the trend. The first .gcdump of a process makes the
 * runtime build EventSource metadata and reflection caches (thousands of objects that show up in the
 * *next* snapshot), so the first snapshot is never comparable with the rest; scenarios that run a
 * warm-up round label it `warmup`, and every such leading checkpoint is skipped too.
 */
export function warmupCount(labels: readonly string[], spec: WarmupSpec): number {
  if (spec !== 'auto') return Math.min(Math.max(0, Math.floor(spec)), labels.length);
  let labelled = 0;
  while (labelled < labels.length && WARMUP_LABEL.test(labels[labelled])) labelled++;
  return Math.min(Math.max(1, labelled), labels.length);
}

export interface SoakSeries {
  /** Every snapshot of the run, warm-up included, in order. */
  points: readonly SoakPoint[];
  /** Leading points excluded from the trend. */
  warmup: number;
  /** Number of analysed points (columns). */
  length: number;
  /** Types present in any analysed point, sorted by name. */
  names: string[];
  /** counts[t * length + j]: live instances of names[t] at analysed point j. */
  counts: Float64Array;
  bytes: Float64Array;
  totalCount: Float64Array;
  totalBytes: Float64Array;
  /** x for per-round slopes: 0, 1, 2, … */
  rounds: Float64Array;
  /** x for per-hour slopes (hours since the first analysed point), when every analysed point has a time. */
  hours?: Float64Array;
}

export function buildSeries(points: readonly SoakPoint[], warmup: number): SoakSeries {
  const analysed = points.slice(warmup);
  const m = analysed.length;
  // Rules match and findings are named by the canonical spelling, as in `check`: the same type
  // spelled two ways (gcdump's `[]c__DisplayClass3_0`, SOS's `<>c__DisplayClass3_0`) is one series.
  const canonical = analysed.map((p) => p.stats.map((s) => canonicalTypeName(s.name)));
  const index = new Map<string, number>();
  for (const names of canonical) for (const n of names) if (!index.has(n)) index.set(n, 0);
  const names = [...index.keys()].sort();
  names.forEach((n, i) => index.set(n, i));
  const counts = new Float64Array(names.length * m);
  const bytes = new Float64Array(names.length * m);
  const totalCount = new Float64Array(m);
  const totalBytes = new Float64Array(m);
  analysed.forEach((p, j) => {
    // A type absent from a snapshot had no live instances then: its cell stays 0.
    p.stats.forEach((s, k) => {
      const t = index.get(canonical[j][k]) as number;
      counts[t * m + j] += s.count;
      bytes[t * m + j] += s.bytes;
    });
    totalCount[j] = p.totals.objects;
    totalBytes[j] = p.totals.bytes;
  });
  const rounds = Float64Array.from({ length: m }, (_, j) => j);
  const times = analysed.map((p) => p.time);
  const series: SoakSeries = {
    points,
    warmup,
    length: m,
    names,
    counts,
    bytes,
    totalCount,
    totalBytes,
    rounds,
  };
  if (m > 0 && times.every((t): t is number => t !== undefined)) {
    const t0 = times[0];
    series.hours = Float64Array.from(times, (t) => (t - t0) / 3_600_000);
  }
  return series;
}

/** One type's values across the analysed points (a view, not a copy). */
export function row(series: SoakSeries, metric: 'count' | 'bytes', type: number): Float64Array {
  const m = series.length;
  const data = metric === 'count' ? series.counts : series.bytes;
  return data.subarray(type * m, (type + 1) * m);
}
