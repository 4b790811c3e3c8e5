import { FormatError } from '../../errors.js';
import type { RawMemoryGraph } from './memoryGraph.js';

/** Decoded node records: the per-node columns of a HeapGraph. */
export interface DecodedNodes {
  nodeType: Uint32Array;
  nodeSize: Float64Array;
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
  sizeSum: number;
}

/**
 * Decodes every node record of the blob (§5.4) into flat arrays, in two passes: the first reads
 * type, size and child count (and remembers where the children start), the second fills the CSR
 * edge array. Every byte read is bounds-checked against the blob and every index against its table,
 * with the failing file offset in the error.
 */
export function decodeNodeRecords(g: RawMemoryGraph, file: string): DecodedNodes {
  const { nodeCount, nodeOffsets, blob, typeSizes, blobFileOffset } = g;
  const typeCount = typeSizes.length;
  const blobLen = blob.length;
  const nodeType = new Uint32Array(nodeCount);
  const nodeSize = new Float64Array(nodeCount);
  const childStart = new Uint32Array(nodeCount);
  const firstEdge = new Uint32Array(nodeCount + 1);

  // A compressed int (1–5 bytes of 7-bit groups, big-endian, sign from bit 6 of the first byte).
  // Inlined as a closure over `pos` for speed; `pos` is shared state of the two passes.
  let pos = 0;
  let node = 0;
  const fail = (detail: string, blobPos: number): never => {
    throw new FormatError(file, blobFileOffset + blobPos, `node ${node}: ${detail}`);
  };
  const readInt = (what: string): number => {
    if (pos >= blobLen) fail(`${what} runs past the end of the node blob`, pos);
    let b = blob[pos++];
    let v = (b & 0x3f) - (b & 0x40);
    if ((b & 0x80) === 0) return v;
    for (let k = 0; k < 3; k++) {
      if (pos >= blobLen) fail(`${what} runs past the end of the node blob`, pos);
      b = blob[pos++];
      v = ((v << 7) + (b & 0x7f)) | 0;
      if ((b & 0x80) === 0) return v;
    }
    if (pos >= blobLen) fail(`${what} runs past the end of the node blob`, pos);
    b = blob[pos++];
    if (b & 0x80) fail(`${what} is longer than 5 bytes — corrupt record`, pos - 1);
    return ((v << 7) + b) | 0;
  };

  let edges = 0;
  let sizeSum = 0;
  for (node = 0; node < nodeCount; node++) {
    pos = nodeOffsets[node];
    const start = pos;
    const typeAndSize = readInt('type');
    const type = typeAndSize >> 1;
    if (typeAndSize < 0 || type >= typeCount) {
      fail(`type index ${type} is outside the ${typeCount}-entry type table`, start);
    }
    let size: number;
    if (typeAndSize & 1) {
      const at = pos;
      size = readInt('size');
      if (size < 0) fail(`negative size ${size}`, at);
    } else {
      size = typeSizes[type];
      if (size < 0) fail(`uses the default size of type ${type}, which has none (${size})`, start);
    }
    const countAt = pos;
    const childCount = readInt('child count');
    // Each child delta takes at least one byte: a cheap bound that rejects absurd counts early.
    if (childCount < 0 || childCount > blobLen - pos) {
      fail(`child count ${childCount} does not fit in the node blob`, countAt);
    }
    nodeType[node] = type;
    nodeSize[node] = size;
    sizeSum += size;
    childStart[node] = pos;
    firstEdge[node] = childCount;
    edges += childCount;
    // Skip the deltas: each compressed int ends at the first byte without the high bit.
    for (let c = 0; c < childCount; c++) {
      let len = 1;
      while (pos < blobLen && blob[pos] & 0x80 && len < 5) {
        pos++;
        len++;
      }
      if (pos >= blobLen) fail(`child ${c} runs past the end of the node blob`, pos);
      pos++;
    }
  }
  if (edges > 0xffffffff) fail(`${edges} edges exceed what a .gcdump can hold`, 0);

  // Prefix sum: firstEdge[i] currently holds node i's child count.
  let acc = 0;
  for (let i = 0; i < nodeCount; i++) {
    const c = firstEdge[i];
    firstEdge[i] = acc;
    acc += c;
  }
  firstEdge[nodeCount] = acc;

  const edgeTarget = new Uint32Array(acc);
  let e = 0;
  for (node = 0; node < nodeCount; node++) {
    pos = childStart[node];
    const end = firstEdge[node + 1];
    for (; e < end; e++) {
      const at = pos;
      const child = (node + readInt('child')) | 0;
      if (child < 0 || child >= nodeCount) fail(`child index ${child} is outside the ${nodeCount} nodes`, at);
      edgeTarget[e] = child;
    }
  }
  return { nodeType, nodeSize, firstEdge, edgeTarget, sizeSum };
}
