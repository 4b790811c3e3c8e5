// AssemblyScript: the hot loops of the .gcdump statistics sweep (../recordSweep.ts), compiled to
// WebAssembly by scripts/build-wasm.mjs. Compiled ahead of time they run at full speed from the
// first record, where the same loops in JavaScript spend a small heap's whole sweep warming up.
//
// They only take the common case and stop at anything else; the TypeScript side then reads that
// record with every check and reports any error. Memory (byte addresses, set by `layout`): per-type
// f64 counts and bytes of records with an explicit size, per-type i32 default sizes, per-type u32
// counts of records at the default size, the record-start bitset, the read buffer in use.

/** The longest compressed int. */
const MAX_INT: i32 = 5;

let typeCount: i32 = 0;
let countAt: usize = 0;
let bytesAt: usize = 0;
let sizesAt: usize = 0;
let plainAt: usize = 0;
let startsAt: usize = 0;
let bufAt: usize = 0;

let zeroNodes: i32 = 0;
let records: i32 = 0;
let sizeSum: f64 = 0;
let pendingChildren: i32 = 0;
let pendingRun: i32 = 0;
let intEnd: i32 = 0;
let intBad: bool = false;

export function layout(
  types: i32,
  counts: usize,
  bytes: usize,
  sizes: usize,
  plain: usize,
  starts: usize,
  buf: usize,
): void {
  typeCount = types;
  plainAt = plain;
  countAt = counts;
  bytesAt = bytes;
  sizesAt = sizes;
  startsAt = starts;
  bufAt = buf;
  zeroNodes = 0;
  records = 0;
  sizeSum = 0;
  pendingChildren = 0;
  pendingRun = 0;
}

/** Moves the read buffer: reads land in one of two, the next one's while the loops use the other. */
export function use(buf: usize): void {
  bufAt = buf;
}

/**
 * Sets the start bit of each of the `n` record offsets at the start of the buffer, counting the
 * zero ones (nodes sharing the undefined node's record). Returns the index of the first offset
 * that is outside the blob or already marked, or -1.
 */
export function mark(n: i32, blobLength: u32): i32 {
  for (let k: i32 = 0; k < n; k++) {
    const off = load<u32>(bufAt + ((<usize>k) << 2));
    if (off == 0) {
      zeroNodes++;
      continue;
    }
    if (off >= blobLength) return k;
    const word = startsAt + ((<usize>(off >>> 5)) << 2);
    const bit: u32 = 1 << (off & 31);
    const old = load<u32>(word);
    if ((old & bit) != 0) return k;
    store<u32>(word, old | bit);
  }
  return -1;
}

/**
 * The rest of a compressed int whose first byte, with the high bit set, gave `v`: up to four more
 * bytes, the last without the high bit (else `intBad`). Sets `intEnd` past it.
 */
function longInt(p: i32, v: i32): i32 {
  for (let k = 0; k < 3; k++) {
    const b: i32 = load<u8>(bufAt + p++);
    v = (v << 7) + (b & 0x7f);
    if ((b & 0x80) == 0) {
      intEnd = p;
      intBad = false;
      return v;
    }
  }
  const b: i32 = load<u8>(bufAt + p++);
  intEnd = p;
  intBad = (b & 0x80) != 0;
  return (v << 7) + b;
}

/**
 * Sweeps records from buffer position `pos` (blob offset `base + pos`), first skipping children
 * left over from the last call. Stops at the first record the checked path must read (at offset
 * 0, at a start no node points at, with an out-of-range or over-long int, with a child longer
 * than 5 bytes), within 15 bytes of `end`, or at `end` with children still to skip (`pending()`).
 * Returns where it stopped, or -1 - the position of the byte that makes a leftover child too long.
 */
export function sweep(pos: i32, end: i32, base: u32, maxCount: u32): i32 {
  let c = pendingChildren;
  let run = pendingRun;
  pendingChildren = 0;
  while (c > 0 && pos < end) {
    if (load<u8>(bufAt + pos) & 0x80) {
      if (++run == MAX_INT) return -1 - pos;
    } else {
      run = 0;
      c--;
    }
    pos++;
  }
  if (c > 0) {
    pendingChildren = c;
    pendingRun = run;
    return pos;
  }

  const safe = end - 3 * MAX_INT;
  let n: i32 = 0;
  let sum: f64 = 0;
  while (pos < safe) {
    const start: u32 = base + <u32>pos;
    if (start == 0) break;
    if ((load<u32>(startsAt + ((<usize>(start >>> 5)) << 2)) & ((<u32>1) << (start & 31))) == 0) break;
    let p: i32 = pos;
    let b: i32 = load<u8>(bufAt + p++);
    let v: i32 = (b & 0x3f) - (b & 0x40);
    if (b & 0x80) {
      v = longInt(p, v);
      if (intBad) break;
      p = intEnd;
    }
    const type = v >> 1;
    if (v < 0 || type >= typeCount) break;
    let size: i32;
    if (v & 1) {
      b = load<u8>(bufAt + p++);
      size = (b & 0x3f) - (b & 0x40);
      if (b & 0x80) {
        size = longInt(p, size);
        if (intBad) break;
        p = intEnd;
      }
      if (size < 0) break;
    } else {
      size = load<i32>(sizesAt + ((<usize>type) << 2));
      if (size < 0) break;
    }
    b = load<u8>(bufAt + p++);
    c = (b & 0x3f) - (b & 0x40);
    if (b & 0x80) {
      c = longInt(p, c);
      if (intBad) break;
      p = intEnd;
    }
    if (c < 0 || <u32>c > maxCount - (base + <u32>p)) break;
    // A child longer than 5 bytes leaves the whole record, uncounted, to the checked path.
    run = 0;
    while (c > 0 && p < end) {
      if (load<u8>(bufAt + p++) & 0x80) {
        if (++run == MAX_INT) break;
      } else {
        run = 0;
        c--;
      }
    }
    if (run == MAX_INT) break;
    n++;
    if (v & 1) {
      sum += <f64>size;
      if (type != 0 && size > 0) {
        const at = (<usize>type) << 3;
        store<f64>(countAt + at, load<f64>(countAt + at) + 1.0);
        store<f64>(bytesAt + at, load<f64>(bytesAt + at) + <f64>size);
      }
    } else {
      // At the type's default size: only counted here, sized once at the end (`plainCounts`).
      const at = plainAt + ((<usize>type) << 2);
      store<u32>(at, load<u32>(at) + 1);
    }
    pos = p;
    if (c > 0) {
      pendingChildren = c;
      pendingRun = run;
      break;
    }
  }
  records += n;
  sizeSum += sum;
  return pos;
}

/** Children of the last record still to skip when `sweep` reached the end of the buffer. */
export function pending(): i32 {
  return pendingChildren;
}

/** Nodes whose offset is 0, from `mark`. */
export function zeroNodeCount(): i32 {
  return zeroNodes;
}

/** Records `sweep` has counted. */
export function recordCount(): i32 {
  return records;
}

/** The sum of the sizes of those with an explicit size (the others are counted by type). */
export function sizeTotal(): f64 {
  return sizeSum;
}
