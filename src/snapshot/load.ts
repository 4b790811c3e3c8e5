import { open, readFile, stat } from 'node:fs/promises';
import { FormatError, HeapgateError } from '../errors.js';
import { readDump } from '../formats/dump/index.js';
import { readGcdump } from '../formats/gcdump/index.js';
import { decodeText, detectTextKind, readDumpHeapStat, readGcdumpReport } from '../formats/sos/index.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { describeHead, detectKind } from './detect.js';
import { openLazyFile } from './lazyFile.js';

const HEAD_BYTES = 64 * 1024;

export interface LoadOptions {
  /**
   * Build the object graph when the format has one (default). `stat`, `diff` and `check` without
   * evidence need only statistics, which read .gcdump files in far less memory.
   */
  graph?: boolean;
  /** Called with a fraction in [0, 1] while a large file is read. */
  onProgress?: (fraction: number) => void;
  /** Time limit for dotnet-dump on a full dump (default 15 minutes). */
  dumpTimeoutMs?: number;
  /** Full dumps: count only objects reachable from roots, as a .gcdump does (default true). */
  dumpLiveOnly?: boolean;
}

// Text captures larger than this are not SOS output anyone pasted; refuse rather than exhaust memory.
const MAX_TEXT_BYTES = 256 * 1024 * 1024;

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
export async function loadSnapshot(file: string, opts: LoadOptions = {}): Promise<HeapSnapshot> {
  const head = await readHead(file);
  const kind = detectKind(head);
  switch (kind) {
    case 'gcdump': {
      const lazy = openLazyFile(file, opts.onProgress);
      try {
        return readGcdump(lazy.bytes, file, { graph: opts.graph, pages: lazy.pages });
      } finally {
        lazy.close();
      }
    }
    case 'empty':
      throw new FormatError(
        file,
        0,
        'the file is empty — expected a .gcdump, a memory dump or SOS text output',
      );
    case 'git-lfs-pointer':
      throw new FormatError(
        file,
        0,
        'this is a Git LFS pointer, not the snapshot itself — fetch the real file first (git lfs pull, or `lfs: true` in actions/checkout)',
      );
    case 'elf-core':
    case 'minidump':
      return readDump(file, kind, { timeoutMs: opts.dumpTimeoutMs, liveOnly: opts.dumpLiveOnly });
    case 'sos-dumpheap':
    case 'gcdump-report':
    case 'sos-gcroot':
    case 'text':
      return loadText(file, kind);
    case 'unknown':
      throw new FormatError(
        file,
        0,
        `not a recognised snapshot: expected a .gcdump ('!FastSerialization.1' header), a memory dump, or SOS/dotnet-gcdump text; the file starts with ${describeHead(head)}`,
      );
  }
}

/** SOS / dotnet-gcdump text: the head may not show the table (a long `dumpheap` listing comes first). */
async function loadText(
  file: string,
  headKind: 'sos-dumpheap' | 'gcdump-report' | 'sos-gcroot' | 'text',
): Promise<HeapSnapshot> {
  const { size } = await stat(file);
  if (size > MAX_TEXT_BYTES) {
    throw new FormatError(
      file,
      undefined,
      `a ${size}-byte text file is too large to be SOS or dotnet-gcdump output (limit ${MAX_TEXT_BYTES})`,
    );
  }
  const text = decodeText(await readFile(file));
  const kind = headKind === 'text' ? detectTextKind(text) : headKind;
  if (kind === 'sos-dumpheap') return readDumpHeapStat(text, file);
  if (kind === 'gcdump-report') return readGcdumpReport(text, file);
  if (kind === 'sos-gcroot') {
    throw new FormatError(
      file,
      undefined,
      "this is SOS 'gcroot' output: it holds root paths, not per-type statistics; use 'dumpheap -stat' output, a .gcdump or a dump",
    );
  }
  const first = text
    .split(/\r?\n/)
    .map((l, i) => ({ line: i + 1, text: l.trim() }))
    .find((l) => l.text !== '');
  throw new FormatError(
    file,
    undefined,
    "not a recognised snapshot: this text is not SOS 'dumpheap -stat' output, 'dotnet-gcdump report' output or 'gcroot' output" +
      (first ? `; line ${first.line} does not fit: ${JSON.stringify(first.text.slice(0, 120))}` : ''),
  );
}
