/**
 * Canonical per-type grouping of the type table: size-bucket entries such as
 * `System.Byte[] (Bytes > 10K)` join `System.Byte[]`, and pseudo-node / undefined types are
 * left out (they are not objects on the heap).
 */
import type { HeapSnapshot } from '../model/snapshot.js';
import { NodeFlag } from '../model/snapshot.js';
import { canonicalTypeName, stripSizeBucket } from '../model/typeNames.js';
import { requireGraph } from './requireGraph.js';

export interface TypeGroups {
  /** Canonical name per group. */
  names: string[];
  /** Group per type index; -1 for pseudo-node and undefined types. */
  groupOf: Int32Array;
  /** Group by name as written minus the size bucket (the key of gcdump per-type stats). */
  byName: Map<string, number>;
}

/**
 * Group of a type name given by a user or a rule: the gcdump spelling first, then the
 * cross-tool canonical spelling (`List`1[[X]]` and `List<X>` find the same group). -1 if absent.
 */
export function findGroup(groups: TypeGroups, name: string): number {
  const direct = groups.byName.get(stripSizeBucket(name.trim()));
  if (direct !== undefined) return direct;
  const wanted = canonicalTypeName(name);
  for (let g = 0; g < groups.names.length; g++) if (canonicalTypeName(groups.names[g]) === wanted) return g;
  return -1;
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
