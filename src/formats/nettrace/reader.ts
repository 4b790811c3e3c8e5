/**
 * Native reader for EventPipe `.nettrace` files (the "Nettrace" + FastSerialization container
 * written by the .NET runtime and dotnet-trace): the Trace object, MetadataBlock, StackBlock,
 * EventBlock (plain and compressed event headers) and SPBlock objects.
 *
 * It keeps what allocation-site analysis needs, in flat columns: every GC AllocationTick event
 * (type, amount, kind, stack, time), every stack's instruction pointers, and every method body
 * announced by MethodLoadVerbose / MethodDCStartVerbose / MethodDCEndVerbose (start, size, name),
 * so that stack frames resolve to `Namespace.Type.Method`.
 *
 * Every read is bounds-checked against the enclosing object: a truncated or corrupt file fails
 * with a FormatError naming the file and the byte offset, and no count read from the file is
 * trusted to size an allocation before it is checked against the bytes that remain.
 */
import { ByteReader } from '../gcdump/byteReader.js';
import { FormatError } from '../../errors.js';

const MAGIC = 'Nettrace';
const FS_MAGIC = '!FastSerialization.1';
const TAG_NULL = 1;
const TAG_BEGIN_PRIVATE = 5;
const TAG_END = 6;

export const RUNTIME_PROVIDER = 'Microsoft-Windows-DotNETRuntime';
export const RUNDOWN_PROVIDER = 'Microsoft-Windows-DotNETRuntimeRundown';
/** GC/AllocationTick in the runtime provider. */
const ALLOCATION_TICK_ID = 10;
/** MethodLoadVerbose (runtime provider) and MethodDCStartVerbose (rundown provider). */
const METHOD_LOAD_VERBOSE_ID = 143;
/** MethodDCEndVerbose (rundown provider); in the runtime provider 144 is MethodUnloadVerbose. */
const METHOD_DC_END_VERBOSE_ID = 144;

/** AllocationKind of the AllocationTick event. */
export const AllocationKind = { Small: 0, Large: 1, Pinned: 2 } as const;

/** What the metadata of one event kind says. */
export interface EventMetadata {
  id: number;
  provider: string;
  eventId: number;
  name: string;
  version: number;
  level: number;
}

/** Flat columns of the AllocationTick events, in file order. */
export interface AllocationTicks {
  count: number;
  /** Index into `typeNames`. */
  type: Uint32Array;
  /** AllocationAmount64 (AllocationAmount before version 2): bytes allocated since the previous tick. */
  amount: Float64Array;
  /** AllocationKind: 0 small, 1 large, 2 pinned. */
  kind: Uint8Array;
  /** GC heap index (0 when the event version does not carry it). */
  heap: Uint16Array;
  /** Index into the stack table, or -1 when the event has no stack. */
  stack: Int32Array;
  /** QPC timestamp. */
  timestamp: Float64Array;
}

/** Every stack of the trace: frames of stack i are `ips[first[i] .. first[i + 1])`, innermost first. */
export interface StackTable {
  count: number;
  first: Uint32Array;
  ips: Float64Array;
}

/** Method bodies sorted by start address (for frame resolution). */
export interface MethodTable {
  count: number;
  start: Float64Array;
  size: Float64Array;
  /** `Namespace.Type.Method` as the runtime names it (namespace field holds the full type name). */
  name: string[];
}

export interface NettraceInfo {
  file: string;
  formatVersion: number;
  pointerSize: number;
  processId: number;
  processors: number;
  qpcFrequency: number;
  syncTimeQpc: number;
  /** Events in all event blocks (all providers). */
  events: number;
  /** Events that found no metadata, or whose payload was shorter than its event version requires. */
  undecoded: number;
}

export interface AllocationTrace {
  info: NettraceInfo;
  metadata: EventMetadata[];
  typeNames: string[];
  ticks: AllocationTicks;
  stacks: StackTable;
  methods: MethodTable;
}

type Column = Float64Array | Uint32Array | Int32Array;

