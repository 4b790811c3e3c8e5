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
  // Depth-first numbering with an explicit stack of (node, next edge).
  const dfn = new Int32Array(nodeCount).fill(-1);
  const vertex = new Uint32Array(nodeCount);
  const parent = new Int32Array(nodeCount);
  const stackNode = new Uint32Array(nodeCount);
  const stackEdge = new Uint32Array(nodeCount);
  let n = 0;
  let sp = 0;
  dfn[root] = n;
  vertex[n] = root;
  parent[n++] = -1;
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
        parent[n++] = dfn[v];
        stackNode[sp] = c;
        stackEdge[sp++] = firstEdge[c];
      }
    } else {
      sp--;
    }
  }

  // From here on everything is indexed by DFS number.
  const semi = new Int32Array(n);
  const label = new Int32Array(n);
  const ancestor = new Int32Array(n).fill(-1);
  const idomDf = new Int32Array(n);
  const bucketHead = new Int32Array(n).fill(-1);
  const bucketNext = new Int32Array(n);
  const path = stackNode; // reused as the path-compression stack
  for (let i = 0; i < n; i++) {
    semi[i] = i;
    label[i] = i;
  }

  // EVAL with iterative COMPRESS: walk up to the forest root, then fold labels top-down.
  const evaluate = (v: number): number => {
    if (ancestor[v] < 0) return v;
    let depth = 0;
    let x = v;
    while (ancestor[ancestor[x]] >= 0) {
      path[depth++] = x;
      x = ancestor[x];
    }
    while (depth > 0) {
      const y = path[--depth];
      const a = ancestor[y];
      if (semi[label[a]] < semi[label[y]]) label[y] = label[a];
      ancestor[y] = ancestor[a];
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
    const p = parent[w];
    ancestor[w] = p;
    for (let v = bucketHead[p]; v >= 0; v = bucketNext[v]) {
      const u = evaluate(v);
      idomDf[v] = semi[u] < semi[v] ? u : p;
    }
    bucketHead[p] = -1;
  }
  for (let w = 1; w < n; w++) {
    if (idomDf[w] !== semi[w]) idomDf[w] = idomDf[idomDf[w]];
  }

  const idom = new Int32Array(nodeCount).fill(-1);
  for (let w = 1; w < n; w++) idom[vertex[w]] = vertex[idomDf[w]];
  return { idom, order: vertex.subarray(0, n), reachable: n };
}
