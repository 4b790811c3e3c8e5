import { FormatError } from '../../errors.js';
import { isObjectRecord } from './blobCursor.js';
import type { GraphLayout } from './memoryGraph.js';
import { WASM_BASE64 } from './recordSweepWasm.js';

/** Reads `into.length` bytes of the file at `at` into `into` (short only at the end of the file). */
export type ReadRange = (at: number, into: Uint8Array) => void;

/** Per type-index totals of every node record, from one forward pass over the file. */
export interface SweepTotals {
  count: Float64Array;
  bytes: Float64Array;
  sizeSum: number;
}

const CHUNK = 1 << 20;
/** The longest compressed int: a record header never needs more than 3 of them at once. */
const MAX_INT = 5;
/** Record offsets are 32-bit: no node can point further into the blob. */
const MAX_BLOB = 2 ** 32 - 1;

/** The loops in assembly/recordSweep.ts. */
interface SweepLoops {
  layout(
    types: number,
    counts: number,
    bytes: number,
    sizes: number,
    plain: number,
    starts: number,
    buf: number,
  ): void;
  mark(n: number, blobLength: number): number;
  sweep(pos: number, end: number, base: number, maxCount: number): number;
  pending(): number;
  zeroNodeCount(): number;
  recordCount(): number;
  sizeTotal(): number;
}

let compiled: WebAssembly.Module | undefined;

/** An instance of the loops working on `memory` (the module is compiled once per process). */
function sweepLoops(memory: WebAssembly.Memory): SweepLoops {
  compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as SweepLoops;
}

/**
 * Statistics in one forward pass through the offset table and the node blob, each read through
 * one reused buffer: nothing file-sized is held, and no table is kept beyond one bit per blob byte.
 *
 * Records are decoded in blob order, not node order; their children are skipped, since a child
 * delta is relative to the node index, which blob order does not give. The pass is exact only if
 * the blob is exactly the nodes' records, as the writer lays it out: so every non-zero node
 * offset must be distinct (one bit each), every record the pass meets must start at one of them,
 * and there must be as many records as such offsets. The record at offset 0 (the undefined node's
 * `00 00`) counts once per node pointing at it. Any file for which this differs from decoding node
 * by node is rejected as corrupt.
 */
