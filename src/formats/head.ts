/** The first bytes of a file, from which every source judges whether the file is its format. */
import { open, stat } from 'node:fs/promises';
import { HeapgateError } from '../errors.js';

export const HEAD_BYTES = 64 * 1024;

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

/** `n` bytes at `start` as Latin-1 text, for magic numbers. */
export function ascii(b: Uint8Array, start: number, n: number): string {
  let s = '';
  for (let i = start; i < start + n && i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** A short printable description of a file's first bytes, for "this is not X" errors. */
export function describeHead(head: Uint8Array): string {
  const n = Math.min(16, head.length);
  const hex = Array.from(head.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = Array.from(head.subarray(0, n), (b) =>
    b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.',
  ).join('');
  return `${hex} (“${text}”)`;
}
