/**
 * Dominator tree of the object graph (Lengauer–Tarjan, simple version with path compression,
 * O(E log N)). Everything is iterative over flat arrays: a million-object linked list is a
 * million-deep DFS tree, far beyond the JS call stack.
 *
 * Lengauer–Tarjan rather than Cooper–Harvey–Kennedy: CHK's intersect walks the tree and turns
 * quadratic on long lists that are also indexed from elsewhere (a linked list plus an array of
 * its nodes), which is a common heap shape.
 */
import type { HeapGraph } from '../model/snapshot.js';
import type { ReverseEdges } from './reverseEdges.js';

export interface DominatorTree {
  /** Immediate dominator per node; -1 for the root and for nodes not reachable from it. */
  idom: Int32Array;
  /** Reachable nodes in DFS preorder: every node comes after its immediate dominator. */
  order: Uint32Array;
  reachable: number;
}

export function buildDominatorTree(graph: HeapGraph, reverse: ReverseEdges): DominatorTree {
  const { nodeCount, firstEdge, edgeTarget, root } = graph;
  // Seven node-sized arrays in all, each reused once its first job is done (memory is the limit
  // at ten million objects): the DFS stack's nodes become the semidominators, its edge cursors the
  // bucket heads, the bucket links the immediate dominators, dfn the result.
  const dfn = new Int32Array(nodeCount).fill(-1);
  const vertex = new Uint32Array(nodeCount);
  // DFS parent, then the forest link of Lengauer–Tarjan's LINK/EVAL (see `evaluate`).
  const ancestor = new Int32Array(nodeCount);
  const stackNode = new Uint32Array(nodeCount);
  const stackEdge = new Uint32Array(nodeCount);
  let n = 0;
  let sp = 0;
  dfn[root] = n;
  vertex[n] = root;
  ancestor[n++] = -1;
  stackNode[sp] = root;
  stackEdge[sp++] = firstEdge[root];
  while (sp > 0) {
    const v = stackNode[sp - 1];
    const e = stackEdge[sp - 1];
    if (e < firstEdge[v + 1]) {
      stackEdge[sp - 1] = e + 1;
      const c = edgeTarget[e];
      if (dfn[c] < 0) {
        dfn[c] = n;
        vertex[n] = c;
        ancestor[n++] = dfn[v];
        stackNode[sp] = c;
        stackEdge[sp++] = firstEdge[c];
      }
    } else {
      sp--;
    }
  }

  // From here on everything is indexed by DFS number.
  const semi = new Int32Array(stackNode.buffer, 0, n);
  const label = new Int32Array(n);
  const bucketHead = new Int32Array(stackEdge.buffer, 0, n).fill(-1);
  // A vertex's link in its semidominator's bucket until the bucket is emptied, then its dominator.
  const bucketNext = new Int32Array(n);
  const idomDf = bucketNext;
  for (let i = 0; i < n; i++) {
    semi[i] = i;
    label[i] = i;
  }

  // Vertices are linked into the forest in decreasing DFS order, each to its DFS parent, so a
  // vertex is linked exactly when its number is at least `linked`; until then its `ancestor` entry
  // still holds that parent. EVAL with iterative COMPRESS and no stack: walk up to the forest
  // root reversing the links, then walk back down folding labels and compressing.
  let linked = n;
  const evaluate = (v: number): number => {
    if (v < linked) return v;
    let below = -1;
    let x = v;
    while (ancestor[x] >= linked) {
      const up = ancestor[x];
      ancestor[x] = below;
      below = x;
      x = up;
    }
    // x is the highest linked vertex on the path; `below` the one under it.
    let a = x;
    for (let y = below; y >= 0;) {
      const down = ancestor[y];
      if (semi[label[a]] < semi[label[y]]) label[y] = label[a];
      ancestor[y] = ancestor[a];
      a = y;
      y = down;
    }
    return label[v];
  };

  const { firstRef, source } = reverse;
  for (let w = n - 1; w > 0; w--) {
    const node = vertex[w];
    for (let r = firstRef[node], end = firstRef[node + 1]; r < end; r++) {
      const v = dfn[source[r]];
      if (v < 0) continue; // referrer not reachable from the root
      const u = evaluate(v);
      if (semi[u] < semi[w]) semi[w] = semi[u];
    }
    bucketNext[w] = bucketHead[semi[w]];
    bucketHead[semi[w]] = w;
    const p = ancestor[w];
    linked = w; // LINK(parent, w): ancestor[w] already holds the parent
    for (let v = bucketHead[p]; v >= 0;) {
      const next = bucketNext[v];
      const u = evaluate(v);
      idomDf[v] = semi[u] < semi[v] ? u : p;
      v = next;
    }
    bucketHead[p] = -1;
  }
  for (let w = 1; w < n; w++) {
    if (idomDf[w] !== semi[w]) idomDf[w] = idomDf[idomDf[w]];
  }

  const idom = dfn.fill(-1);
  for (let w = 1; w < n; w++) idom[vertex[w]] = vertex[idomDf[w]];
  return { idom, order: vertex.subarray(0, n), reachable: n };
}
