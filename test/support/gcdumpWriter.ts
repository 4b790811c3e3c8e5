/**
 * A small .gcdump writer for tests: builds well-formed and deliberately hostile files following
 * the byte layout of reference/gcdump-format.md (FastSerialization + GCHeapDump v10 + MemoryGraph).
 */

export interface WriterType {
  name: string | null;
  /** Default node size; -1 when no node uses it. Pseudo types use 0. */
  size: number;
  module?: string | null;
}

export interface WriterNode {
  type: number;
  /** Explicit size; omit to use the type's default size. */
  size?: number;
  children?: number[];
  address?: number;
}

export interface WriterGraph {
  types: WriterType[];
  nodes: WriterNode[];
  root: number;
  /** Order in which node records are written into the blob (default: reverse index order). */
  recordOrder?: number[];
  is64Bit?: boolean;
  version?: number;
  creationTool?: string | null;
  processName?: string | null;
  processId?: number;
  timeCollectedTicks?: number;
  countMultipliers?: number[];
  averageCountMultiplier?: number;
  /** Override the header's total size (default: the sum of node sizes). */
  totalSize?: number;
  /** Rewrites the node-offset table before it is written (for crafted, hostile layouts). */
  patchOffsets?: (offsets: number[]) => void;
  /** Rewrites bytes of the node blob before it is written. */
  patchBlob?: (blob: Uint8Array) => void;
}

export class ByteSink {
  private buf = new Uint8Array(1024);
  length = 0;

