import type { TypeStat } from '../model/snapshot.js';
import { typeFilter } from '../model/typeMatch.js';

export interface StatSelection {
  /** Substring or glob over the type name. */
  type?: string;
  /** Only types whose total bytes are at least this. */
  minBytes?: number;
  /** Keep the first N rows after filtering (input order is kept: bytes descending). */
  top?: number;
  /** Order rows by retained bytes instead of shallow bytes (needs `retained`). */
  byRetained?: boolean;
}

export interface SelectedStats {
  rows: TypeStat[];
  /** Types that passed the filters, before `top`. */
  matched: number;
  /** All types in the snapshot. */
  total: number;
}

/** Applies the `stat` filters; pure, so the CLI and reports share it. */
export function selectStats(stats: TypeStat[], sel: StatSelection): SelectedStats {
  let rows = stats;
  if (sel.type !== undefined) {
    const match = typeFilter(sel.type);
    rows = rows.filter((s) => match(s.name));
  }
  if (sel.minBytes !== undefined) {
    const min = sel.minBytes;
    rows = rows.filter((s) => s.bytes >= min);
  }
  if (sel.byRetained) {
    rows = [...rows].sort((a, b) => (b.retained ?? 0) - (a.retained ?? 0) || b.bytes - a.bytes);
  }
  const matched = rows.length;
  if (sel.top !== undefined) rows = rows.slice(0, sel.top);
  return { rows, matched, total: stats.length };
}
