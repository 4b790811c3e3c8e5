import { FormatError } from '../../errors.js';

/**
 * Lazily filled file contents: `bytes` spans the whole file but only the ranges passed to
 * `ensure` are read from disk (untouched pages of a large zeroed buffer cost no memory).
 */
export interface LazyPages {
  ensure(start: number, end: number): void;
  /** Copies a range into `into` without keeping it in `bytes` (for tables read once). */
  copyInto(start: number, into: Uint8Array): void;
}

/**
 * Bounds-checked little-endian cursor over a whole file. Every read names what it expected so that
 * a truncated or corrupt file fails with "at byte N: expected X" instead of garbage or a RangeError.
 */
export class ByteReader {
  readonly view: DataView;
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
    private readonly pages?: LazyPages,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Makes [start, end) readable through `bytes`/`view` (a no-op for files held in memory). */
  ensure(start: number, end: number): void {
    this.pages?.ensure(Math.max(0, start), Math.min(this.bytes.length, end));
  }

  /** Copies the next `into.length` bytes into `into`, without keeping them in `bytes` when the file is lazy. */
  readInto(into: Uint8Array, what: string): void {
    if (into.length > this.bytes.length - this.pos) this.need(into.length, what);
    if (this.pages) this.pages.copyInto(this.pos, into);
    else into.set(this.bytes.subarray(this.pos, this.pos + into.length));
    this.pos += into.length;
  }

  /** Moves past `n` bytes without reading them. */
  skip(n: number, what: string): void {
    if (n > this.bytes.length - this.pos) this.need(n, what);
    this.pos += n;
  }

  get length(): number {
    return this.bytes.length;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  fail(detail: string, at: number = this.pos): never {
    throw new FormatError(this.file, at, detail);
  }

  /** Ensures `n` more bytes exist for `what`, else a truncation error. */
  need(n: number, what: string): void {
    if (n > this.bytes.length - this.pos) {
      this.fail(
        `expected ${what} (${n} byte${n === 1 ? '' : 's'}) but the file ends after ${this.bytes.length - this.pos} — the file is truncated`,
      );
    }
    this.pages?.ensure(this.pos, this.pos + n);
  }

  seek(offset: number, what: string): void {
    if (!Number.isInteger(offset) || offset < 0 || offset > this.bytes.length) {
      this.fail(`${what} points to offset ${offset}, outside the file (${this.bytes.length} bytes)`);
    }
    this.pos = offset;
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++];
  }

  peek(): number {
    return this.pos < this.bytes.length ? this.bytes[this.pos] : -1;
  }

  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f32(what: string): number {
    this.need(4, what);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Signed 64-bit value as a JS number; values beyond 2^53 lose precision, which callers accept for sizes/ticks. */
  i64(what: string): number {
    this.need(8, what);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getInt32(this.pos + 4, true);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  /** Unsigned 64-bit value as a JS number (exact below 2^53: every user-mode address). */
  u64(what: string): number {
    this.need(8, what);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  /** A count that must be >= 0 and whose items (each at least `minItemBytes`) must fit in the file. */
  count(what: string, minItemBytes: number): number {
    const at = this.pos;
    const n = this.i32(what);
    if (n < 0) this.fail(`${what} is negative (${n})`, at);
    if (n * minItemBytes > this.remaining) {
      this.fail(
        `${what} is ${n}, which needs at least ${n * minItemBytes} bytes but only ${this.remaining} remain — the file is truncated or the count is corrupt`,
        at,
      );
    }
    return n;
  }

  /** A view of the next `n` bytes (no copy). */
  slice(n: number, what: string): Uint8Array {
    this.need(n, what);
    const s = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /**
   * FastSerialization string: i32 UTF-16 code-unit count (-1 = null), then each code unit in a
   * 1–3 byte UTF-8-like form (surrogates encoded separately, so TextDecoder would be wrong).
   */
  string(what: string): string | null {
    const at = this.pos;
    const n = this.i32(`length of ${what}`);
    if (n === -1) return null;
    if (n < 0 || n > this.remaining) {
      this.fail(
        `length of ${what} is ${n}, but only ${this.remaining} bytes are left — the file is truncated or the length is corrupt`,
        at,
      );
    }
    const bytes = this.bytes;
    let p = this.pos;
    const end = bytes.length;
    this.pages?.ensure(p, p + 3 * n);
    // Fast path: pure ASCII, the overwhelmingly common case for type names and paths.
    let ascii = p + n <= end;
    if (ascii) {
      for (let i = 0; i < n; i++) {
        if (bytes[p + i] >= 0x80) {
          ascii = false;
          break;
        }
      }
    }
    if (ascii) {
      this.pos = p + n;
      return latin1(bytes, p, n);
    }
    const units = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      if (p >= end) this.fail(`${what} is cut off after ${i} of ${n} characters — the file is truncated`);
      const b = bytes[p];
      if (b < 0x80) {
        units[i] = b;
        p += 1;
      } else if (b < 0xe0) {
        if (p + 1 >= end) this.fail(`${what} is cut off inside a character — the file is truncated`, p);
        units[i] = ((b & 0x1f) << 6) | (bytes[p + 1] & 0x3f);
        p += 2;
      } else {
        if (p + 2 >= end) this.fail(`${what} is cut off inside a character — the file is truncated`, p);
        units[i] = ((b & 0x0f) << 12) | ((bytes[p + 1] & 0x3f) << 6) | (bytes[p + 2] & 0x3f);
        p += 3;
      }
    }
    this.pos = p;
    return fromUnits(units);
  }
}

function latin1(bytes: Uint8Array, start: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i += 4096) {
    s += String.fromCharCode.apply(
      null,
      Array.from(bytes.subarray(start + i, start + Math.min(n, i + 4096))),
    );
  }
  return s;
}

function fromUnits(units: Uint16Array): string {
  let s = '';
  for (let i = 0; i < units.length; i += 4096) {
    s += String.fromCharCode.apply(null, Array.from(units.subarray(i, Math.min(units.length, i + 4096))));
  }
  return s;
}
