/** diffStats: per-type deltas between two heaps, keyed by canonical type name. */
import type { HeapTotals, TypeStat } from '../model/snapshot.js';
import { canonicalTypeName } from '../model/typeNames.js';
import type { CountBytes, HeapDiff, TypeDelta } from './types.js';

/** The part of a HeapSnapshot (or a baseline adapted to one) that a diff needs. */
export interface StatsSide {
  stats: readonly TypeStat[];
  totals: Pick<HeapTotals, 'objects' | 'bytes'>;
}

export function percent(base: number, head: number): number | null {
  if (base === 0) return head === 0 ? 0 : null;
  return ((head - base) / base) * 100;
}

/** Sums stats per canonical name: readers already canonicalise, but two spellings may still meet here. */
export function statsByName(stats: readonly TypeStat[]): Map<string, CountBytes> {
  const out = new Map<string, CountBytes>();
  for (const s of stats) {
    const name = canonicalTypeName(s.name);
    const cur = out.get(name);
    if (cur) {
      cur.count += s.count;
      cur.bytes += s.bytes;
    } else out.set(name, { count: s.count, bytes: s.bytes });
  }
  return out;
}

export function diffStats(base: StatsSide, head: StatsSide): HeapDiff {
  const b = statsByName(base.stats);
  const h = statsByName(head.stats);
  const names = new Set([...b.keys(), ...h.keys()]);
  const types: TypeDelta[] = [];
  let newTypes = 0;
  let goneTypes = 0;
  let changedTypes = 0;
  for (const name of names) {
    const bs = b.get(name);
    const hs = h.get(name);
    const bc = bs?.count ?? 0;
    const bb = bs?.bytes ?? 0;
    const hc = hs?.count ?? 0;
    const hb = hs?.bytes ?? 0;
    const status = !bs ? 'new' : !hs ? 'gone' : bc === hc && bb === hb ? 'same' : 'changed';
    if (status === 'new') newTypes++;
    else if (status === 'gone') goneTypes++;
    else if (status === 'changed') changedTypes++;
    types.push({
      name,
      ...(bs ? { base: bs } : {}),
      ...(hs ? { head: hs } : {}),
      countDelta: hc - bc,
      bytesDelta: hb - bb,
      countPct: percent(bc, hc),
      bytesPct: percent(bb, hb),
      status,
    });
  }
  types.sort((x, y) => compareNames(x.name, y.name));
  const tb = { count: base.totals.objects, bytes: base.totals.bytes };
  const th = { count: head.totals.objects, bytes: head.totals.bytes };
  return {
    types,
    totals: {
      base: tb,
      head: th,
      countDelta: th.count - tb.count,
      bytesDelta: th.bytes - tb.bytes,
      countPct: percent(tb.count, th.count),
      bytesPct: percent(tb.bytes, th.bytes),
    },
    newTypes,
    goneTypes,
    changedTypes,
  };
}

/** Ordinal (code unit) order: stable across machines and locales, unlike localeCompare. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
