import type { ByteReader } from './byteReader.js';

/** Tag bytes of the FastSerialization object stream. */
export const Tag = {
  Error: 0,
  NullReference: 1,
  ObjectReference: 2,
  ForwardReference: 3,
  BeginObject: 4,
  BeginPrivateObject: 5,
  EndObject: 6,
  ForwardDefinition: 7,
  Byte: 8,
  Int16: 9,
  Int32: 10,
  Int64: 11,
  SkipRegion: 12,
  String: 13,
  Blob: 14,
} as const;

const MAGIC = '!FastSerialization.1';
/**
 * How deep object references may lead into one another (a reference resolved while resolving
 * another, a definition inside a definition). Real files go 5 deep; a crafted file could chain
 * thousands of references and overflow the stack, so deeper is refused as corrupt.
 */
const MAX_NESTING = 32;

export interface TypeDescriptor {
  name: string;
  version: number;
  minReaderVersion: number;
}

/** Reads the fields of one object after its type descriptor; returns the decoded value. */
export type ObjectFieldReader = (r: ByteReader, type: TypeDescriptor) => unknown;

/**
 * The generic container around the GCHeapDump entry object: header, tagged object references,
 * type descriptors shared by label, forward references and the trailer's forward table.
 */
export class FastSerializationStream {
  /** Decoded objects (and descriptors) by the offset of their defining tag byte. */
  private readonly objects = new Map<number, unknown>();
  /** Labels being decoded right now: a reference back into one of them is a cycle. */
  private readonly decoding = new Set<number>();
  /** How many object references are being resolved inside one another right now. */
  private depth = 0;
  private forwardTable: Uint32Array | undefined;

  constructor(
    readonly r: ByteReader,
    private readonly readFields: ObjectFieldReader,
  ) {}

  readHeader(): void {
    const r: ByteReader = this.r;
    if (r.length < 4 + MAGIC.length) {
      r.fail(`not a .gcdump file: ${r.length} bytes is too short for the '${MAGIC}' header`, 0);
    }
    r.ensure(0, 4 + MAGIC.length);
    const n = r.view.getInt32(0, true);
    let text = '';
    for (let i = 0; i < MAGIC.length; i++) text += String.fromCharCode(r.bytes[4 + i]);
    if (n !== MAGIC.length || text !== MAGIC) {
      r.fail(`not a .gcdump file: expected the '${MAGIC}' header at the start`, 0);
    }
    r.pos = 4 + MAGIC.length;
  }

  /** Reads one object reference (3.3) and returns the decoded object, or null. */
  readObject(what: string): unknown {
    if (this.depth >= MAX_NESTING) {
      this.r.fail(
        `${what}: object references nested more than ${MAX_NESTING} deep (real files nest a few levels) — corrupt file`,
      );
    }
    this.depth++;
    const value = this.readReference(what);
    this.depth--;
    return value;
  }

  private readReference(what: string): unknown {
    const r: ByteReader = this.r;
    for (;;) {
      const at = r.pos;
      const tag = r.u8(`${what} (object tag)`);
      switch (tag) {
        case Tag.NullReference:
          return null;
        case Tag.ObjectReference: {
          const label = r.u32(`${what} (object label)`);
          return this.objectAt(label, what, at);
        }
        case Tag.BeginObject:
        case Tag.BeginPrivateObject:
          return this.readDefinition(at, tag === Tag.BeginObject, what);
        case Tag.ForwardDefinition: {
          r.i32(`${what} (forward index)`);
          const inner = r.pos;
          const t = r.u8(`${what} (object tag)`);
          if (t !== Tag.BeginObject)
            r.fail(`expected BeginObject after ForwardDefinition in ${what}, found tag ${t}`, inner);
          const value = this.readDefinition(inner, true, what);
          this.objects.set(at, value);
          return value;
        }
        case Tag.ForwardReference: {
          const index = r.i32(`${what} (forward index)`);
          // The reference is followed by the type of the object it will resolve to.
          this.readObject(`type of ${what}`);
          const target = this.forwardTarget(index, at);
          return this.objectAt(target, what, at);
        }
        case Tag.Blob: {
          const size = r.count(`${what} (blob size)`, 1);
          r.seek(r.pos + size, 'blob');
          continue;
        }
        default:
          r.fail(
            `expected an object reference for ${what}, found byte 0x${tag.toString(16).padStart(2, '0')}`,
            at,
          );
      }
    }
  }

  private objectAt(label: number, what: string, at: number): unknown {
    if (this.objects.has(label)) return this.objects.get(label);
    if (label >= this.r.length) this.r.fail(`${what} refers to offset ${label}, outside the file`, at);
    if (this.decoding.has(label))
      this.r.fail(`${what} refers to offset ${label}, which refers back to itself`, at);
    // A reference to an object not decoded yet: decode it where it lives, then come back.
    const back = this.r.pos;
    this.decoding.add(label);
    this.r.pos = label;
    const value = this.readObject(what);
    this.decoding.delete(label);
    this.objects.set(label, value);
    this.r.pos = back;
    return value;
  }

