/**
 * Referrer index: the CSR graph turned around, so "who holds this object?" is a slice lookup.
 * Built count -> prefix sum -> fill, like the forward graph; referrers of a node are listed in
 * increasing source-node order (duplicate edges stay duplicated).
 */
import type { HeapGraph } from '../model/snapshot.js';

export interface ReverseEdges {
  /** Referrers of node `i` are `source[firstRef[i] .. firstRef[i+1])`. */
  firstRef: Uint32Array;
  source: Uint32Array;
}

export function buildReverseEdges(graph: HeapGraph): ReverseEdges {
  const { nodeCount, firstEdge, edgeTarget } = graph;
  const edgeCount = firstEdge[nodeCount];
  const firstRef = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) firstRef[edgeTarget[e] + 1]++;
  for (let i = 0; i < nodeCount; i++) firstRef[i + 1] += firstRef[i];
  const cursor = firstRef.slice(0, nodeCount);
  const source = new Uint32Array(edgeCount);
  for (let from = 0; from < nodeCount; from++) {
    for (let e = firstEdge[from], end = firstEdge[from + 1]; e < end; e++) {
      source[cursor[edgeTarget[e]]++] = from;
    }
  }
  return { firstRef, source };
}
