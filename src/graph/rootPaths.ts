/**
 * Shortest retention paths from the root pseudo-node, one spanning tree per snapshot.
 *
 * Policy: a breadth-first search in three tiers. Tier 0 explores everything reachable through
 * `[static vars]` / `[thread static vars]`; tier 1 continues from `[local vars]`; tier 2 from
 * handles, the finalizer queue, COM and other roots. Each object therefore gets the shortest path
 * among the most durable root kind that reaches it. Plain BFS would explain a leaked timer
 * callback through `[finalizer Handles] → TimerHolder` and a cached entry through whichever
 * local happened to touch it; the static that actually keeps them alive (the timer queue, the
 * cache) is what a reader needs. This is PerfView's "statics before locals before handles"
 * preference without its float priorities. Within a tier, children are visited in record order,
 * so the tree is deterministic.
 */
import type { HeapSnapshot } from '../model/snapshot.js';
import { NodeFlag } from '../model/snapshot.js';
import { requireGraph } from './requireGraph.js';
import type { ReverseEdges } from './reverseEdges.js';
import { classifyRootName, rootTier } from './rootKinds.js';

export interface RootPathTree {
  /** Tree parent per node; -1 for the root and for nodes not reachable from it. */
  parent: Int32Array;
  /** Reachable nodes in visit order; a parent always precedes its children. */
  order: Uint32Array;
  /** Per visit-order position: the position of the node's tree parent (-1 for the root). */
  parentPos: Int32Array;
  reachable: number;
}

/** Tier (0..2) per type index for pseudo-node types; cached because names are parsed. */
function pseudoTiers(snapshot: HeapSnapshot): Uint8Array {
  const names = snapshot.types.names;
  const tiers = new Uint8Array(names.length);
  for (let t = 0; t < names.length; t++) {
    const c = classifyRootName(names[t]);
    tiers[t] = c.container ? 0 : rootTier(c.kind);
  }
  return tiers;
}

export function buildRootPathTree(snapshot: HeapSnapshot): RootPathTree {
  const graph = requireGraph(snapshot);
  const { nodeCount, firstEdge, edgeTarget, nodeFlags, nodeType, root } = graph;
  const tiers = pseudoTiers(snapshot);
  const parent = new Int32Array(nodeCount).fill(-1);
  const seen = new Uint8Array(nodeCount);
  const order = new Uint32Array(nodeCount);
  const parentPos = new Int32Array(nodeCount);
  const posOf = new Map<number, number>(); // positions of the parents of deferred pseudo-nodes
  // Pseudo-nodes of a later tier met early, with the parent that first met them.
  const deferred: number[][] = [[], [], []];
  let head = 0;
  let tail = 0;
  seen[root] = 1;
  parentPos[tail] = -1;
  order[tail++] = root;
  for (let phase = 0; phase < 3; phase++) {
    const pending = deferred[phase];
    for (let k = 0; k < pending.length; k += 2) {
      const node = pending[k];
      if (seen[node] === 1) continue;
      seen[node] = 1;
      parent[node] = pending[k + 1];
      parentPos[tail] = posOf.get(pending[k + 1]) ?? 0;
      order[tail++] = node;
    }
    while (head < tail) {
      const v = order[head++];
      for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
        const c = edgeTarget[e];
        if (seen[c] !== 0) continue;
        if ((nodeFlags[c] & NodeFlag.Pseudo) !== 0) {
          const tier = tiers[nodeType[c]];
          if (tier > phase) {
            seen[c] = 2; // deferred: claimed by its first parent, visited in its own tier
            deferred[tier].push(c, v);
            posOf.set(v, head - 1);
            continue;
          }
        }
        seen[c] = 1;
        parent[c] = v;
        parentPos[tail] = head - 1;
        order[tail++] = c;
      }
    }
  }
  return { parent, order: order.subarray(0, tail), parentPos: parentPos.subarray(0, tail), reachable: tail };
}

/** Nodes from the root to `node` (both included), or null when `node` is unreachable. */
export function pathTo(tree: RootPathTree, root: number, node: number): number[] | null {
  if (node !== root && tree.parent[node] < 0) return null;
  const path: number[] = [];
  for (let v = node; v >= 0; v = tree.parent[v]) path.push(v);
  return path.reverse();
}

export interface AllPathsOptions {
  /** Stop after this many paths. */
  limit: number;
}

/**
 * One shortest path per distinct root reaching `target`: a root is a (root pseudo-node,
 * rooted object) pair, like the lines of `!GCRoot -all`. Found by a breadth-first search
 * backwards over referrers, so paths come out shortest first. At most `limit` paths.
 */
export function allRootPaths(
  snapshot: HeapSnapshot,
  tree: RootPathTree,
  reverse: ReverseEdges,
  target: number,
  options: AllPathsOptions,
): number[][] {
  const graph = requireGraph(snapshot);
  const { nodeFlags, root } = graph;
  const isPseudo = (v: number) => (nodeFlags[v] & NodeFlag.Pseudo) !== 0 || v === root;
  const next = new Int32Array(graph.nodeCount).fill(-2); // -2 unseen, -1 target, else next hop
  const queue = new Uint32Array(graph.nodeCount);
  let head = 0;
  let tail = 0;
  const paths: number[][] = [];
  if (isPseudo(target)) {
    const p = pathTo(tree, root, target);
    return p ? [p] : [];
  }
  next[target] = -1;
  queue[tail++] = target;
  while (head < tail && paths.length < options.limit) {
    const v = queue[head++];
    for (let r = reverse.firstRef[v], end = reverse.firstRef[v + 1]; r < end; r++) {
      const from = reverse.source[r];
      if (isPseudo(from)) {
        // `v` is directly rooted by `from`; each (from, v) pair is one root.
        const rootSide = pathTo(tree, root, from);
        if (rootSide === null || (r > reverse.firstRef[v] && reverse.source[r - 1] === from)) continue;
        const path = rootSide;
        for (let w = v; w !== -1; w = next[w]) path.push(w);
        paths.push(path);
        if (paths.length >= options.limit) break;
        continue;
      }
      if (next[from] !== -2) continue;
      next[from] = v;
      queue[tail++] = from;
    }
  }
  return paths;
}
