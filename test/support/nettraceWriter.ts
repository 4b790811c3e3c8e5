/**
 * Writes small `.nettrace` files for tests (the format as the runtime writes it: Nettrace header,
 * Trace object, MetadataBlock / StackBlock / EventBlock / SPBlock objects, end tag), so edge cases
 * the runtime rarely produces — uncompressed event headers, activity ids, 32-bit pointers, stack
 * ids reused after a sequence point — can be checked exactly.
 */

export interface WrittenEvent {
  metadataId: number;
  payload: Uint8Array;
  stackId?: number;
  thread?: number;
  timestamp?: number;
  activity?: boolean;
}

export interface WrittenMetadata {
  id: number;
  provider: string;
  eventId: number;
  name?: string;
  version: number;
}

export type WrittenBlock =
  | { kind: 'metadata'; entries: WrittenMetadata[]; compressed?: boolean }
  | { kind: 'stacks'; firstId: number; stacks: number[][] }
  | { kind: 'events'; events: WrittenEvent[]; compressed?: boolean }
  | { kind: 'sp' };

class Out {
  bytes: number[] = [];
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.u8(v);
    this.u8(v >>> 8);
  }
  i32(v: number): void {
    for (let i = 0; i < 4; i++) this.u8(v >>> (8 * i));
  }
  u64(v: number): void {
    this.i32(v % 4294967296);
    this.i32(Math.floor(v / 4294967296));
  }
  ptr(v: number, size: number): void {
    if (size === 8) this.u64(v);
    else this.i32(v);
  }
  ascii(s: string): void {
    for (const c of s) this.u8(c.charCodeAt(0));
  }
  utf16z(s: string): void {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
    this.u16(0);
  }
  varint(v: number): void {
    let x = v;
    for (;;) {
      const b = x % 128;
      x = Math.floor(x / 128);
      if (x === 0) {
        this.u8(b);
        return;
      }
      this.u8(b | 0x80);
    }
  }
  append(b: ArrayLike<number>): void {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]);
  }
  get length(): number {
    return this.bytes.length;
  }
}

function typeObject(o: Out, name: string, version: number): void {
  o.u8(5);
  o.u8(1);
  o.i32(version);
  o.i32(version);
  o.i32(name.length);
  o.ascii(name);
  o.u8(6);
}

/** A whole trace: header, Trace object, the blocks, end tag. */
export function writeNettrace(
  blocks: readonly WrittenBlock[],
  opts: { pointerSize?: 4 | 8 } = {},
): Uint8Array {
  const ptr = opts.pointerSize ?? 8;
  const o = new Out();
  o.ascii('Nettrace');
  o.i32(20);
  o.ascii('!FastSerialization.1');
  o.u8(5);
  typeObject(o, 'Trace', 4);
  for (const v of [2026, 12, 4, 3, 13, 0, 0, 0]) o.u16(v);
  o.u64(1_000_000);
  o.u64(1_000_000_000);
  o.i32(ptr);
  o.i32(4242);
  o.i32(2);
  o.i32(1000);
  o.u8(6);
  for (const b of blocks) {
    const body = new Out();
    let name: string;
    if (b.kind === 'metadata' || b.kind === 'events') {
      name = b.kind === 'metadata' ? 'MetadataBlock' : 'EventBlock';
      const compressed = b.compressed !== false;
      body.u16(20);
      body.u16(compressed ? 1 : 0);
      body.u64(0);
      body.u64(0);
      const items: WrittenEvent[] =
        b.kind === 'metadata'
          ? b.entries.map((m) => ({ metadataId: 0, payload: metadataPayload(m) }))
          : b.events;
      let prevTime = 0;
      let prevMeta = 0;
      let prevSize = -1;
      for (const e of items) {
        const time = e.timestamp ?? prevTime + 10;
        if (compressed) {
          let flags = 0;
          if (e.metadataId !== prevMeta) flags |= 1;
          if (e.metadataId !== 0) flags |= 2 | 4 | 8;
          if (e.activity) flags |= 16 | 32;
          if (e.payload.length !== prevSize) flags |= 128;
          body.u8(flags);
          if (flags & 1) body.varint(e.metadataId);
          if (flags & 2) {
            body.varint(0);
            body.varint(e.thread ?? 7);
            body.varint(0);
          }
          if (flags & 4) body.varint(e.thread ?? 7);
          if (flags & 8) body.varint(e.stackId ?? 0);
          body.varint(time - prevTime);
          if (flags & 16) body.append(new Uint8Array(16).fill(0xaa));
          if (flags & 32) body.append(new Uint8Array(16).fill(0xbb));
          if (flags & 128) body.varint(e.payload.length);
          body.append(e.payload);
        } else {
          body.i32(76 + e.payload.length);
          body.i32(e.metadataId);
          body.i32(1);
          body.u64(e.thread ?? 7);
          body.u64(e.thread ?? 7);
          body.i32(0);
          body.i32(e.stackId ?? 0);
          body.u64(time);
          body.append(new Uint8Array(32));
          body.i32(e.payload.length);
          body.append(e.payload);
          // Padding to 4 bytes relative to the block start; the block itself starts 4-aligned.
          while (body.length % 4 !== 0) body.u8(0);
        }
        prevTime = time;
        prevMeta = e.metadataId;
        prevSize = e.payload.length;
      }
    } else if (b.kind === 'stacks') {
      name = 'StackBlock';
      body.i32(b.firstId);
      body.i32(b.stacks.length);
      for (const s of b.stacks) {
        body.i32(s.length * ptr);
        for (const ip of s) body.ptr(ip, ptr);
      }
    } else {
      name = 'SPBlock';
      body.u64(0);
      body.i32(0);
    }
    o.u8(5);
    typeObject(o, name, 2);
    o.i32(body.length);
    while (o.length % 4 !== 0) o.u8(0);
    o.append(body.bytes);
    o.u8(6);
  }
  o.u8(1);
  return Uint8Array.from(o.bytes);
}