/** A typed array that doubles as values are pushed; `done` trims it to what was pushed. */
class Grow<T extends Column> {
  data: T;
  length = 0;
  constructor(
    private readonly make: (length: number) => T,
    cap = 1024,
  ) {
    this.data = make(cap);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

const f64 = (n: number) => new Float64Array(n);
const u32 = (n: number) => new Uint32Array(n);
const i32 = (n: number) => new Int32Array(n);

/** Role of an event kind for this reader, decided once per metadata id. */
const enum Role {
  Other = 0,
  AllocationTick = 1,
  MethodVerbose = 2,
}

interface MetaEntry {
  meta: EventMetadata;
  role: Role;
}

/** The header fields of the previous event in a block (compressed headers are deltas of it). */
interface Header {
  metadataId: number;
  sequence: number;
  captureThread: number;
  processor: number;
  thread: number;
  stackId: number;
  timestamp: number;
  payloadSize: number;
}

function freshHeader(): Header {
  return {
    metadataId: 0,
    sequence: 0,
    captureThread: 0,
    processor: 0,
    thread: 0,
    stackId: 0,
    timestamp: 0,
    payloadSize: 0,
  };
}

/** Reads a whole `.nettrace` file held in memory. */
export function readNettrace(bytes: Uint8Array, file: string): AllocationTrace {
  return new NettraceReader(bytes, file).read();
}

class NettraceReader {
  private readonly r: ByteReader;
  private readonly view: DataView;
  private readonly metas = new Map<number, MetaEntry>();
  private readonly metaList: EventMetadata[] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly typeNames: string[] = [];
  // Tick columns.
  private readonly tType = new Grow(u32);
  private readonly tAmount = new Grow(f64);
  private readonly tKind: number[] = [];
  private readonly tHeap: number[] = [];
  private readonly tStack = new Grow(i32);
  private readonly tTime = new Grow(f64);
  // Stacks: file stack ids are only valid up to the next sequence point.
  private readonly stackById = new Map<number, number>();
  private readonly stackFirst = new Grow(u32);
  private readonly stackIps = new Grow(f64, 4096);
  private stackCount = 0;
  // Methods.
  private readonly mStart = new Grow(f64);
  private readonly mSize = new Grow(f64);
  private readonly mName: string[] = [];
  private readonly seenMethod = new Set<string>();
  private info: NettraceInfo;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {
    this.r = new ByteReader(bytes, file);
    this.view = this.r.view;
    this.info = {
      file,
      formatVersion: 0,
      pointerSize: 8,
      processId: 0,
      processors: 0,
      qpcFrequency: 0,
      syncTimeQpc: 0,
      events: 0,
      undecoded: 0,
    };
  }

  private fail(detail: string, at: number): never {
    throw new FormatError(this.file, at, detail);
  }

  read(): AllocationTrace {
    this.readHeader();
    this.readTraceObject();
    const r = this.r;
    for (;;) {
      const at = r.pos;
      const tag = r.u8('the next object or the end-of-stream NullReference tag');
      if (tag === TAG_NULL) break;
      if (tag !== TAG_BEGIN_PRIVATE)
        this.fail(
          `expected an object (BeginPrivateObject tag 5) or the end of the stream, found byte ${tag}`,
          at,
        );
      const type = this.readType();
      switch (type.name) {
        case 'EventBlock':
          this.readBlock(type.name, (start, end) => this.readEventBlock(start, end, false));
          break;
        case 'MetadataBlock':
          this.readBlock(type.name, (start, end) => this.readEventBlock(start, end, true));
          break;
        case 'StackBlock':
          this.readBlock(type.name, (start, end) => this.readStackBlock(start, end));
          break;
        case 'SPBlock':
          this.readBlock(type.name, (start, end) => this.readSequencePoint(start, end));
          break;
        default:
          // An object kind this reader does not know: skip it if it is a sized block.
          this.readBlock(type.name, () => undefined);
      }
      const endAt = r.pos;
      if (r.u8(`end of the ${type.name} object`) !== TAG_END)
        this.fail(`the ${type.name} object does not end with an EndObject tag (6)`, endAt);
    }
    return this.finish();
  }

  private readHeader(): void {
    const r = this.r;
    const need = MAGIC.length + 4 + FS_MAGIC.length;
    if (r.length < need)
      this.fail(`not a .nettrace file: ${r.length} bytes is too short for the 'Nettrace' header`, 0);
    let magic = '';
    for (let i = 0; i < MAGIC.length; i++) magic += String.fromCharCode(this.bytes[i]);
    if (magic !== MAGIC) this.fail("not a .nettrace file: it does not start with 'Nettrace'", 0);
    r.pos = MAGIC.length;
    const n = r.i32('FastSerialization header length');
    let fs = '';
    for (let i = 0; i < FS_MAGIC.length; i++) fs += String.fromCharCode(this.bytes[r.pos + i]);
    if (n !== FS_MAGIC.length || fs !== FS_MAGIC)
      this.fail(`not a .nettrace file: expected '${FS_MAGIC}' after 'Nettrace'`, MAGIC.length);
    r.pos += FS_MAGIC.length;
  }

  /** BeginPrivateObject NullReference version minVersion name EndObject (the opening tag already read). */
  private readType(): { name: string; version: number } {
    const r = this.r;
    const at = r.pos;
    if (r.u8('type of an object (BeginPrivateObject)') !== TAG_BEGIN_PRIVATE)
      this.fail('expected the type of an object (BeginPrivateObject tag 5)', at);
    const nullAt = r.pos;
    if (r.u8('type of a type (NullReference)') !== TAG_NULL)
      this.fail('expected NullReference as the type of a type descriptor', nullAt);
    const version = r.i32('type version');
    r.i32('type minimum reader version');
    const nameAt = r.pos;
    const n = r.i32('length of the type name');
    if (n < 0 || n > 64) this.fail(`type name length ${n} is not a plausible object type name`, nameAt);
    const nameBytes = r.slice(n, 'type name');
    let name = '';
    for (const b of nameBytes) name += String.fromCharCode(b);
    const endAt = r.pos;
    if (r.u8('end of a type descriptor') !== TAG_END)
      this.fail(`the '${name}' type descriptor does not end with an EndObject tag (6)`, endAt);
    return { name, version };
  }

  private readTraceObject(): void {
    const r = this.r;
    const at = r.pos;
    if (r.u8('the Trace object') !== TAG_BEGIN_PRIVATE) this.fail('expected the Trace object', at);
    const type = this.readType();
    if (type.name !== 'Trace') this.fail(`expected the Trace object first, found '${type.name}'`, at);
    if (type.version < 3 || type.version > 5)
      this.fail(
        `Trace object version ${type.version} is not supported (this reader reads versions 3 to 5, written by .NET Core 3 to .NET 10)`,
        at,
      );
    this.info.formatVersion = type.version;
    r.skip(16, 'Trace sync time (8 shorts)');
    this.info.syncTimeQpc = r.i64('Trace SyncTimeQPC');
    this.info.qpcFrequency = r.i64('Trace QPCFrequency');
    const psAt = r.pos;
    const ps = r.i32('Trace PointerSize');
    if (ps !== 4 && ps !== 8) this.fail(`pointer size ${ps} is neither 4 nor 8`, psAt);
    this.info.pointerSize = ps;
    this.info.processId = r.i32('Trace ProcessId');
    this.info.processors = r.i32('Trace NumberOfProcessors');
    r.i32('Trace ExpectedCPUSamplingRate');
    const endAt = r.pos;
    if (r.u8('end of the Trace object') !== TAG_END)
      this.fail('the Trace object does not end with an EndObject tag (6)', endAt);
  }

  /** BlockSize, padding to a 4-byte file offset, then `size` bytes handed to `body`. */
  private readBlock(name: string, body: (start: number, end: number) => void): void {
    const r = this.r;
    const at = r.pos;
    const size = r.i32(`${name} size`);
    if (size < 0) this.fail(`${name} size is negative (${size})`, at);
    const start = (r.pos + 3) & ~3;
    if (start + size > r.length)
      this.fail(
        `${name} of ${size} bytes at byte ${start} runs past the end of the file (${r.length} bytes) — the file is truncated`,
        at,
      );
    body(start, start + size);
    r.pos = start + size;
  }

  private readSequencePoint(start: number, end: number): void {
    if (end - start < 12) this.fail('SPBlock is shorter than its timestamp and thread count', start);
    const threads = this.view.getInt32(start + 8, true);
    if (threads < 0 || threads * 12 > end - start - 12)
      this.fail(`SPBlock claims ${threads} threads, which do not fit in the block`, start + 8);
    // Stack ids restart after a sequence point.
    this.stackById.clear();
  }

  private readStackBlock(start: number, end: number): void {
    const v = this.view;
    if (end - start < 8) this.fail('StackBlock is shorter than its header', start);
    const firstId = v.getInt32(start, true);
    const count = v.getInt32(start + 4, true);
    if (count < 0 || count * 4 > end - start - 8)
      this.fail(`StackBlock claims ${count} stacks, which do not fit in the block`, start + 4);
    const ptr = this.info.pointerSize;
    let p = start + 8;
    for (let i = 0; i < count; i++) {
      if (p + 4 > end) this.fail(`stack ${i} of ${count} is cut off at the end of its StackBlock`, p);
      const size = v.getInt32(p, true);
      p += 4;
      if (size < 0 || size > end - p || size % ptr !== 0)
        this.fail(
          `stack ${firstId + i} has a size of ${size} bytes, not a whole number of frames inside its block`,
          p - 4,
        );
      this.stackById.set(firstId + i, this.stackCount++);
      this.stackFirst.push(this.stackIps.length);
      for (let q = p; q < p + size; q += ptr) {
        const ip =
          ptr === 8 ? v.getUint32(q + 4, true) * 4294967296 + v.getUint32(q, true) : v.getUint32(q, true);
        this.stackIps.push(ip);
      }
      p += size;
    }
  }

  private readEventBlock(start: number, end: number, isMetadata: boolean): void {
    const v = this.view;
    const bytes = this.bytes;
    const what = isMetadata ? 'MetadataBlock' : 'EventBlock';
    if (end - start < 20) this.fail(`${what} is shorter than its header`, start);
    const headerSize = v.getInt16(start, true);
    const flags = v.getInt16(start + 2, true);
    if (headerSize < 20 || headerSize > end - start)
      this.fail(`${what} header size ${headerSize} is outside 20..${end - start}`, start);
    const compressed = (flags & 1) !== 0;
    const h = freshHeader();
    let p = start + headerSize;
    while (p < end) {
      const eventAt = p;
      if (compressed) {
        const f = bytes[p++];
        if (f & 1) {
          const x = readVarint(bytes, p, end);
          if (x < 0) this.truncatedHeader(what, eventAt);
          h.metadataId = varValue;
          p = x;
        }
        if (f & 2) {
          let x = readVarint(bytes, p, end);
          if (x < 0) this.truncatedHeader(what, eventAt);
          h.sequence = (h.sequence + varValue) | 0;
          x = readVarint(bytes, (p = x), end);
          if (x < 0) this.truncatedHeader(what, eventAt);
          h.captureThread = varValue;
          x = readVarint(bytes, (p = x), end);
          if (x < 0) this.truncatedHeader(what, eventAt);
          h.processor = varValue;
          p = x;
        }
        if (h.metadataId !== 0) h.sequence = (h.sequence + 1) | 0;
        if (f & 4) {
          const x = readVarint(bytes, p, end);
          if (x < 0) this.truncatedHeader(what, eventAt);
          h.thread = varValue;
          p = x;
        }
        if (f & 8) {
          const x = readVarint(bytes, p, end);
          if (x < 0) this.truncatedHeader(what, eventAt);
          h.stackId = varValue;
          p = x;
        }
        const x = readVarint(bytes, p, end);
        if (x < 0) this.truncatedHeader(what, eventAt);
        h.timestamp += varValue;
        p = x;
        if (f & 16) p += 16;
        if (f & 32) p += 16;
        if (f & 128) {
          if (p > end) this.truncatedHeader(what, eventAt);
          const y = readVarint(bytes, p, end);
          if (y < 0) this.truncatedHeader(what, eventAt);
          h.payloadSize = varValue;
          p = y;
        }
        if (p > end) this.truncatedHeader(what, eventAt);
      } else {
        if (end - p < 60) this.truncatedHeader(what, eventAt);
        const eventSize = v.getInt32(p, true);
        h.metadataId = v.getInt32(p + 4, true) & 0x7fffffff;
        h.sequence = v.getInt32(p + 8, true);
        h.thread = v.getUint32(p + 12, true) + v.getUint32(p + 16, true) * 4294967296;
        h.captureThread = v.getUint32(p + 20, true) + v.getUint32(p + 24, true) * 4294967296;
        h.processor = v.getInt32(p + 28, true);
        h.stackId = v.getInt32(p + 32, true);
        h.timestamp = v.getUint32(p + 36, true) + v.getInt32(p + 40, true) * 4294967296;
        h.payloadSize = v.getInt32(p + 76, true);
        if (eventSize < 76 || eventSize > end - p - 4)
          this.fail(`event size ${eventSize} does not fit in its ${what}`, eventAt);
        p += 80;
      }
      const size = h.payloadSize;
      if (size < 0 || size > end - p)
        this.fail(
          `event payload of ${size} bytes runs past the end of its ${what} (${end - p} bytes left)`,
          eventAt,
        );
      if (isMetadata) this.readMetadata(p, p + size);
      else this.readEvent(h, p, p + size);
      p += size;
      if (!compressed) p = (p + 3) & ~3;
    }
  }

  private truncatedHeader(what: string, at: number): never {
    this.fail(`an event header is cut off at the end of its ${what} — the file is truncated or corrupt`, at);
  }

  private readMetadata(start: number, end: number): void {
    const v = this.view;
    if (end - start < 4) this.fail('metadata event is shorter than its id', start);
    const id = v.getInt32(start, true);
    let p = start + 4;
    const provider = readUtf16z(this.bytes, p, end);
    if (provider === undefined) this.fail('metadata provider name is not terminated inside its event', p);
    p = utf16End;
    if (end - p < 4) this.fail('metadata event id is cut off', p);
    const eventId = v.getInt32(p, true);
    p += 4;
    const name = readUtf16z(this.bytes, p, end);
    if (name === undefined) this.fail('metadata event name is not terminated inside its event', p);
    p = utf16End;
    if (end - p < 16) this.fail('metadata keywords, version and level are cut off', p);
    const version = v.getInt32(p + 8, true);
    const level = v.getInt32(p + 12, true);
    const meta: EventMetadata = { id, provider, eventId, name, version, level };
    let role = Role.Other;
    if (provider === RUNTIME_PROVIDER && eventId === ALLOCATION_TICK_ID) role = Role.AllocationTick;
    else if (provider === RUNTIME_PROVIDER && eventId === METHOD_LOAD_VERBOSE_ID) role = Role.MethodVerbose;
    else if (
      provider === RUNDOWN_PROVIDER &&
      (eventId === METHOD_LOAD_VERBOSE_ID || eventId === METHOD_DC_END_VERBOSE_ID)
    )
      role = Role.MethodVerbose;
    this.metas.set(id, { meta, role });
    this.metaList.push(meta);
  }

  private readEvent(h: Header, start: number, end: number): void {
    this.info.events++;
    const entry = this.metas.get(h.metadataId);
    if (entry === undefined) {
      this.info.undecoded++;
      return;
    }
    if (entry.role === Role.AllocationTick) this.readAllocationTick(entry.meta.version, h, start, end);
    else if (entry.role === Role.MethodVerbose) this.readMethod(start, end);
  }

  /**
   * AllocationTick: V0/V1 AllocationAmount u32, AllocationKind u32 (+ ClrInstanceID u16);
   * V2+ adds AllocationAmount64 u64, TypeID ptr, TypeName utf16z, HeapIndex u32; V3+ Address ptr;
   * V4+ ObjectSize u64.
   */
  private readAllocationTick(version: number, h: Header, start: number, end: number): void {
    const v = this.view;
    if (end - start < 8) {
      this.info.undecoded++;
      return;
    }
    let amount = v.getUint32(start, true);
    const kind = v.getUint32(start + 4, true);
    let typeName = '';
    let heap = 0;
    if (version >= 2) {
      const ptr = this.info.pointerSize;
      let p = start + 10;
      if (end - p < 8 + ptr) {
        this.info.undecoded++;
        return;
      }
      amount = v.getUint32(p, true) + v.getUint32(p + 4, true) * 4294967296;
      p += 8 + ptr;
      const name = readUtf16z(this.bytes, p, end);
      if (name === undefined) {
        this.info.undecoded++;
        return;
      }
      typeName = name;
      p = utf16End;
      if (end - p >= 4) heap = v.getUint32(p, true);
    }
    let t = this.typeIndex.get(typeName);
    if (t === undefined) {
      t = this.typeNames.length;
      this.typeNames.push(typeName);
      this.typeIndex.set(typeName, t);
    }
    this.tType.push(t);
    this.tAmount.push(amount);
    this.tKind.push(kind > 255 ? 255 : kind);
    this.tHeap.push(heap > 65535 ? 65535 : heap);
    this.tStack.push(h.stackId === 0 ? -1 : (this.stackById.get(h.stackId) ?? -1));
    this.tTime.push(h.timestamp);
  }

  /**
   * MethodLoadVerbose / MethodDCStartVerbose / MethodDCEndVerbose: MethodID u64, ModuleID u64,
   * MethodStartAddress u64, MethodSize u32, MethodToken u32, MethodFlags u32, MethodNamespace,
   * MethodName, MethodSignature (utf16z), ...
   */
  private readMethod(start: number, end: number): void {
    const v = this.view;
    if (end - start < 36) {
      this.info.undecoded++;
      return;
    }
    const at = v.getUint32(start + 16, true) + v.getUint32(start + 20, true) * 4294967296;
    const size = v.getUint32(start + 24, true);
    let p = start + 36;
    const ns = readUtf16z(this.bytes, p, end);
    if (ns === undefined) {
      this.info.undecoded++;
      return;
    }
    p = utf16End;
    const name = readUtf16z(this.bytes, p, end);
    if (name === undefined) {
      this.info.undecoded++;
      return;
    }
    const full = ns === '' ? name : name === '' ? ns : `${ns}.${name}`;
    const key = `${at}:${size}`;
    // Rundown repeats what load events already said (and DCStart + DCEnd say it twice).
    if (this.seenMethod.has(key)) return;
    this.seenMethod.add(key);
    this.mStart.push(at);
    this.mSize.push(size);
    this.mName.push(full);
  }

  private finish(): AllocationTrace {
    const n = this.tType.length;
    const ticks: AllocationTicks = {
      count: n,
      type: this.tType.done(),
      amount: this.tAmount.done(),
      kind: Uint8Array.from(this.tKind),
      heap: Uint16Array.from(this.tHeap),
      stack: this.tStack.done(),
      timestamp: this.tTime.done(),
    };
    this.stackFirst.push(this.stackIps.length);
    const stacks: StackTable = {
      count: this.stackCount,
      first: this.stackFirst.done(),
      ips: this.stackIps.done(),
    };
    return {
      info: this.info,
      metadata: this.metaList,
      typeNames: this.typeNames,
      ticks,
      stacks,
      methods: sortMethods(this.mStart.done(), this.mSize.done(), this.mName),
    };
  }
}

function sortMethods(start: Float64Array, size: Float64Array, name: string[]): MethodTable {
  const order = Array.from({ length: start.length }, (_, i) => i).sort((a, b) => start[a] - start[b]);
  return {
    count: order.length,
    start: Float64Array.from(order, (i) => start[i]),
    size: Float64Array.from(order, (i) => size[i]),
    name: order.map((i) => name[i]),
  };
}

/** The method whose body holds `ip` (the last body starting at or before it), or -1. */
export function methodAt(methods: MethodTable, ip: number): number {
  const s = methods.start;
  let lo = 0;
  let hi = methods.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= ip) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0 || ip >= s[found] + methods.size[found]) return -1;
  return found;
}

let varValue = 0;
/** Reads a LEB128 varint (up to 64 bits, as a JS number) at `p`; returns the next offset, or -1 when cut off. */
function readVarint(bytes: Uint8Array, p: number, end: number): number {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (p >= end) return -1;
    const b = bytes[p++];
    value += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) {
      varValue = value;
      return p;
    }
    mul *= 128;
  }
  return -1;
}

let utf16End = 0;
const decoder = new TextDecoder('utf-16le');
/** A NUL-terminated UTF-16LE string in [p, end); sets utf16End past the terminator, or undefined when not terminated. */
function readUtf16z(bytes: Uint8Array, p: number, end: number): string | undefined {
  let q = p;
  let ascii = true;
  while (q + 1 < end) {
    const lo = bytes[q];
    const hi = bytes[q + 1];
    if (lo === 0 && hi === 0) {
      utf16End = q + 2;
      if (ascii) {
        let s = '';
        for (let i = p; i < q; i += 2) s += String.fromCharCode(bytes[i]);
        return s;
      }
      return decoder.decode(bytes.subarray(p, q));
    }
    if (hi !== 0 || lo >= 0x80) ascii = false;
    q += 2;
  }
  return undefined;
}
