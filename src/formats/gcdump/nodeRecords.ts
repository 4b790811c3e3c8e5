import { BlobCursor } from './blobCursor.js';
import type { RawMemoryGraph } from './memoryGraph.js';
import { RecordClaims } from './recordClaims.js';

/** Decoded node records: the per-node columns of a HeapGraph. */
export interface DecodedNodes {
  nodeType: Uint32Array;
  /** Sizes are non-negative 32-bit ints in the file (reference §5.4). */
  nodeSize: Uint32Array;
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
  sizeSum: number;
}

/**
 * Decodes every node record into flat arrays in two passes: the first reads type, size and child
 * count (remembering where the children start), the second fills the CSR edge array. Records
 * may not overlap, so the edge count is bounded by the blob length before anything is allocated
 * for edges.
 */
export function decodeNodeRecords(g: RawMemoryGraph, file: string): DecodedNodes {
  const n = g.nodeCount;
  const nodeType = new Uint32Array(n);
  const nodeSize = new Uint32Array(n);
  const childStart = new Uint32Array(n);
  const firstEdge = new Uint32Array(n + 1);
  const cur = new BlobCursor(g, file);
  const claims = new RecordClaims(g.blob.length);

  let edges = 0;
  let sizeSum = 0;
  for (let i = 0; i < n; i++) {
    cur.header(i);
    nodeType[i] = cur.type;
    nodeSize[i] = cur.size;
    sizeSum += cur.size;
    childStart[i] = cur.pos;
    firstEdge[i] = edges;
    edges += cur.childCount;
    cur.skipInts(cur.childCount);
    claims.claim(cur, g.nodeOffsets[i]);
  }
  firstEdge[n] = edges;

  const edgeTarget = new Uint32Array(edges);
  for (let i = 0, e = 0; i < n; i++) {
    cur.node = i;
    cur.pos = childStart[i];
    for (const end = firstEdge[i + 1]; e < end; e++) edgeTarget[e] = cur.child();
  }
  return { nodeType, nodeSize, firstEdge, edgeTarget, sizeSum };
}