function metadataPayload(m: WrittenMetadata): Uint8Array {
  const o = new Out();
  o.i32(m.id);
  o.utf16z(m.provider);
  o.i32(m.eventId);
  o.utf16z(m.name ?? '');
  o.u64(0);
  o.i32(m.version);
  o.i32(5);
  o.i32(0);
  return Uint8Array.from(o.bytes);
}

/** AllocationTick_V4 payload. */
export function allocationTick(
  type: string,
  amount: number,
  opts: { kind?: number; heap?: number; pointerSize?: 4 | 8 } = {},
): Uint8Array {
  const ptr = opts.pointerSize ?? 8;
  const o = new Out();
  o.i32(Math.min(amount, 0xffffffff));
  o.i32(opts.kind ?? 0);
  o.u16(0);
  o.u64(amount);
  o.ptr(0x1000, ptr);
  o.utf16z(type);
  o.i32(opts.heap ?? 0);
  o.ptr(0x2000, ptr);
  o.u64(24);
  return Uint8Array.from(o.bytes);
}

/** MethodLoadVerbose / MethodDCEndVerbose payload. */
export function methodVerbose(start: number, size: number, ns: string, name: string): Uint8Array {
  const o = new Out();
  o.u64(1);
  o.u64(2);
  o.u64(start);
  o.i32(size);
  o.i32(0x06000001);
  o.i32(0);
  o.utf16z(ns);
  o.utf16z(name);
  o.utf16z('void ()');
  o.u16(0);
  o.u64(0);
  return Uint8Array.from(o.bytes);
}

export const RUNTIME = 'Microsoft-Windows-DotNETRuntime';
export const RUNDOWN = 'Microsoft-Windows-DotNETRuntimeRundown';

/** A small trace: two methods, two stacks, three ticks (one per event header form), a sequence point. */
export function sampleTrace(opts: { pointerSize?: 4 | 8 } = {}): Uint8Array {
  const ptr = opts.pointerSize ?? 8;
  const base = ptr === 8 ? 0x7f00_0000_0000 : 0x4000_0000;
  return writeNettrace(
    [
      {
        kind: 'metadata',
        entries: [
          { id: 1, provider: RUNTIME, eventId: 10, version: 4 },
          { id: 2, provider: RUNDOWN, eventId: 144, version: 1 },
        ],
      },
      { kind: 'stacks', firstId: 1, stacks: [[base + 0x10, base + 0x110], [base + 0x110]] },
      {
        kind: 'events',
        events: [
          { metadataId: 1, payload: allocationTick('My.Order', 100_000, { pointerSize: ptr }), stackId: 1 },
          {
            metadataId: 1,
            payload: allocationTick('My.Order[]', 90_000, { kind: 1, heap: 1, pointerSize: ptr }),
            stackId: 2,
            activity: true,
          },
        ],
      },
      { kind: 'sp' },
      // After a sequence point stack ids start again: id 1 is now a different stack.
      { kind: 'stacks', firstId: 1, stacks: [[base + 0x150]] },
      {
        kind: 'events',
        compressed: false,
        events: [
          {
            metadataId: 1,
            payload: allocationTick('System.String', 110_000, { pointerSize: ptr }),
            stackId: 1,
          },
        ],
      },
      {
        kind: 'events',
        events: [
          { metadataId: 2, payload: methodVerbose(base, 0x100, 'My.Orders', 'Create') },
          { metadataId: 2, payload: methodVerbose(base + 0x100, 0x80, 'My.Program', 'Main') },
        ],
      },
    ],
    { pointerSize: ptr },
  );
}
