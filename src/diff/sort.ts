/** Orderings and selections of type deltas for reports. */
import { compareNames } from './diffStats.js';
import type { TypeDelta } from './types.js';

export type DeltaSortKey = 'bytes' | 'count' | 'name';

/** Largest growth first (by the absolute delta of `key`), ties by name; returns a new array. */
export function sortDeltas(types: readonly TypeDelta[], key: DeltaSortKey = 'bytes'): TypeDelta[] {
  const copy = [...types];
  if (key === 'name') return copy.sort((a, b) => compareNames(a.name, b.name));
  const primary = key === 'bytes' ? (d: TypeDelta) => d.bytesDelta : (d: TypeDelta) => d.countDelta;
  const secondary = key === 'bytes' ? (d: TypeDelta) => d.countDelta : (d: TypeDelta) => d.bytesDelta;
  return copy.sort(
    (a, b) =>
      Math.abs(primary(b)) - Math.abs(primary(a)) ||
      Math.abs(secondary(b)) - Math.abs(secondary(a)) ||
      compareNames(a.name, b.name),
  );
}

/** The `n` biggest changes (types whose count or bytes moved), largest first. */
export function topChanges(types: readonly TypeDelta[], n: number, key: DeltaSortKey = 'bytes'): TypeDelta[] {
  return sortDeltas(
    types.filter((t) => t.countDelta !== 0 || t.bytesDelta !== 0),
    key,
  ).slice(0, n);
}
