import { BlobCursor, isPseudoRecord } from './blobCursor.js';
import type { RawMemoryGraph } from './memoryGraph.js';

/** Per type-index totals straight from the node records, without building the graph. */
export interface RecordTotals {
  count: Float64Array;
  bytes: Float64Array;
  sizeSum: number;
  unreachableObjects: number;
  unreachableBytes: number;
}

/**
 * Statistics in one lean pass: a depth-first walk from the root over the blob (children are read
 * in place, so no edge arrays exist) totals every reachable node, then the nodes it never reached
 * are totalled and counted as unreachable. Each record is decoded once; memory is the blob, the
 * offset table and one byte per node.
 */
export function scanRecords(g: RawMemoryGraph, file: string): RecordTotals {
  const n = g.nodeCount;
  const typeSizes = g.typeSizes;
  const count = new Float64Array(typeSizes.length);
  const bytes = new Float64Array(typeSizes.length);
  const cur = new BlobCursor(g, file);
  const seen = new Uint8Array(n);
  let sizeSum = 0;

  let stack = new Uint32Array(Math.min(n, 1 << 16));
  let top = 0;
  seen[g.rootIndex] = 1;
  stack[top++] = g.rootIndex;
  while (top > 0) {
    const node = stack[--top];
    cur.header(node);
    const t = cur.type;
    const size = cur.size;
    sizeSum += size;
    if (t !== 0 && !isPseudoRecord(t, size, typeSizes)) {
      count[t] += 1;
      bytes[t] += size;
    }
    for (let c = cur.childCount; c > 0; c--) {
      const child = cur.child();
      if (seen[child] === 0) {
        seen[child] = 1;
        if (top === stack.length) {
          const bigger = new Uint32Array(Math.min(n, stack.length * 2));
          bigger.set(stack);
          stack = bigger;
        }
        stack[top++] = child;
      }
    }
  }
  stack = new Uint32Array(0);

  let unreachableObjects = 0;
  let unreachableBytes = 0;
  for (let i = 0; i < n; i++) {
    if (seen[i] !== 0) continue;
    cur.header(i);
    const t = cur.type;
    const size = cur.size;
    sizeSum += size;
    if (t === 0 || isPseudoRecord(t, size, typeSizes)) continue;
    count[t] += 1;
    bytes[t] += size;
    unreachableObjects++;
    unreachableBytes += size;
  }
  return { count, bytes, sizeSum, unreachableObjects, unreachableBytes };
}