export function sweepRecords(
  layout: GraphLayout,
  typeSizes: Int32Array,
  readRange: ReadRange,
  file: string,
): SweepTotals {
  const { nodeCount, offsetsAt, blobAt, blobLength } = layout;
  if (blobLength === 0) {
    throw new FormatError(file, offsetsAt, `node 0's record offset is outside the empty node blob`);
  }
  if (blobLength > MAX_BLOB) {
    throw new FormatError(
      file,
      blobAt,
      `the node blob is ${blobLength} bytes, more than 32-bit record offsets reach — corrupt file`,
    );
  }
  // One memory for the loops: per-type totals, default sizes and counts of records at them, the
  // start bits, the read buffer. WebAssembly memory is little-endian whatever the host, so the
  // small tables go through a DataView.
  const typeCount = typeSizes.length;
  const countAt = 0;
  const bytesAt = countAt + 8 * typeCount;
  const sizesAt = bytesAt + 8 * typeCount;
  const plainAt = sizesAt + 4 * typeCount;
  const startsAt = (plainAt + 4 * typeCount + 7) & ~7;
  const bufAt = (startsAt + 4 * Math.ceil(blobLength / 32) + 7) & ~7;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((bufAt + CHUNK) / 65536) });
  const loops = sweepLoops(memory);
  const view = new DataView(memory.buffer);
  for (let t = 0; t < typeCount; t++) view.setInt32(sizesAt + 4 * t, typeSizes[t], true);
  loops.layout(typeCount, countAt, bytesAt, sizesAt, plainAt, startsAt, bufAt);
  const startBytes = new Uint8Array(memory.buffer, startsAt, bufAt - startsAt);
  const buf = new Uint8Array(memory.buffer, bufAt, CHUNK);

  // 1. The offset table: mark each record start, count the nodes sharing offset 0.
  for (let first = 0; first < nodeCount;) {
    const n = Math.min(nodeCount - first, CHUNK >>> 2);
    readRange(offsetsAt + first * 4, buf.subarray(0, n * 4));
    const bad = loops.mark(n, blobLength);
    if (bad >= 0)
      offsetError(file, offsetsAt, first + bad, view.getUint32(bufAt + 4 * bad, true), blobLength);
    first += n;
  }
  const zeroNodes = loops.zeroNodeCount();
  const isStart = (offset: number) => (startBytes[offset >>> 3] & (1 << (offset & 7))) !== 0;

  // 2. The blob, record by record: the common case (a header wholly in the buffer, short ints) in
  // the loops, anything else — and every error — through the checked path, one record at a time.
  const count = new Float64Array(typeCount);
  const bytes = new Float64Array(typeCount);
  let sizeSum = 0;
  let records = 0;
  const s = new BlobStream(readRange, buf, blobAt, blobLength, file);
  const maxCount = blobLength; // a child takes at least one byte
  for (;;) {
    const at = loops.sweep(s.pos, s.end, s.base, maxCount);
    if (at < 0) s.fail('a child index is longer than 5 bytes — corrupt record', s.base - 1 - at);
    s.pos = at;
    if (loops.pending() > 0) {
      // The last record's children run on past the buffer.
      s.ensure(1);
      if (s.pos >= s.end) s.fail(`a child runs past the end of the node blob`, s.offset);
      continue;
    }
    if (s.end - s.pos <= 3 * MAX_INT && s.base + s.end < blobLength) {
      s.ensure(3 * MAX_INT + 1); // near the end of the buffer, not of the blob: refill
      continue;
    }
    if (s.offset >= blobLength) break;
    const r = checkedRecord(s, typeSizes, zeroNodes, isStart);
    if (r.start !== 0) records++;
    sizeSum += r.size * r.weight;
    if (r.weight > 0 && isObjectRecord(r.type, r.size)) {
      count[r.type] += r.weight;
      bytes[r.type] += r.size * r.weight;
    }
  }
  records += loops.recordCount();
  sizeSum += loops.sizeTotal();
  for (let t = 0; t < typeCount; t++) {
    count[t] += view.getFloat64(countAt + 8 * t, true);
    bytes[t] += view.getFloat64(bytesAt + 8 * t, true);
    // Records at the type's default size, counted by the loops and sized here.
    const plain = view.getUint32(plainAt + 4 * t, true);
    const size = typeSizes[t];
    sizeSum += plain * size;
    if (plain > 0 && isObjectRecord(t, size)) {
      count[t] += plain;
      bytes[t] += plain * size;
    }
  }
  const defined = nodeCount - zeroNodes;
  if (records !== defined) {
    throw new FormatError(
      file,
      blobAt,
      `the node blob holds ${records} records after the undefined node's but ${defined} nodes point into it — corrupt file`,
    );
  }
  return { count, bytes, sizeSum };
}

/** Why node `node`'s offset `off` is refused: outside the blob, or a record another node has. */
function offsetError(file: string, offsetsAt: number, node: number, off: number, blobLength: number): never {
  const at = offsetsAt + node * 4;
  if (off >= blobLength) {
    throw new FormatError(
      file,
      at,
      `node ${node}'s record offset ${off} is outside the ${blobLength}-byte node blob`,
    );
  }
  throw new FormatError(
    file,
    at,
    `node ${node} shares its record (offset ${off}) with another node: records are never shared — corrupt file`,
  );
}

interface CheckedRecord {
  start: number;
  type: number;
  size: number;
  /** How many nodes the record stands for: 1, or the number pointing at offset 0. */
  weight: number;
}

