/**
 * Per-type rows of a dump's graph (read through ClrMD) without the objects that only a
 * thread-static field keeps alive. dotnet-dump's `dumpheap -live` (SOS 10) does not follow
 * thread-static roots, so these rows are what it must print, type by type.
 */
import type { HeapSnapshot } from '../../src/model/snapshot.js';
import { NodeFlag } from '../../src/model/snapshot.js';

export type Rows = Map<string, { count: number; bytes: number }>;

export function rowsWithoutThreadStaticOnly(snap: HeapSnapshot, key: (name: string) => string): Rows {
  const g = snap.graph;
  if (!g) throw new Error(`${snap.meta.source}: no graph (was the dump read through ClrMD?)`);
  const names = snap.types.names;
  const seen = new Uint8Array(g.nodeCount);
  const stack = [g.root];
  seen[g.root] = 1;
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (let e = g.firstEdge[v]; e < g.firstEdge[v + 1]; e++) {
      const t = g.edgeTarget[e];
      if (seen[t] !== 0) continue;
      if (names[g.nodeType[t]] === '[thread static vars]') continue;
      seen[t] = 1;
      stack.push(t);
    }
  }
  const rows: Rows = new Map();
  for (let i = 0; i < g.nodeCount; i++) {
    if (seen[i] === 0 || (g.nodeFlags[i] & (NodeFlag.Pseudo | NodeFlag.Undefined)) !== 0) continue;
    const k = key(names[g.nodeType[i]]);
    const prev = rows.get(k) ?? { count: 0, bytes: 0 };
    rows.set(k, { count: prev.count + 1, bytes: prev.bytes + g.nodeSize[i] });
  }
  return rows;
}
