/**
 * Per-type rows (count and bytes by canonical name) for comparing heapgate with SOS in both
 * directions: SOS's `dumpheap -stat` text read by the test-only reader, heapgate's stats, and the
 * rows where two sets differ.
 */
import { gcdumpNameAsCanonical, sosNameAsGcdump, sosStatTables } from './referenceText.js';
import type { Rows } from './threadStaticOnly.js';
import { dumpAnalyze } from './tools.js';

export type { Rows } from './threadStaticOnly.js';

export function addRow(rows: Rows, key: string, count: number, bytes: number): void {
  const prev = rows.get(key) ?? { count: 0, bytes: 0 };
  rows.set(key, { count: prev.count + count, bytes: prev.bytes + bytes });
}

/** SOS's `dumpheap -stat` rows (of `command` on `dump`) by canonical name, Free left out: the independent oracle. */
export async function sosRows(dump: string, command: string): Promise<Rows> {
  const [table] = sosStatTables(await dumpAnalyze(dump, [command]));
  const rows: Rows = new Map();
  for (const [name, row] of table.rows) {
    if (name === 'Free') continue;
    addRow(rows, gcdumpNameAsCanonical(sosNameAsGcdump(name)), row.count, row.bytes);
  }
  return rows;
}

export function heapgateRows(stats: readonly { name: string; count: number; bytes: number }[]): Rows {
  const rows: Rows = new Map();
  for (const s of stats) addRow(rows, gcdumpNameAsCanonical(s.name), s.count, s.bytes);
  return rows;
}

/** Rows where `a` and `b` differ: [name, count of a − count of b, bytes of a − bytes of b]. */
export function difference(a: Rows, b: Rows): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name) ?? { count: 0, bytes: 0 };
    const y = b.get(name) ?? { count: 0, bytes: 0 };
    if (x.count !== y.count || x.bytes !== y.bytes) out.push([name, x.count - y.count, x.bytes - y.bytes]);
  }
  return out.sort((p, q) => p[0].localeCompare(q[0]));
}