  private grow(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u8(v: number): this {
    this.grow(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  bytes(b: ArrayLike<number>): this {
    this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  i32(v: number): this {
    this.grow(4);
    new DataView(this.buf.buffer).setInt32(this.length, v, true);
    this.length += 4;
    return this;
  }
  u32(v: number): this {
    this.grow(4);
    new DataView(this.buf.buffer).setUint32(this.length, v, true);
    this.length += 4;
    return this;
  }
  f32(v: number): this {
    this.grow(4);
    new DataView(this.buf.buffer).setFloat32(this.length, v, true);
    this.length += 4;
    return this;
  }
  i64(v: number): this {
    this.grow(8);
    new DataView(this.buf.buffer).setBigInt64(this.length, BigInt(v), true);
    this.length += 8;
    return this;
  }
  /** FastSerialization string: UTF-16 unit count, each unit in 1–3 bytes. */
  str(s: string | null): this {
    if (s === null) return this.i32(-1);
    this.i32(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c <= 0x7f) this.u8(c);
      else if (c <= 0x7ff) this.u8(0xc0 | (c >> 6)).u8(0x80 | (c & 0x3f));
      else
        this.u8(0xe0 | ((c >> 12) & 0xf))
          .u8(0x80 | ((c >> 6) & 0x3f))
          .u8(0x80 | (c & 0x3f));
    }
    return this;
  }
  /** Compressed int, shortest form (§5.4). */
  cint(v: number): this {
    if (v >= -64 && v <= 63) return this.u8(v & 0x7f);
    if (v >= -8192 && v <= 8191) return this.u8(((v >> 7) & 0x7f) | 0x80).u8(v & 0x7f);
    if (v >= -(1 << 20) && v < 1 << 20)
      return this.u8(((v >> 14) & 0x7f) | 0x80)
        .u8(((v >> 7) & 0x7f) | 0x80)
        .u8(v & 0x7f);
    if (v >= -(1 << 27) && v < 1 << 27) {
      return this.u8(((v >> 21) & 0x7f) | 0x80)
        .u8(((v >> 14) & 0x7f) | 0x80)
        .u8(((v >> 7) & 0x7f) | 0x80)
        .u8(v & 0x7f);
    }
    return this.u8(((v >> 28) & 0x7f) | 0x80)
      .u8(((v >> 21) & 0x7f) | 0x80)
      .u8(((v >> 14) & 0x7f) | 0x80)
      .u8(((v >> 7) & 0x7f) | 0x80)
      .u8(v & 0x7f);
  }
  patchU32(at: number, v: number): void {
    new DataView(this.buf.buffer).setUint32(at, v, true);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const MAGIC = '!FastSerialization.1';

function descriptor(s: ByteSink, name: string, version: number, minReader: number): void {
  s.u8(4).u8(1).i32(version).i32(minReader).str(name).u8(6);
}

/** Builds a complete .gcdump file. */
export function writeGcdump(g: WriterGraph): Uint8Array {
  const s = new ByteSink();
  s.str(MAGIC);
  s.u8(4); // BeginObject: GCHeapDump
  descriptor(s, 'GCHeapDump', g.version ?? 10, 8);
  s.u8(4); // BeginObject: MemoryGraph
  descriptor(s, 'Graphs.MemoryGraph', 1, 0);

  const sizes = g.nodes.map((n) => n.size ?? g.types[n.type]?.size ?? 0);
  s.i64(g.totalSize ?? sizes.reduce((a, b) => a + b, 0));
  s.i32(g.root);
  s.i32(g.types.length);
  for (const t of g.types)
    s.str(t.name)
      .i32(t.size)
      .str(t.module ?? null);

  // Blob: the undefined-node record first (offset 0), then records in recordOrder.
  const blob = new ByteSink();
  blob.u8(0).u8(0);
  const offsets = new Array<number>(g.nodes.length).fill(0);
  const order = g.recordOrder ?? g.nodes.map((_, i) => g.nodes.length - 1 - i);
  for (const i of order) {
    const n = g.nodes[i];
    if (n.type === 0) continue; // undefined nodes share the record at offset 0
    offsets[i] = blob.length;
    const explicit = n.size !== undefined && n.size !== g.types[n.type]?.size;
    blob.cint((n.type << 1) | (explicit ? 1 : 0));
    if (explicit) blob.cint(n.size ?? 0);
    const ch = n.children ?? [];
    blob.cint(ch.length);
    for (const c of ch) blob.cint((c - i) | 0);
  }
  g.patchOffsets?.(offsets);
  s.i32(g.nodes.length);
  for (const o of offsets) s.u32(o);
  const blobBytes = blob.finish();
  g.patchBlob?.(blobBytes);
  s.i32(blobBytes.length).bytes(blobBytes);
  s.i32(g.nodes.length);
  for (const n of g.nodes) s.i64(n.address ?? 0);
  s.u8(8).u8(g.is64Bit === false ? 0 : 1); // tagged Is64Bit
  s.u8(6); // end MemoryGraph

  s.u8(g.is64Bit === false ? 0 : 1);
  s.f32(g.averageCountMultiplier ?? 1).f32(1);
  s.u8(1).u8(1); // JSHeapInfo, DotNetHeapInfo: null
  s.str(null);
  s.i64(g.timeCollectedTicks ?? 0);
  s.str(null);
  s.str(g.processName ?? null);
  s.i32(g.processId ?? 0);
  s.i64(0).i64(0);
  const m = g.countMultipliers ?? [];
  s.i32(m.length);
  for (const v of m) s.f32(v);
  s.u8(12).i32(0).u8(1); // tagged InteropInfo: SkipRegion, forward index 0, null
  const afterInterop = s.length;
  if (g.creationTool !== null) s.u8(13).str(g.creationTool ?? 'dotnet-gcdump');
  s.u8(6).u8(6); // end GCHeapDump, end of stream
  const table = s.length;
  s.i32(1).u32(afterInterop);
  const trailer = s.length;
  s.u32(table);
  s.u32(trailer);
  return s.finish();
}

/** The small graph of reference/gcdump-format.md §9 (statics, locals, a string shared by both). */
export function appendixGraph(): WriterGraph {
  const lib = '/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.0/System.Private.CoreLib.dll';
  return {
    types: [
      { name: 'UNDEFINED', size: 0 },
      { name: 'MyApp.Cache', size: 24, module: '/app/MyApp.dll' },
      { name: 'System.String[]', size: 48, module: lib },
      { name: 'System.String', size: 30, module: lib },
      { name: '[.NET Roots]', size: 0 },
      { name: '[static vars]', size: 0 },
      { name: '[static var MyApp.Cache.Instance]', size: 0 },
      { name: '[local vars]', size: 0 },
      { name: '[COM/WinRT Objects]', size: 0 },
    ],
    nodes: [
      { type: 4, children: [1, 2, 4] },
      { type: 5, children: [5] },
      { type: 7, children: [3] },
      { type: 3, address: 0x7f0000001048 },
      { type: 8 },
      { type: 6, children: [6] },
      { type: 1, children: [7], address: 0x7f0000001000 },
      { type: 2, children: [3, 8], address: 0x7f0000001018 },
      { type: 3, size: 34, address: 0x7f0000001068 },
    ],
    root: 0,
    recordOrder: [6, 7, 3, 8, 0, 1, 5, 2, 4],
  };
}
