/** Per-type comparison of two heaps (baseline vs head). */

export interface CountBytes {
  count: number;
  bytes: number;
}

export type DeltaStatus = 'new' | 'gone' | 'changed' | 'same';

export interface TypeDelta {
  /** Canonical type name. */
  name: string;
  /** Absent when the type is not in the base heap (status 'new'). */
  base?: CountBytes;
  /** Absent when the type is not in the head heap (status 'gone'). */
  head?: CountBytes;
  countDelta: number;
  bytesDelta: number;
  /** Percent change vs base; null when the base value is 0 (any growth from nothing is unbounded). */
  countPct: number | null;
  bytesPct: number | null;
  status: DeltaStatus;
}

export interface TotalsDelta {
  base: CountBytes;
  head: CountBytes;
  countDelta: number;
  bytesDelta: number;
  countPct: number | null;
  bytesPct: number | null;
}

export interface HeapDiff {
  /** Every type of either side, sorted by name (ordinal). */
  types: TypeDelta[];
  totals: TotalsDelta;
  newTypes: number;
  goneTypes: number;
  changedTypes: number;
}
