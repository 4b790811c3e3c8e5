import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

/** Writes `chunk` and, when the stream's buffer is full, waits until it drains (or fails). */
function writeOne(stream: NodeJS.WritableStream, chunk: string): Promise<void> | undefined {
  if (stream.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const done = (err?: unknown): void => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      if (err instanceof Error) reject(err);
      else resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

/** Writes the chunks to stdout in order, holding at most the stream's buffer in memory. */
export async function writeChunksToStdout(chunks: Iterable<string>): Promise<number> {
  let bytes = 0;
  for (const chunk of chunks) {
    bytes += Buffer.byteLength(chunk);
    await writeOne(process.stdout, chunk);
  }
  return bytes;
}

/**
 * Writes the chunks to `file` through a temporary file beside it, renamed into place when complete:
 * a failed or interrupted export never leaves a truncated file under the requested name.
 */
export async function writeChunksToFile(file: string, chunks: Iterable<string>): Promise<number> {
  // Refused before the work, not after it: the rename at the end would fail on a directory.
  if ((await stat(file).catch(() => undefined))?.isDirectory())
    throw new UsageError(`${file}: is a directory`);
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  const stream = createWriteStream(partial);
  let failure: Error | undefined;
  stream.on('error', (err) => (failure ??= err));
  let bytes = 0;
  try {
    for (const chunk of chunks) {
      if (failure) throw failure;
      bytes += Buffer.byteLength(chunk);
      await writeOne(stream, chunk);
    }
    await new Promise<void>((resolve, reject) => {
      stream.end(() => (failure ? reject(failure) : resolve()));
    });
    if (failure) throw failure;
    await rename(partial, file);
  } catch (err) {
    stream.destroy();
    await rm(partial, { force: true });
    throw err;
  }
  return bytes;
}
