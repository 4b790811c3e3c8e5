/**
 * What the two streams of dotnet/Heapgate.DumpReader share: a bounds-checked cursor, the header
 * (format version, pointer size, CLR version, notes, type table) and the snapshot metadata.
 * The byte layouts are documented at the top of dotnet/Heapgate.DumpReader/Program.cs.
 */
import { FormatError } from '../../errors.js';
import { canonicalTypeName } from '../../model/typeNames.js';
import type { SnapshotMeta } from '../../model/snapshot.js';

export const CLRMD_STREAM_VERSION = 3;

/** Bounds-checked little-endian cursor: a short or corrupt stream fails with file and byte offset. */
export class Cursor {
  pos = 0;
  readonly view: DataView;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  constructor(
    readonly bytes: Uint8Array,
    private readonly file: string,
    /** 'graph' or 'statistics', for messages. */
    private readonly what: 'graph' | 'statistics',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, what: string): void {
    if (n > this.bytes.length - this.pos) {
      throw new FormatError(
        this.file,
        this.pos,
        `the dump ${this.what} is truncated: expected ${what} (${n} bytes) but only ${this.bytes.length - this.pos} remain`,
      );
    }
  }
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++];
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** A u64 as a double (exact below 2^53, which holds for addresses, sizes and counts). */
  u64(what: string): number {
    this.need(8, what);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    if (hi >= 0x200000)
      throw new FormatError(this.file, this.pos, `${what} ${hi}·2^32 is too large to be real`);
    this.pos += 8;
    return hi * 0x1_0000_0000 + lo;
  }
  ascii(n: number, what: string): string {
    this.need(n, what);
    const s = String.fromCharCode(...this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  string(what: string): string {
    const at = this.pos;
    const n = this.u32(`the length of ${what}`);
    this.need(n, what);
    try {
      return this.decoder.decode(this.bytes.subarray(this.pos, this.pos + n));
    } catch {
      throw new FormatError(this.file, at, `${what} is not valid UTF-8`);
    } finally {
      this.pos += n;
    }
  }
  fail(at: number, detail: string): never {
    throw new FormatError(this.file, at, detail);
  }
  get remaining(): number {
    return this.bytes.length - this.pos;
  }
}

export interface StreamHeader {
  pointerSize: 4 | 8;
  clrVersion: string;
  /** Facts the helper found worth showing. */
  notes: string[];
  /** Type names in heapgate's canonical spelling, by type id. */
  names: string[];
  /** The file name of each type's module, null when unknown. */
  modules: (string | null)[];
}

/** Reads the header that starts both streams; `magic` tells them apart. */
export function readStreamHeader(c: Cursor, magic: string, what: 'graph' | 'statistics'): StreamHeader {
  if (c.ascii(8, `the magic "${magic.replace('\0', '\\0')}"`) !== magic) {
    c.fail(0, `not a heapgate dump ${what} (the magic "${magic.replace('\0', '\\0')}" is missing)`);
  }
  const versionAt = c.pos;
  const version = c.u32('the format version');
  if (version !== CLRMD_STREAM_VERSION) {
    c.fail(
      versionAt,
      `dump ${what} format version ${version}; this heapgate reads version ${CLRMD_STREAM_VERSION} (rebuild dotnet/Heapgate.DumpReader with scripts/build-dotnet.sh)`,
    );
  }
  const pointerAt = c.pos;
  const pointerSize = c.u32('the pointer size');
  if (pointerSize !== 4 && pointerSize !== 8)
    c.fail(pointerAt, `pointer size ${pointerSize} is neither 4 nor 8`);
  const clrVersion = c.string('the CLR version');
  const noteCount = c.u32('the note count');
  if (noteCount > c.remaining / 4) c.fail(c.pos - 4, `note count ${noteCount} exceeds the stream`);
  const notes: string[] = [];
  for (let i = 0; i < noteCount; i++) notes.push(c.string(`note ${i}`));

  const typeCount = c.u32('the type count');
  if (typeCount > c.remaining / 8) c.fail(c.pos - 4, `type count ${typeCount} exceeds the stream`);
  const names: string[] = [];
  const modules: (string | null)[] = [];
  // ClrMD spells types as SOS does; the canonical form is the one .gcdump graphs and SOS text share.
  for (let i = 0; i < typeCount; i++) {
    names.push(canonicalTypeName(c.string(`the name of type ${i}`), 'sos'));
    const module = c.string(`the module of type ${i}`);
    modules.push(module === '' ? null : module);
  }
  return { pointerSize, clrVersion, notes, names, modules };
}

/** What was read and how, said the same way whichever stream the helper wrote. */
export function clrmdMeta(
  file: string,
  dumpKind: 'elf-core' | 'minidump',
  header: StreamHeader,
  walk: { objects: number; unreachableObjects: number; unreachableBytes: number; liveOnly: boolean },
  read: string,
): SnapshotMeta {
  const kindName = dumpKind === 'elf-core' ? 'Linux core dump' : 'Windows minidump';
  const { clrVersion } = header;
  const notes = [
    `${kindName}, read with ClrMD (Heapgate.DumpReader): ${read}` +
      (walk.liveOnly
        ? ', live objects only (as in a .gcdump)'
        : ', all objects including garbage not yet collected'),
    `CLR ${clrVersion === '0.0' ? '(version not recorded in the dump)' : clrVersion}; ${walk.objects.toLocaleString('en-US')} objects walked, ` +
      `${walk.unreachableObjects.toLocaleString('en-US')} (${walk.unreachableBytes.toLocaleString('en-US')} bytes) not reachable from any root` +
      (walk.liveOnly ? ' and left out' : ''),
    ...header.notes,
  ];
  return {
    source: file,
    format: 'dump',
    creationTool: 'ClrMD (Heapgate.DumpReader)',
    pointerSize: header.pointerSize,
    estimated: false,
    estimateReasons: [],
    notes,
  };
}
