/**
 * A heap snapshot's object graph as a `.gcdump` file (the layout of reference/gcdump-format.md):
 * the FastSerialization container, a `GCHeapDump` version 10 entry object and its
 * `Graphs.MemoryGraph` — type table, node-offset table, node blob of compressed ints, address
 * table — so `dotnet-gcdump report`, PerfView and heapgate open it. This is what
 * `heapgate convert` writes for a full dump, like PerfView's HeapSnapshotFromProcessDump.
 *
 * Type index 0 is `UNDEFINED`; the snapshot's type `t` becomes type `t + 1`, with the size of its
 * first node as the type's default size (as dotnet-gcdump sets it), 0 for root pseudo-node types
 * and -1 for types no node uses. Root pseudo-nodes (`[.NET Roots]`, `[static vars]`,
 * `[thread static vars]`, `[static var T.f]`, handle kinds, `[local vars]`) are written as nodes
 * without address or size, as dotnet-gcdump writes them; nodes the graph marks undefined share
 * the undefined record at blob offset 0.
 */
import { UsageError } from '../errors.js';
import { NodeFlag, type HeapSnapshot } from '../model/snapshot.js';

const MAGIC = '!FastSerialization.1';
/** What dotnet-gcdump writes for GCHeapDump: version 10, minimum reader version 8. */
const GCHEAPDUMP_VERSION = 10;
const GCHEAPDUMP_MIN_READER = 8;
/** A .gcdump stores node sizes as 31-bit ints; larger objects are written with this size. */
const MAX_NODE_SIZE = 0x7fff_ffff;
/** Stream labels are 32-bit file offsets. */
const MAX_FILE_BYTES = 0xffff_ffff;

const Tag = {
  NullReference: 1,
  BeginObject: 4,
  EndObject: 6,
  Byte: 8,
  SkipRegion: 12,
  String: 13,
} as const;

/** A growable little-endian byte buffer with the FastSerialization encodings. */
class ByteSink {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  i32(v: number): this {
    this.room(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
    return this;
  }
  f32(v: number): this {
    this.room(4);
    this.view.setFloat32(this.length, v, true);
    this.length += 4;
    return this;
  }
  /** An i64 from a non-negative double below 2^53. */
  i64(v: number): this {
    this.room(8);
    this.view.setUint32(this.length, v % 0x1_0000_0000, true);
    this.view.setUint32(this.length + 4, Math.floor(v / 0x1_0000_0000), true);
    this.length += 8;
    return this;
  }
  /** FastSerialization string: UTF-16 unit count, each unit in 1-3 bytes; -1 for null. */
  str(s: string | null): this {
    if (s === null) return this.i32(-1);
    this.i32(s.length);
    this.room(3 * s.length);
    const b = this.buf;
    let p = this.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c <= 0x7f) b[p++] = c;
      else if (c <= 0x7ff) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 0x3f);
      } else {
        b[p++] = 0xe0 | ((c >> 12) & 0xf);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      }
    }
    this.length = p;
    return this;
  }
  /** Compressed int in its shortest form: big-endian 7-bit groups, sign in bit 6 of the first. */
  cint(v: number): this {
    if (v >= -64 && v <= 63) return this.u8(v & 0x7f);
    if (v >= -8192 && v <= 8191) return this.u8(((v >> 7) & 0x7f) | 0x80).u8(v & 0x7f);
    if (v >= -(1 << 20) && v < 1 << 20)
      return this.u8(((v >> 14) & 0x7f) | 0x80)
        .u8(((v >> 7) & 0x7f) | 0x80)
        .u8(v & 0x7f);
    if (v >= -(1 << 27) && v < 1 << 27)
      return this.u8(((v >> 21) & 0x7f) | 0x80)
        .u8(((v >> 14) & 0x7f) | 0x80)
        .u8(((v >> 7) & 0x7f) | 0x80)
        .u8(v & 0x7f);
    return this.u8(((v >> 28) & 0x7f) | 0x80)
      .u8(((v >> 21) & 0x7f) | 0x80)
      .u8(((v >> 14) & 0x7f) | 0x80)
      .u8(((v >> 7) & 0x7f) | 0x80)
      .u8(v & 0x7f);
  }
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** A type descriptor written inline: BeginObject, null type, version, min reader, name, EndObject. */
function descriptor(s: ByteSink, name: string, version: number, minReader: number): void {
  s.u8(Tag.BeginObject).u8(Tag.NullReference).i32(version).i32(minReader).str(name).u8(Tag.EndObject);
}

export interface GcdumpExport {
  bytes: Uint8Array;
  /** Objects written (root pseudo-nodes and undefined nodes not counted). */
  objects: number;
  /** Nodes written, pseudo-nodes included (what `dotnet-gcdump report` calls "GC Heap objects"). */
  nodes: number;
  /** Objects of 2 GiB or more, written with a size of 2 GiB - 1 byte (the format's limit). */
  clampedSizes: number;
}

export interface GcdumpExportOptions {
  /** The tagged creationTool string (default "heapgate convert"). */
  creationTool?: string;
}

