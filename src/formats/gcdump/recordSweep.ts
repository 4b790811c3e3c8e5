import { FormatError } from '../../errors.js';
import { isObjectRecord } from './blobCursor.js';
import { shrankError, type PendingRead, type Reading, type StartRead } from './fileReads.js';
import type { GraphLayout } from './memoryGraph.js';
import { WASM_BASE64 } from './recordSweepWasm.js';

/** Per type-index totals of every node record, from one forward pass over the file. */
export interface SweepTotals {
  count: Float64Array;
  bytes: Float64Array;
  sizeSum: number;
}

const CHUNK = 1 << 20;
/** Room before a chunk for the start of a record the last chunk cut off. */
const PREFIX = 64;
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
  use(buf: number): void;
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
export function* sweepRecords(
  layout: GraphLayout,
  typeSizes: Int32Array,
  startRead: StartRead,
  file: string,
): Reading<SweepTotals> {
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
  // start bits, two read slots. WebAssembly memory is little-endian whatever the host, so the
  // small tables go through a DataView.
  const typeCount = typeSizes.length;
  const countAt = 0;
  const bytesAt = countAt + 8 * typeCount;
  const sizesAt = bytesAt + 8 * typeCount;
  const plainAt = sizesAt + 4 * typeCount;
  const startsAt = (plainAt + 4 * typeCount + 7) & ~7;
  const slotsAt = (startsAt + 4 * Math.ceil(blobLength / 32) + 7) & ~7;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((slotsAt + 2 * (PREFIX + CHUNK)) / 65536) });
  const loops = sweepLoops(memory);
  const view = new DataView(memory.buffer);
  for (let t = 0; t < typeCount; t++) view.setInt32(sizesAt + 4 * t, typeSizes[t], true);
  loops.layout(typeCount, countAt, bytesAt, sizesAt, plainAt, startsAt, slotsAt);
  const startBytes = new Uint8Array(memory.buffer, startsAt, slotsAt - startsAt);
  const slots = [0, 1].map(
    (k) => new Uint8Array(memory.buffer, slotsAt + k * (PREFIX + CHUNK), PREFIX + CHUNK),
  );
  const chunks = new ChunkReads(startRead, slots, file);
  chunks.plan(offsetsAt, nodeCount * 4);
  chunks.plan(blobAt, blobLength);

  // 1. The offset table: mark each record start, count the nodes sharing offset 0.
  for (let first = 0; first < nodeCount;) {
    const c = yield* chunks.next();
    const dataAt = slots[c.slot].byteOffset + PREFIX;
    loops.use(dataAt);
    const n = c.length >>> 2;
    const bad = loops.mark(n, blobLength);
    if (bad >= 0)
      offsetError(file, offsetsAt, first + bad, view.getUint32(dataAt + 4 * bad, true), blobLength);
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
  const s = new BlobStream(chunks, loops, blobAt, blobLength, file);
  const maxCount = blobLength; // a child takes at least one byte
  for (;;) {
    const at = loops.sweep(s.pos, s.end, s.base, maxCount);
    if (at < 0) s.fail('a child index is longer than 5 bytes — corrupt record', s.base - 1 - at);
    s.pos = at;
    if (loops.pending() > 0) {
      // The last record's children run on past the buffer.
      yield* s.ensure(1);
      if (s.pos >= s.end) s.fail(`a child runs past the end of the node blob`, s.offset);
      continue;
    }
    if (s.end - s.pos <= 3 * MAX_INT && s.base + s.end < blobLength) {
      yield* s.ensure(3 * MAX_INT + 1); // near the end of the buffer, not of the blob: refill
      continue;
    }
    if (s.offset >= blobLength) break;
    const r = yield* checkedRecord(s, typeSizes, zeroNodes, isStart);
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
function* checkedRecord(
  s: BlobStream,
  typeSizes: Int32Array,
  zeroNodes: number,
  isStart: (offset: number) => boolean,
): Reading<CheckedRecord> {
  const start = s.offset;
  const typeCount = typeSizes.length;
  if (start !== 0 && !isStart(start)) {
    s.fail(
      'a record starts here that no node points at: the blob is not a sequence of node records — corrupt file',
      start,
    );
  }
  yield* s.ensure(3 * MAX_INT);
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
  if (childCount > 0) yield* s.skipInts(childCount, 0);
  return { start, type, size, weight: start === 0 ? zeroNodes : 1 };
}

interface Chunk {
  slot: number;
  /** Where in the file it was read from, and how many bytes. */
  at: number;
  length: number;
}

/**
 * Reads planned file regions chunk by chunk into two slots, each chunk at `PREFIX` in its slot:
 * while one chunk is used, the next is on its way into the other slot.
 */
class ChunkReads {
  private readonly chunks: { at: number; length: number }[] = [];
  private readonly reads: PendingRead[] = [0, 0];
  private taken = 0;

  constructor(
    private readonly startRead: StartRead,
    readonly slots: Uint8Array[],
    private readonly file: string,
  ) {}

  /** Appends `length` bytes at `at` to what is read, in chunks of at most `CHUNK` bytes. */
  plan(at: number, length: number): void {
    for (let off = 0; off < length; off += CHUNK)
      this.chunks.push({ at: at + off, length: Math.min(CHUNK, length - off) });
  }

  /** Every planned chunk has been taken. */
  get done(): boolean {
    return this.taken >= this.chunks.length;
  }

  /** The slot the next chunk lands in; bytes may be put before it (in `PREFIX`) meanwhile. */
  get nextSlot(): number {
    return this.taken & 1;
  }

  /** Waits for the next chunk; from then on the previous chunk's slot receives the one after. */
  *next(): Reading<Chunk> {
    const i = this.taken++;
    if (i === 0) this.start(0);
    this.start(i + 1);
    const n = yield this.reads[i & 1];
    const { at, length } = this.chunks[i];
    if (n < length) throw shrankError(this.file, at + n, length - n);
    return { slot: i & 1, at, length };
  }

  private start(i: number): void {
    if (i >= this.chunks.length) return;
    const { at, length } = this.chunks[i];
    this.reads[i & 1] = this.startRead(at, this.slots[i & 1].subarray(PREFIX, PREFIX + length));
  }
}

/** Forward-only reader of compressed ints over the node blob, read chunk by chunk. */
class BlobStream {
  /** Next byte in `buf`; the fast path reads and moves it directly. */
  pos = 0;
  /** End of the valid bytes in `buf`. */
  end = 0;
  /** Blob offset of buf[0]. */
  base = 0;
  /** The slot of the chunk in use. */
  buf: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly chunks: ChunkReads,
    private readonly loops: SweepLoops,
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

  /**
   * Makes at least `n` bytes (at most `PREFIX`) readable from `pos`, fewer only at the end of the
   * blob: the bytes left move in front of the next chunk.
   */
  *ensure(n: number): Reading<void> {
    if (this.end - this.pos >= n || this.chunks.done) return;
    const keep = this.end - this.pos;
    const next = this.chunks.slots[this.chunks.nextSlot];
    next.set(this.buf.subarray(this.pos, this.end), PREFIX - keep);
    const c = yield* this.chunks.next();
    this.buf = this.chunks.slots[c.slot];
    this.loops.use(this.buf.byteOffset);
    this.base = c.at - this.blobAt - PREFIX;
    this.pos = PREFIX - keep;
    this.end = PREFIX + c.length;
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
  *skipInts(n: number, run: number): Reading<void> {
    let left = n;
    let len = run;
    while (left > 0) {
      if (this.pos >= this.end) {
        yield* this.ensure(1);
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
