/**
 * Combining several snapshots of the same scenario into one set of per-type values. The statistic is
 * the median, taking the lower middle value for an even number of samples so that it is always a value
 * that was actually observed (counts stay whole numbers) and one outlying run cannot move it.
 */
import type { TypeStat } from '../model/snapshot.js';
import { compareNames, statsByName, type StatsSide } from '../diff/diffStats.js';

export function lowerMedian(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export interface CombinedType {
  name: string;
  count: number;
  bytes: number;
  /** Per-sample values in input order (0 where the type was absent). */
  counts: number[];
  bytesPerSample: number[];
}

export interface Combined {
  types: CombinedType[];
  totals: { objects: number; bytes: number };
}

/** Per-type medians over the samples, sorted by name; totals are the medians of the sample totals. */
export function combineSamples(samples: readonly StatsSide[]): Combined {
  const maps = samples.map((s) => statsByName(s.stats));
  const names = new Set<string>();
  for (const m of maps) for (const k of m.keys()) names.add(k);
  const types: CombinedType[] = [];
  for (const name of [...names].sort(compareNames)) {
    const counts = maps.map((m) => m.get(name)?.count ?? 0);
    const bytesPerSample = maps.map((m) => m.get(name)?.bytes ?? 0);
    types.push({
      name,
      count: lowerMedian(counts),
      bytes: lowerMedian(bytesPerSample),
      counts,
      bytesPerSample,
    });
  }
  return {
    types,
    totals: {
      objects: lowerMedian(samples.map((s) => s.totals.objects)),
      bytes: lowerMedian(samples.map((s) => s.totals.bytes)),
    },
  };
}

/**
 * Combined values as TypeStat[] sorted by bytes descending then name (the HeapSnapshot order).
 * Types with a median of 0 are kept: they were seen, so they are not "new" to a later diff.
 */
export function combinedStats(c: Combined): TypeStat[] {
  return c.types
    .map((t) => ({ name: t.name, count: t.count, bytes: t.bytes }))
    .sort((a, b) => b.bytes - a.bytes || compareNames(a.name, b.name));
}