/** Reads one record with every check, refilling the buffer as needed, and skips its children. */
function checkedRecord(
  s: BlobStream,
  typeSizes: Int32Array,
  zeroNodes: number,
  isStart: (offset: number) => boolean,
): CheckedRecord {
  const start = s.offset;
  const typeCount = typeSizes.length;
  if (start !== 0 && !isStart(start)) {
    s.fail(
      'a record starts here that no node points at: the blob is not a sequence of node records — corrupt file',
      start,
    );
  }
  s.ensure(3 * MAX_INT);
  const typeAndSize = s.int('type');
  const type = typeAndSize >> 1;
  if (typeAndSize < 0 || type >= typeCount) {
    s.fail(`type index ${type} is outside the ${typeCount}-entry type table`, start);
  }
  let size: number;
  if (typeAndSize & 1) {
    const at = s.offset;
    size = s.int('size');
    if (size < 0) s.fail(`negative size ${size}`, at);
  } else {
    size = typeSizes[type];
    if (size < 0) s.fail(`uses the default size of type ${type}, which has none (${size})`, start);
  }
  const countAt = s.offset;
  const childCount = s.int('child count');
  if (childCount < 0 || childCount > s.blobLength - s.offset) {
    s.fail(`child count ${childCount} does not fit in the node blob`, countAt);
  }
  // The undefined node's record is shared by every node pointing at offset 0, so it must be childless.
  if (start === 0 && zeroNodes > 1 && childCount > 0) {
    s.fail(`the record at offset 0 is shared by ${zeroNodes} nodes and has children — corrupt file`, start);
  }
  if (childCount > 0) s.skipInts(childCount, 0);
  return { start, type, size, weight: start === 0 ? zeroNodes : 1 };
}

/** Forward-only reader of compressed ints over a file region, refilled in place. */
class BlobStream {
  /** Next byte in `buf`; the fast path reads and moves it directly. */
  pos = 0;
  /** End of the valid bytes in `buf`. */
  end = 0;
  /** Blob offset of buf[0]. */
  base = 0;

  constructor(
    private readonly readRange: ReadRange,
    readonly buf: Uint8Array,
    private readonly blobAt: number,
    readonly blobLength: number,
    private readonly file: string,
  ) {}

  /** Blob offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  fail(detail: string, blobOffset: number): never {
    throw new FormatError(this.file, this.blobAt + blobOffset, detail);
  }

  /** Makes at least `n` bytes readable from `pos` (fewer only at the end of the blob). */
  ensure(n: number): void {
    if (this.end - this.pos >= n) return;
    const keep = this.end - this.pos;
    this.buf.copyWithin(0, this.pos, this.end);
    this.base += this.pos;
    this.pos = 0;
    const want = Math.min(this.buf.length - keep, this.blobLength - this.base - keep);
    if (want > 0) this.readRange(this.blobAt + this.base + keep, this.buf.subarray(keep, keep + want));
    this.end = keep + want;
  }

  /** A compressed int (reference §5.4); call `ensure` first. */
  int(what: string): number {
    const buf = this.buf;
    const end = this.end;
    if (this.pos >= end) this.fail(`${what} runs past the end of the node blob`, this.offset);
    let b = buf[this.pos++];
    let v = (b & 0x3f) - (b & 0x40);
    if ((b & 0x80) === 0) return v;
    for (let k = 0; k < 3; k++) {
      if (this.pos >= end) this.fail(`${what} runs past the end of the node blob`, this.offset);
      b = buf[this.pos++];
      v = ((v << 7) + (b & 0x7f)) | 0;
      if ((b & 0x80) === 0) return v;
    }
    if (this.pos >= end) this.fail(`${what} runs past the end of the node blob`, this.offset);
    b = buf[this.pos++];
    if (b & 0x80) this.fail(`${what} is longer than 5 bytes — corrupt record`, this.offset - 1);
    return ((v << 7) + b) | 0;
  }

  /**
   * Skips `n` compressed ints: each ends at the first byte without the high bit, within 5 bytes
   * (`run` continuation bytes of the first may have been read already).
   */
  skipInts(n: number, run: number): void {
    let left = n;
    let len = run;
    while (left > 0) {
      if (this.pos >= this.end) {
        this.ensure(1);
        if (this.pos >= this.end) this.fail(`a child runs past the end of the node blob`, this.offset);
      }
      const buf = this.buf;
      const end = this.end;
      let pos = this.pos;
      while (pos < end && left > 0) {
        if (buf[pos++] & 0x80) {
          if (++len === MAX_INT)
            this.fail('a child index is longer than 5 bytes — corrupt record', this.base + pos - 1);
        } else {
          len = 0;
          left--;
        }
      }
      this.pos = pos;
    }
  }
}
