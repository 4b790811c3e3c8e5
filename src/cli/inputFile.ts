/**
 * File arguments that are not regular files. Readers need random access to a file they can reopen
 * (and dotnet-dump needs a path), so standard input (`-`, `/dev/stdin`) and named pipes are first
 * copied to a private temporary file, removed when heapgate exits. Messages and reports still name
 * what the user gave. A named pipe that no program opens for writing is given up after
 * HEAPGATE_PIPE_WAIT seconds (default 30) instead of waiting forever; devices and sockets are refused.
 */
import {
  closeSync,
  constants,
  createWriteStream,
  fstatSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  type Stats,
} from 'node:fs';
import { open, rename, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../errors.js';
import type { HeapSnapshot } from '../model/snapshot.js';

/** A file argument as the readers can use it. */
export interface InputFile {
  /** What to open: the argument itself, or a temporary copy of what a pipe delivered. */
  path: string;
  /** What messages and reports call it: the argument (`<stdin>` for `-`). */
  display: string;
}

const STDIN_NAMES = new Set(['-', '/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);
const DEFAULT_PIPE_WAIT_S = 30;

let spoolDir: string | undefined;
const resolved = new Map<string, Promise<InputFile>>();

/** Resolves a file argument once per process (stdin can be read only once; `diff - -` reads the same copy). */
export function resolveInput(arg: string): Promise<InputFile> {
  let input = resolved.get(arg);
  if (!input) {
    input = resolveUncached(arg);
    resolved.set(arg, input);
  }
  return input;
}

async function resolveUncached(arg: string): Promise<InputFile> {
  if (STDIN_NAMES.has(arg)) return fromStdin(arg);
  let kind: 'fifo' | 'refused' | 'file';
  try {
    const s = await stat(arg);
    kind = s.isFIFO()
      ? 'fifo'
      : s.isCharacterDevice() || s.isBlockDevice() || s.isSocket()
        ? 'refused'
        : 'file';
  } catch {
    // Missing or unreadable: the reader reports it, naming the file.
    return { path: arg, display: arg };
  }
  if (kind === 'file') return { path: arg, display: arg };
  if (kind === 'refused')
    throw new UsageError(
      `${arg}: is a device or socket, not a snapshot file; save its output to a file first`,
    );
  const fh = await openNamedPipe(arg);
  return spool(fh.createReadStream(), arg);
}

async function fromStdin(arg: string): Promise<InputFile> {
  const display = arg === '-' ? '<stdin>' : arg;
  let fd0: Stats;
  try {
    fd0 = fstatSync(0);
  } catch {
    throw new UsageError(`${display}: standard input is closed; pipe a snapshot into it`);
  }
  // `heapgate stat - < x.gcdump`: a regular file needs no copy where the OS can reopen it (but a
  // JSON baseline is copied, to be read as one: baselines are found by their .json name).
  if (fd0.isFile() && process.platform !== 'win32' && !looksLikeJson(headOfStdin()))
    return { path: '/dev/stdin', display };
  if (process.stdin.isTTY)
    throw new UsageError(
      `${display}: standard input is a terminal; pipe a snapshot into it (cat x.gcdump | heapgate stat -)`,
    );
  return spool(process.stdin, display);
}

function headOfStdin(): string {
  const buf = Buffer.alloc(256);
  // A positioned read leaves the offset where it was, for the copy that may follow.
  const n = readSync(0, buf, 0, buf.length, 0);
  return buf.toString('utf8', 0, n);
}

function looksLikeJson(head: string): boolean {
  return head
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{');
}

function pipeWaitMs(): number {
  const raw = process.env.HEAPGATE_PIPE_WAIT;
  const seconds = raw === undefined || raw.trim() === '' ? DEFAULT_PIPE_WAIT_S : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`HEAPGATE_PIPE_WAIT: expected a number of seconds, got '${raw}'`);
  return seconds * 1000;
}

/**
 * Opens a named pipe for reading. Opening blocks until a program opens it for writing; after the
 * wait, heapgate opens it for writing itself (without blocking) and closes it at once, which ends
 * its own pending open, and reports the pipe as unused.
 */
async function openNamedPipe(path: string): Promise<FileHandle> {
  const waitMs = pipeWaitMs();
  const opening = open(path, 'r');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
  });
  const first = await Promise.race([opening, timedOut]);
  clearTimeout(timer);
  if (first !== null) return first;
  await releasePendingOpen(path, opening);
  throw new UsageError(
    `${path}: a named pipe that no program opened for writing within ${waitMs / 1000} s ` +
      '(set HEAPGATE_PIPE_WAIT=<seconds> to wait longer)',
  );
}

async function releasePendingOpen(path: string, opening: Promise<FileHandle>): Promise<void> {
  let settled = false;
  void opening.then(
    (fh) => {
      settled = true;
      return fh.close();
    },
    () => {
      settled = true;
    },
  );
  for (let attempt = 0; attempt < 50 && !settled; attempt++) {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: our own open has not reached the pipe yet; try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Copies a stream to a private temporary file. A copy that holds JSON is named `.json`, so a
 * baseline can be piped in like any snapshot.
 */
async function spool(stream: Readable, display: string): Promise<InputFile> {
  spoolDir ??= createSpoolDir();
  const path = join(spoolDir, `input-${resolved.size}`);
  await pipeline(stream, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  const fh = await open(path, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(256);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.toString('utf8', 0, bytesRead);
  } finally {
    await fh.close();
  }
  if (!looksLikeJson(head)) return { path, display };
  await rename(path, `${path}.json`);
  return { path: `${path}.json`, display };
}

function createSpoolDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapgate-input-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs `read` on the usable path of a file argument; errors and the snapshot it returns name the
 * argument, not a temporary copy.
 */
export async function withInputFile<T>(arg: string, read: (input: InputFile) => Promise<T>): Promise<T> {
  const input = await resolveInput(arg);
  if (input.path === input.display) return read(input);
  try {
    return await read(input);
  } catch (err) {
    if (err instanceof Error) err.message = err.message.split(input.path).join(input.display);
    throw err;
  }
}

/**
 * Names a snapshot read from a copy by the argument. Full dumps keep the copy's path: their evidence
 * runs dotnet-dump on the file again later.
 */
export function renameSource(snapshot: HeapSnapshot, input: InputFile): HeapSnapshot {
  if (input.path !== input.display && snapshot.meta.format !== 'dump') snapshot.meta.source = input.display;
  return snapshot;
}
