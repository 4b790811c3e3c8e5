/**
 * Type-level signatures of root paths, interned once per snapshot.
 *
 * A node's signature is its tree parent's signature extended by the node's canonical type, so
 * signatures form a trie that is filled in one sweep over the tree's visit order (parents come
 * first): O(N) overall instead of walking every instance's path. Runs of the same type (a linked
 * list) collapse into one entry marked `repeated`, so a million-node list is one signature.
 */
import type { HeapSnapshot } from '../model/snapshot.js';
import { NodeFlag } from '../model/snapshot.js';
import { requireGraph } from './requireGraph.js';
import type { RootPathTree } from './rootPaths.js';
import type { TypeGroups } from './typeGroups.js';

export interface PathSignatures {
  /** Signature per node; -1 when unreachable. */
  sigOf: Int32Array;
  /** Parent entry of each signature entry (-1 at the root). */
  parent: number[];
  /** Per entry: canonical group (>= 0) of an object step, or -(typeIndex + 1) of a pseudo-node. */
  code: number[];
  /** Per entry: 1 when some path repeats this type on consecutive steps. */
  repeated: number[];
  /**
   * Per visit-order position of the tree: 1 when the node continues its tree parent's run (an
   * object of the same canonical type as its parent, also an object), else 0.
   */
  runAt: Uint8Array;
}

export function buildPathSignatures(
  snapshot: HeapSnapshot,
  tree: RootPathTree,
  groups: TypeGroups,
): PathSignatures {
  const graph = requireGraph(snapshot);
  const { nodeType, nodeFlags } = graph;
  const sigOf = new Int32Array(graph.nodeCount).fill(-1);
  const parent: number[] = [];
  const code: number[] = [];
  const repeated: number[] = [];
  const runAt = new Uint8Array(tree.reachable);
  const width = groups.names.length + snapshot.types.names.length + 1;
  const interned = new Map<number, number>();
  const codeOf = (v: number): number => {
    const g = groups.groupOf[nodeType[v]];
    return g >= 0 && (nodeFlags[v] & NodeFlag.Pseudo) === 0 ? g : -(nodeType[v] + 1);
  };
  for (let i = 0; i < tree.reachable; i++) {
    const v = tree.order[i];
    const p = tree.parent[v];
    const c = codeOf(v);
    const ps = p < 0 ? -1 : sigOf[p];
    if (ps >= 0 && c >= 0 && code[ps] === c) {
      sigOf[v] = ps;
      repeated[ps] = 1;
      runAt[i] = 1;
      continue;
    }
    // Unique numeric key (parent entry, code); exact while below 2^53.
    const key = (ps + 1) * width + (c >= 0 ? c : groups.names.length - c);
    let s = interned.get(key);
    if (s === undefined) {
      s = parent.length;
      parent.push(ps);
      code.push(c);
      repeated.push(0);
      interned.set(key, s);
    }
    sigOf[v] = s;
  }
  return { sigOf, parent, code, repeated, runAt };
}
