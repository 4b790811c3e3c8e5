/**
 * Canonical per-type grouping of the type table: size-bucket entries such as
 * `System.Byte[] (Bytes > 10K)` join `System.Byte[]`, and pseudo-node / undefined types are
 * left out (they are not objects on the heap).
 */
import type { HeapSnapshot } from '../model/snapshot.js';
import { NodeFlag } from '../model/snapshot.js';
import { stripSizeBucket } from '../model/typeNames.js';
import { requireGraph } from './requireGraph.js';

export interface TypeGroups {
  /** Canonical name per group. */
  names: string[];
  /** Group per type index; -1 for pseudo-node and undefined types. */
  groupOf: Int32Array;
  /** Group by canonical name. */
  byName: Map<string, number>;
}

export function buildTypeGroups(snapshot: HeapSnapshot): TypeGroups {
  const graph = requireGraph(snapshot);
  const typeCount = snapshot.types.names.length;
  const excluded = new Uint8Array(typeCount);
  const skip = NodeFlag.Pseudo | NodeFlag.Undefined;
  for (let v = 0; v < graph.nodeCount; v++) {
    if ((graph.nodeFlags[v] & skip) !== 0 || v === graph.root) excluded[graph.nodeType[v]] = 1;
  }
  const names: string[] = [];
  const byName = new Map<string, number>();
  const groupOf = new Int32Array(typeCount).fill(-1);
  for (let t = 0; t < typeCount; t++) {
    if (excluded[t] === 1) continue;
    const name = stripSizeBucket(snapshot.types.names[t]);
    let g = byName.get(name);
    if (g === undefined) {
      g = names.length;
      names.push(name);
      byName.set(name, g);
    }
    groupOf[t] = g;
  }
  return { names, groupOf, byName };
}
