import { BlobCursor, isObjectRecord } from './blobCursor.js';
import type { RawMemoryGraph } from './memoryGraph.js';
import { RecordClaims } from './recordClaims.js';

/** Per type-index totals straight from the node records, without building the graph. */
export interface RecordTotals {
  count: Float64Array;
  bytes: Float64Array;
  sizeSum: number;
  unreachableObjects: number;
  unreachableBytes: number;
}

/**
 * Statistics without building the graph: children are read in place from the blob, so no edge
 * arrays exist; memory is the blob, the offset table and one byte per node.
 *
 * Reachability is a sweep in node order rather than a plain depth-first walk: random jumps
 * through the blob cost more than decoding it, and most edges point forward (dotnet-gcdump numbers
 * nodes as it discovers them). A node reached from a node the sweep has already passed goes on a
 * stack, finished depth-first afterwards, so the result is exact whatever the edge order.
 */
export function scanRecords(g: RawMemoryGraph, file: string): RecordTotals {
  const n = g.nodeCount;
  const typeSizes = g.typeSizes;
  const count = new Float64Array(typeSizes.length);
  const bytes = new Float64Array(typeSizes.length);
  const cur = new BlobCursor(g, file);
  const claims = new RecordClaims(g.blob.length);
  const seen = new Uint8Array(n);
  let stack = new Uint32Array(Math.min(n, 1 << 16));
  let top = 0;
  let sizeSum = 0;

  const reach = (child: number, passed: boolean): void => {
    if (seen[child] !== 0) return;
    seen[child] = 1;
    if (!passed) return; // the sweep will expand it when it gets there
    if (top === stack.length) {
      const bigger = new Uint32Array(Math.min(n, stack.length * 2));
      bigger.set(stack);
      stack = bigger;
    }
    stack[top++] = child;
  };

  seen[g.rootIndex] = 1;
  for (let i = 0; i < n; i++) {
    cur.header(i);
    const t = cur.type;
    const size = cur.size;
    sizeSum += size;
    if (isObjectRecord(t, size)) {
      count[t] += 1;
      bytes[t] += size;
    }
    if (seen[i] === 0) cur.skipInts(cur.childCount);
    else {
      for (let c = cur.childCount; c > 0; c--) {
        const child = cur.child();
        reach(child, child <= i);
      }
    }
    claims.claim(cur, g.nodeOffsets[i]);
  }
  while (top > 0) {
    const node = stack[--top];
    cur.header(node);
    // Everything on the stack was passed by the sweep, and so is everything reached from here
    // except nodes the sweep will never see again: all are expanded here.
    for (let c = cur.childCount; c > 0; c--) reach(cur.child(), true);
  }
  stack = new Uint32Array(0);

  let unreachableObjects = 0;
  let unreachableBytes = 0;
  for (let i = 0; i < n; i++) {
    if (seen[i] !== 0) continue;
    cur.header(i);
    if (!isObjectRecord(cur.type, cur.size)) continue;
    unreachableObjects++;
    unreachableBytes += cur.size;
  }
  return { count, bytes, sizeSum, unreachableObjects, unreachableBytes };
}