/** Writes the snapshot's object graph as a .gcdump; a snapshot without a graph is refused. */
export function exportGcdump(snapshot: HeapSnapshot, opts: GcdumpExportOptions = {}): GcdumpExport {
  const g = snapshot.graph;
  if (!g) {
    throw new UsageError(
      `${snapshot.meta.source}: has per-type statistics only, no object graph to write as a .gcdump`,
    );
  }
  const n = g.nodeCount;
  const typeCount = snapshot.types.names.length + 1;

  // Default size per type: the size of its first node; 0 for pseudo types; -1 when unused.
  const typeSize = new Float64Array(typeCount).fill(-1);
  typeSize[0] = 0;
  const size = new Uint32Array(n);
  let clampedSizes = 0;
  let totalSize = 0;
  let objects = 0;
  for (let i = 0; i < n; i++) {
    const flags = g.nodeFlags[i];
    if ((flags & NodeFlag.Undefined) !== 0) continue;
    const t = g.nodeType[i] + 1;
    let s = 0;
    if ((flags & NodeFlag.Pseudo) === 0) {
      objects++;
      s = g.nodeSize[i];
      if (s > MAX_NODE_SIZE) {
        s = MAX_NODE_SIZE;
        clampedSizes++;
      }
    }
    size[i] = s;
    totalSize += s;
    if (typeSize[t] === -1) typeSize[t] = s;
  }

  const blob = new ByteSink(Math.max(1 << 16, n * 4));
  blob.u8(0).u8(0); // the undefined node's record, at offset 0
  const offsets = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if ((g.nodeFlags[i] & NodeFlag.Undefined) !== 0) continue;
    offsets[i] = blob.length;
    const t = g.nodeType[i] + 1;
    const explicit = size[i] !== typeSize[t];
    blob.cint((t << 1) | (explicit ? 1 : 0));
    if (explicit) blob.cint(size[i]);
    const from = g.firstEdge[i];
    const to = g.firstEdge[i + 1];
    blob.cint(to - from);
    for (let e = from; e < to; e++) blob.cint((g.edgeTarget[e] - i) | 0);
  }
  const blobBytes = blob.finish();

  const s = new ByteSink(1 << 20);
  s.str(MAGIC);
  s.u8(Tag.BeginObject);
  descriptor(s, 'GCHeapDump', GCHEAPDUMP_VERSION, GCHEAPDUMP_MIN_READER);
  s.u8(Tag.BeginObject);
  descriptor(s, 'Graphs.MemoryGraph', 1, 0);
  s.i64(totalSize);
  s.i32(g.root);
  s.i32(typeCount);
  s.str('UNDEFINED').i32(0).str(null);
  for (let t = 1; t < typeCount; t++) {
    s.str(snapshot.types.names[t - 1])
      .i32(typeSize[t])
      .str(snapshot.types.modules[t - 1] ?? null);
  }
  s.i32(n);
  for (let i = 0; i < n; i++) s.u32(offsets[i]);
  s.i32(blobBytes.length).bytes(blobBytes);
  s.i32(n);
  for (let i = 0; i < n; i++) {
    const pseudo = (g.nodeFlags[i] & (NodeFlag.Pseudo | NodeFlag.Undefined)) !== 0;
    s.i64(pseudo ? 0 : g.nodeAddress.of(i));
  }
  const is64 = snapshot.meta.pointerSize !== 4;
  s.u8(Tag.Byte).u8(is64 ? 1 : 0); // tagged Is64Bit
  s.u8(Tag.EndObject); // end of MemoryGraph

  s.u8(is64 ? 1 : 0); // legacy is64Bit
  s.f32(1).f32(1); // average count and size multipliers
  s.u8(Tag.NullReference).u8(Tag.NullReference); // JSHeapInfo, DotNetHeapInfo
  s.str(null); // collection log
  s.i64(0); // time collected
  s.str(snapshot.meta.machineName ?? null);
  s.str(snapshot.meta.processName ?? null);
  s.i32(snapshot.meta.processId ?? 0);
  s.i64(0).i64(0); // commit, working set
  s.i32(0); // no count multipliers: the graph is the whole heap
  s.u8(Tag.SkipRegion).i32(0).u8(Tag.NullReference); // tagged InteropInfo: none
  const afterInterop = s.length;
  s.u8(Tag.String).str(opts.creationTool ?? 'heapgate convert');
  s.u8(Tag.EndObject).u8(Tag.EndObject); // end of GCHeapDump, end of the object stream
  const table = s.length;
  s.i32(1).u32(afterInterop); // forward-reference table: the end of the InteropInfo region
  const trailer = s.length;
  s.u32(table);
  s.u32(trailer);
  if (s.length > MAX_FILE_BYTES) {
    throw new UsageError(
      `${snapshot.meta.source}: the graph needs ${s.length.toLocaleString('en-US')} bytes as a .gcdump, more than the format's 4 GiB`,
    );
  }
  return { bytes: s.finish(), objects, nodes: n, clampedSizes };
}