  private readDefinition(at: number, register: boolean, what: string): unknown {
    const r: ByteReader = this.r;
    const type = this.readObject(`type of ${what}`);
    let value: unknown;
    if (type === null) {
      // A null type marks a type descriptor.
      const version = r.i32('type descriptor version');
      const minReaderVersion = r.i32('type descriptor minimum reader version');
      const name = r.string('type descriptor name');
      if (name === null) r.fail('type descriptor without a name', at);
      const desc: TypeDescriptor = { name, version, minReaderVersion };
      value = desc;
    } else {
      if (!isDescriptor(type)) r.fail(`the type of ${what} is not a type descriptor`, at);
      value = this.readFields(r, type);
    }
    this.skipToEndObject(at);
    if (register) this.objects.set(at, value);
    return value;
  }

  /**
   * Skips unknown trailing tagged fields up to this object's EndObject (3.6). This is what lets
   * an older reader open files written by newer tools.
   */
  skipToEndObject(objectStart: number): void {
    const r: ByteReader = this.r;
    let depth = 0;
    for (;;) {
      const at = r.pos;
      const tag = r.u8(`end of the object that starts at byte ${objectStart}`);
      switch (tag) {
        case Tag.EndObject:
          if (depth === 0) return;
          depth--;
          break;
        case Tag.NullReference:
          break;
        case Tag.Byte:
          r.slice(1, 'tagged byte');
          break;
        case Tag.Int16:
          r.slice(2, 'tagged int16');
          break;
        case Tag.Int32:
        case Tag.ObjectReference:
        case Tag.ForwardReference:
        case Tag.ForwardDefinition:
          r.slice(4, 'tagged value');
          break;
        case Tag.Int64:
          r.slice(8, 'tagged int64');
          break;
        case Tag.String:
          r.string('tagged string');
          break;
        case Tag.Blob: {
          const size = r.count('blob size', 1);
          r.slice(size, 'blob');
          break;
        }
        case Tag.SkipRegion: {
          const index = r.i32('skip-region forward index');
          r.seek(this.forwardTargetAfter(index, at), 'skip region');
          break;
        }
        case Tag.BeginObject:
        case Tag.BeginPrivateObject:
          depth++;
          break;
        default:
          r.fail(
            `expected a tagged field or EndObject in the object that starts at byte ${objectStart}, found byte 0x${tag.toString(16).padStart(2, '0')}`,
            at,
          );
      }
    }
  }

  /** Consumes a tagged field of `tag` if it is next; returns false (and reads nothing) otherwise. */
  tryTag(tag: number): boolean {
    if (this.r.peek() !== tag) return false;
    this.r.pos++;
    return true;
  }

  /** Resolves forward index `k` through the trailer at the end of the file (3.7). */
  forwardTarget(index: number, at: number): number {
    const table = this.loadForwardTable();
    if (index < 0 || index >= table.length) {
      this.r.fail(
        `forward reference ${index} is not in the file's forward table (${table.length} entries)`,
        at,
      );
    }
    const target = table[index];
    if (target > this.r.length)
      this.r.fail(`forward reference ${index} points outside the file (offset ${target})`, at);
    return target;
  }

  /** A forward target that must lie after `at` (skipping backwards would loop forever). */
  forwardTargetAfter(index: number, at: number): number {
    const target = this.forwardTarget(index, at);
    if (target <= at)
      this.r.fail(`forward reference ${index} points backwards (to offset ${target}) — corrupt file`, at);
    return target;
  }

  private loadForwardTable(): Uint32Array {
    if (this.forwardTable) return this.forwardTable;
    const r: ByteReader = this.r;
    const len = r.length;
    const where = len - 4;
    if (len < 12) r.fail('the file is too short to hold the FastSerialization trailer — truncated', where);
    r.ensure(where, len);
    const trailer = r.view.getUint32(where, true);
    if (trailer + 4 > len - 4) {
      r.fail(
        `the trailer offset ${trailer} in the last 4 bytes is outside the file — the file is truncated or corrupt`,
        where,
      );
    }
    r.ensure(trailer, trailer + 4);
    const tableAt = r.view.getUint32(trailer, true);
    r.ensure(tableAt, trailer);
    if (tableAt + 4 > trailer) {
      r.fail(
        `the forward-reference table offset ${tableAt} is not before the trailer — corrupt file`,
        trailer,
      );
    }
    const count = r.view.getInt32(tableAt, true);
    if (count < 0 || tableAt + 4 + count * 4 > trailer) {
      r.fail(
        `the forward-reference table claims ${count} entries, which do not fit before the trailer`,
        tableAt,
      );
    }
    const table = new Uint32Array(count);
    for (let i = 0; i < count; i++) table[i] = r.view.getUint32(tableAt + 4 + i * 4, true);
    this.forwardTable = table;
    return table;
  }
}

function isDescriptor(v: unknown): v is TypeDescriptor {
  return typeof v === 'object' && v !== null && 'minReaderVersion' in v && 'name' in v;
}
