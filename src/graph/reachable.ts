import type { HeapGraph } from '../model/snapshot.js';

/** Marks every node reachable from the root (iterative BFS over the CSR edges; 1 = reached). */
export function reachableFromRoot(graph: HeapGraph): Uint8Array {
  const { nodeCount, firstEdge, edgeTarget, root } = graph;
  const seen = new Uint8Array(nodeCount);
  const queue = new Uint32Array(nodeCount);
  let head = 0;
  let tail = 0;
  seen[root] = 1;
  queue[tail++] = root;
  while (head < tail) {
    const n = queue[head++];
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      const c = edgeTarget[e];
      if (seen[c] === 0) {
        seen[c] = 1;
        queue[tail++] = c;
      }
    }
  }
  return seen;
}
