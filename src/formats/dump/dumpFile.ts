/**
 * Cheap structural checks of a full memory dump before handing it to the diagnostics tools:
 * reads only the ELF program headers or the minidump stream directory (never the memory), so a
 * truncated copy (interrupted upload, full disk, size-limited artifact) gets a clear error.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { FormatError } from '../../errors.js';

export interface DumpFileInfo {
  kind: 'elf-core' | 'minidump';
  fileBytes: number;
  /** Bytes the headers say the file must have. */
  expectedBytes: number;
  pointerSize?: 4 | 8;
}

const ET_CORE = 4;
const PN_XNUM = 0xffff;
const MINIDUMP_MEMORY64_LIST = 9;

/** Checks that `file` is a complete ELF core or Windows minidump; throws FormatError otherwise. */
export async function checkDumpFile(file: string, kind: 'elf-core' | 'minidump'): Promise<DumpFileInfo> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const expected =
      kind === 'elf-core' ? await elfExtent(fh, file, size) : await minidumpExtent(fh, file, size);
    if (expected.bytes > size) {
      throw new FormatError(
        file,
        size,
        `the dump is truncated: its headers describe ${expected.bytes} bytes but the file has only ${size} ` +
          `(${((100 * size) / expected.bytes).toFixed(1)}%); copy or download it again`,
      );
    }
    return { kind, fileBytes: size, expectedBytes: expected.bytes, pointerSize: expected.pointerSize };
  } finally {
    await fh.close();
  }
}

async function readAt(
  fh: FileHandle,
  file: string,
  position: number,
  length: number,
  size: number,
  what: string,
): Promise<Buffer> {
  if (position + length > size) {
    throw new FormatError(
      file,
      size,
      `the dump is truncated: ${what} at byte ${position} lies past the end of the ${size}-byte file`,
    );
  }
  const buf = Buffer.alloc(length);
  await fh.read(buf, 0, length, position);
  return buf;
}

async function elfExtent(
  fh: FileHandle,
  file: string,
  size: number,
): Promise<{ bytes: number; pointerSize: 4 | 8 }> {
  const ident = await readAt(fh, file, 0, 64, size, 'the ELF header');
  const is64 = ident[4] === 2;
  const le = ident[5] !== 2;
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u64 = (b: Buffer, o: number) => Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
  const type = u16(ident, 0x10);
  if (type !== ET_CORE) {
    throw new FormatError(
      file,
      0x10,
      `this is an ELF file but not a core dump (e_type ${type}); expected a core file from dotnet-dump collect, createdump or the kernel`,
    );
  }
  const phoff = is64 ? u64(ident, 0x20) : u32(ident, 0x1c);
  const phentsize = u16(ident, is64 ? 0x36 : 0x2a);
  let phnum = u16(ident, is64 ? 0x38 : 0x2c);
  if (phnum === PN_XNUM) {
    // More than 65534 segments: the real count is in section header 0's sh_info.
    const shoff = is64 ? u64(ident, 0x28) : u32(ident, 0x20);
    const sh0 = await readAt(fh, file, shoff, is64 ? 64 : 40, size, 'section header 0');
    phnum = u32(sh0, is64 ? 0x2c : 0x1c);
  }
  let bytes = phoff + phnum * phentsize;
  const table = await readAt(fh, file, phoff, phnum * phentsize, size, 'the program header table');
  for (let i = 0; i < phnum; i++) {
    const o = i * phentsize;
    const offset = is64 ? u64(table, o + 8) : u32(table, o + 4);
    const filesz = is64 ? u64(table, o + 32) : u32(table, o + 16);
    bytes = Math.max(bytes, offset + filesz);
  }
  return { bytes, pointerSize: is64 ? 8 : 4 };
}

async function minidumpExtent(
  fh: FileHandle,
  file: string,
  size: number,
): Promise<{ bytes: number; pointerSize?: 4 | 8 }> {
  const header = await readAt(fh, file, 0, 32, size, 'the minidump header');
  const streams = header.readUInt32LE(8);
  const dirRva = header.readUInt32LE(12);
  const dir = await readAt(fh, file, dirRva, streams * 12, size, 'the stream directory');
  let bytes = dirRva + streams * 12;
  for (let i = 0; i < streams; i++) {
    const type = dir.readUInt32LE(i * 12);
    const dataSize = dir.readUInt32LE(i * 12 + 4);
    const rva = dir.readUInt32LE(i * 12 + 8);
    bytes = Math.max(bytes, rva + dataSize);
    if (type === MINIDUMP_MEMORY64_LIST && dataSize >= 16) {
      // Full-memory dumps keep the memory after everything else: BaseRva + sum of range sizes.
      const list = await readAt(fh, file, rva, dataSize, size, 'the memory list');
      const ranges = Number(list.readBigUInt64LE(0));
      let end = Number(list.readBigUInt64LE(8));
      for (let r = 0; r < ranges && 16 + r * 16 + 16 <= dataSize; r++)
        end += Number(list.readBigUInt64LE(16 + r * 16 + 8));
      bytes = Math.max(bytes, end);
    }
  }
  return { bytes };
}

/** 'elf-core' / 'minidump' from a file's first bytes, or null for anything else. */
export function sniffDumpKind(head: Uint8Array): DumpFileInfo['kind'] | null {
  if (head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46)
    return 'elf-core';
  if (head.length >= 4 && head[0] === 0x4d && head[1] === 0x44 && head[2] === 0x4d && head[3] === 0x50)
    return 'minidump';
  return null;
}
