import { detectTextKind } from '../formats/sos/detect.js';
import { decodeText, looksLikeText } from '../formats/sos/text.js';

/** What a file is, judged from its first bytes (never from its extension). */
export type InputKind =
  | 'gcdump'
  | 'elf-core'
  | 'minidump'
  | 'git-lfs-pointer'
  | 'sos-dumpheap'
  | 'gcdump-report'
  | 'sos-gcroot'
  /** Text, but none of the outputs above (at least not in the head). */
  | 'text'
  | 'empty'
  | 'unknown';

const GCDUMP_MAGIC = '!FastSerialization.1';
const LFS_PREFIX = 'version https://git-lfs.github.com/spec/';

/** Classifies a file by its head (the first few KiB are enough). */
export function detectKind(head: Uint8Array): InputKind {
  if (head.length === 0) return 'empty';
  if (head.length >= 24 && ascii(head, 4, GCDUMP_MAGIC.length) === GCDUMP_MAGIC) return 'gcdump';
  if (head.length >= 4 && head[0] === 0x7f && ascii(head, 1, 3) === 'ELF') return 'elf-core';
  if (head.length >= 4 && ascii(head, 0, 4) === 'MDMP') return 'minidump';
  if (ascii(head, 0, LFS_PREFIX.length) === LFS_PREFIX) return 'git-lfs-pointer';
  if (looksLikeText(head)) return detectTextKind(decodeText(head)) ?? 'text';
  return 'unknown';
}

function ascii(b: Uint8Array, start: number, n: number): string {
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
