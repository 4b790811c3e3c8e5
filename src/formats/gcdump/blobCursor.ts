import { FormatError } from '../../errors.js';
import type { RawMemoryGraph } from './memoryGraph.js';

/**
 * Reads node records (§5.4) out of the node blob. One cursor is reused for every node so the hot
 * loops allocate nothing; every byte read is bounds-checked and errors carry the file offset.
 */
export class BlobCursor {
  pos = 0;
  node = 0;
  /** Set by `header()`. */
  type = 0;
  size = 0;
  childCount = 0;
  private readonly blob: Uint8Array;
  private readonly end: number;
  private readonly typeSizes: Int32Array;
  private readonly typeCount: number;
  private readonly offsets: Uint32Array;
  private readonly nodeCount: number;

  constructor(
    private readonly g: RawMemoryGraph,
    private readonly file: string,
  ) {
    this.blob = g.blob;
    this.end = g.blob.length;
    this.typeSizes = g.typeSizes;
    this.typeCount = g.typeSizes.length;
    this.offsets = g.nodeOffsets;
    this.nodeCount = g.nodeCount;
  }

  fail(detail: string, blobPos: number): never {
    throw new FormatError(this.file, this.g.blobFileOffset + blobPos, `node ${this.node}: ${detail}`);
  }

  /** A compressed int: 1–5 bytes of 7-bit groups, big-endian, sign taken from bit 6 of the first. */
  int(what: string): number {
    const blob = this.blob;
    const end = this.end;
    if (this.pos >= end) this.fail(`${what} runs past the end of the node blob`, this.pos);
    let b = blob[this.pos++];
    let v = (b & 0x3f) - (b & 0x40);
    if ((b & 0x80) === 0) return v;
    for (let k = 0; k < 3; k++) {
      if (this.pos >= end) this.fail(`${what} runs past the end of the node blob`, this.pos);
      b = blob[this.pos++];
      v = ((v << 7) + (b & 0x7f)) | 0;
      if ((b & 0x80) === 0) return v;
    }
    if (this.pos >= end) this.fail(`${what} runs past the end of the node blob`, this.pos);
    b = blob[this.pos++];
    if (b & 0x80) this.fail(`${what} is longer than 5 bytes — corrupt record`, this.pos - 1);
    return ((v << 7) + b) | 0;
  }

  /** Positions at node `i`'s record and reads type, size and child count; `pos` is then at its first child. */
  header(i: number): void {
    this.node = i;
    this.pos = this.offsets[i];
    const start = this.pos;
    const typeAndSize = this.int('type');
    const type = typeAndSize >> 1;
    if (typeAndSize < 0 || type >= this.typeCount) {
      this.fail(`type index ${type} is outside the ${this.typeCount}-entry type table`, start);
    }
    let size: number;
    if (typeAndSize & 1) {
      const at = this.pos;
      size = this.int('size');
      if (size < 0) this.fail(`negative size ${size}`, at);
    } else {
      size = this.typeSizes[type];
      if (size < 0) this.fail(`uses the default size of type ${type}, which has none (${size})`, start);
    }
    const countAt = this.pos;
    const childCount = this.int('child count');
    // Each child delta takes at least one byte: a cheap bound that rejects absurd counts early.
    if (childCount < 0 || childCount > this.end - this.pos) {
      this.fail(`child count ${childCount} does not fit in the node blob`, countAt);
    }
    this.type = type;
    this.size = size;
    this.childCount = childCount;
  }

  /** The next child's node index, validated against the node count. */
  child(): number {
    const at = this.pos;
    const c = (this.node + this.int('child')) | 0;
    if (c < 0 || c >= this.g.nodeCount)
      this.fail(`child index ${c} is outside the ${this.g.nodeCount} nodes`, at);
    return c;
  }

  /** Skips `n` compressed ints (each ends at the first byte without the high bit). */
  skipInts(n: number): void {
    const blob = this.blob;
    const end = this.end;
    for (let c = 0; c < n; c++) {
      let len = 1;
      while (this.pos < end && blob[this.pos] & 0x80 && len < 5) {
        this.pos++;
        len++;
      }
      if (this.pos >= end) this.fail(`child ${c} runs past the end of the node blob`, this.pos);
      this.pos++;
    }
  }
}

/**
 * The one definition of "an object on the heap" for every way of reading a .gcdump (statistics
 * scan and graph): a defined node (not type 0 `UNDEFINED`) with a size. Root pseudo-nodes
 * (`[static vars]`) have size 0, and so does nothing the runtime allocates, whether or not the
 * record carries an address.
 */
export function isObjectRecord(type: number, size: number): boolean {
  return type !== 0 && size > 0;
}
