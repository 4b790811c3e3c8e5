import { open, readFile, stat } from 'node:fs/promises';
import { FormatError, HeapgateError } from '../errors.js';
import { readGcdump } from '../formats/gcdump/index.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { describeHead, detectKind } from './detect.js';

const HEAD_BYTES = 64 * 1024;

export interface LoadOptions {
  /** Called with a fraction in [0, 1] while a large file is read. */
  onProgress?: (fraction: number) => void;
}

/** Reads the head of a file without loading the rest (dumps can be many GiB). */
export async function readHead(file: string, bytes = HEAD_BYTES): Promise<Uint8Array> {
  const fh = await openForRead(file);
  try {
    const buf = new Uint8Array(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function openForRead(file: string) {
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new HeapgateError(`${file}: is a directory, not a snapshot file`);
    return await open(file, 'r');
  } catch (err) {
    if (err instanceof HeapgateError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new HeapgateError(`${file}: no such file`);
    if (code === 'EACCES') throw new HeapgateError(`${file}: permission denied`);
    throw err;
  }
}

/** Loads any supported snapshot file into the common model, choosing the reader from the content. */
export async function loadSnapshot(file: string, _opts: LoadOptions = {}): Promise<HeapSnapshot> {
  const head = await readHead(file);
  const kind = detectKind(head);
  switch (kind) {
    case 'gcdump': {
      const bytes = await readFile(file);
      return readGcdump(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
    }
    case 'empty':
      throw new FormatError(file, 0, 'the file is empty — expected a .gcdump, a memory dump or SOS text output');
    case 'git-lfs-pointer':
      throw new FormatError(
        file,
        0,
        'this is a Git LFS pointer, not the snapshot itself — fetch the real file first (git lfs pull, or `lfs: true` in actions/checkout)',
      );
    case 'elf-core':
    case 'minidump':
      throw new FormatError(file, 0, `this is a full memory dump (${kind}); dumps are not supported by this build`);
    case 'unknown':
      throw new FormatError(
        file,
        0,
        `not a recognised snapshot: expected a .gcdump ('!FastSerialization.1' header), a memory dump, or SOS/dotnet-gcdump text; the file starts with ${describeHead(head)}`,
      );
  }
}
