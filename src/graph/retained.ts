/**
 * Retained sizes from the dominator tree: the bytes that would be freed if an object (or a set
 * of objects) became unreachable.
 */
import type { HeapGraph } from '../model/snapshot.js';
import { NodeFlag } from '../model/snapshot.js';
import type { DominatorTree } from './dominators.js';

/** Retained bytes per node: shallow size plus everything it dominates. 0 when unreachable. */
export function retainedSizes(graph: HeapGraph, dom: DominatorTree): Float64Array {
  const retained = new Float64Array(graph.nodeCount);
  const { order, reachable, idom } = dom;
  for (let i = 0; i < reachable; i++) retained[order[i]] = graph.nodeSize[order[i]];
  // Preorder puts every node after its dominator, so a reverse sweep sees children first.
  for (let i = reachable - 1; i > 0; i--) {
    const v = order[i];
    retained[idom[v]] += retained[v];
  }
  return retained;
}

/**
 * Retained bytes of groups of nodes taken as sets (a group is usually one canonical type).
 *
 * Definition: the sum of the retained sizes of the group's members that are not dominated by
 * another member of the same group. That is exactly the union of the members' dominator
 * subtrees, so nothing is counted twice (a 1M-node list retains its bytes once, not 1M times).
 * It is a lower bound of what removing every member would free: an object held only by two
 * members together is dominated by neither.
 *
 * `groupOf[typeIndex]` is the group of a type, or -1 for types not of interest.
 */
export function retainedByGroup(
  graph: HeapGraph,
  dom: DominatorTree,
  retained: Float64Array,
  groupOf: Int32Array,
  groupCount: number,
): Float64Array {
  const { order, reachable, idom } = dom;
  const { nodeType } = graph;
  const total = new Float64Array(groupCount);
  // Depth-first walk of the dominator tree with a live counter per group: a member counts when
  // no member of its group is on the dominator path above it.
  // Children in CSR form: count, sum to block ends, then fill each block from its end (in reverse
  // preorder, so blocks come out in preorder) — which leaves every entry at its block's start.
  const childStart = new Uint32Array(graph.nodeCount + 1);
  for (let i = 1; i < reachable; i++) childStart[idom[order[i]]]++;
  for (let v = 1; v <= graph.nodeCount; v++) childStart[v] += childStart[v - 1];
  const children = new Uint32Array(Math.max(reachable - 1, 0));
  for (let i = reachable - 1; i > 0; i--) children[--childStart[idom[order[i]]]] = order[i];

  const live = new Int32Array(groupCount);
  const stackNode = new Uint32Array(reachable);
  const stackPos = new Uint32Array(reachable);
  let sp = 0;
  const enter = (v: number) => {
    const g = groupOf[nodeType[v]];
    if (g >= 0) {
      if (live[g] === 0) total[g] += retained[v];
      live[g]++;
    }
    stackNode[sp] = v;
    stackPos[sp++] = childStart[v];
  };
  if (reachable > 0) enter(order[0]);
  while (sp > 0) {
    const v = stackNode[sp - 1];
    const pos = stackPos[sp - 1];
    if (pos < childStart[v + 1]) {
      stackPos[sp - 1] = pos + 1;
      enter(children[pos]);
    } else {
      sp--;
      const g = groupOf[nodeType[v]];
      if (g >= 0) live[g]--;
    }
  }
  return total;
}

export interface DominatorEntry {
  node: number;
  retained: number;
}

/**
 * The `top` heap objects with the largest retained size, largest first, ties by node index.
 * Pseudo-nodes and undefined nodes are left out, and so is an object immediately dominated by
 * an object of its own type: a linked list is listed once, by its head, instead of filling the
 * list with its first N links. A bounded min-heap keeps this O(N log top).
 */
export function topRetainers(
  graph: HeapGraph,
  dom: DominatorTree,
  retained: Float64Array,
  top: number,
): DominatorEntry[] {
  const heap: number[] = [];
  const less = (a: number, b: number) => retained[a] < retained[b] || (retained[a] === retained[b] && a > b);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  const skip = NodeFlag.Pseudo | NodeFlag.Undefined;
  for (let v = 0; v < graph.nodeCount && top > 0; v++) {
    if ((graph.nodeFlags[v] & skip) !== 0 || v === graph.root || retained[v] === 0) continue;
    const d = dom.idom[v];
    if (d >= 0 && graph.nodeType[d] === graph.nodeType[v]) continue;
    if (heap.length < top) {
      heap.push(v);
      for (let i = heap.length - 1; i > 0;) {
        const p = (i - 1) >> 1;
        if (!less(heap[i], heap[p])) break;
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
      }
    } else if (less(heap[0], v)) {
      heap[0] = v;
      siftDown(0);
    }
  }
  return heap
    .sort((a, b) => (less(a, b) ? 1 : less(b, a) ? -1 : 0))
    .map((node) => ({ node, retained: retained[node] }));
}
