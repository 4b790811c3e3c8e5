/**
 * Unpacking a downloaded artifact archive without trusting it: artifacts can be uploaded by any run,
 * a fork's included. The whole archive is refused when any entry is a link, names an absolute path
 * or climbs out with `..`, when entries lie about their sizes, or when it is larger than the caps;
 * only the files asked for are written, each below `dir`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { ToolError } from '../src/errors.js';

export interface ArchiveLimits {
  /** Largest archive accepted, compressed. */
  maxArchiveBytes: number;
  /** Largest single file accepted, unpacked. */
  maxFileBytes: number;
  /** Most entries accepted. */
  maxEntries: number;
}

export const ARCHIVE_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 512 * 1024 * 1024,
  maxFileBytes: 64 * 1024 * 1024,
  maxEntries: 10_000,
};

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Checks every entry of `zip`, then writes the entries named in `wanted` (paths inside the archive)
 * to the same relative paths under `dir`. Throws a one-line ToolError naming `label` on the first problem.
 */
export async function extractWanted(
  zip: Buffer,
  dir: string,
  wanted: readonly string[],
  label: string,
  limits: ArchiveLimits = ARCHIVE_LIMITS,
): Promise<string[]> {
  const refuse = (why: string) => new ToolError(`${label} is refused: ${why}`);
  if (zip.length > limits.maxArchiveBytes)
    throw refuse(`the archive has ${zip.length} bytes, more than the ${limits.maxArchiveBytes} accepted`);
  let file: yauzl.ZipFile;
  try {
    file = await yauzl.fromBufferPromise(zip, { lazyEntries: true, validateEntrySizes: true });
  } catch (err) {
    throw refuse(`it is not a readable zip archive (${(err as Error).message})`);
  }
  if (file.entryCount > limits.maxEntries)
    throw refuse(`it has ${file.entryCount} entries, more than the ${limits.maxEntries} accepted`);
  const out = new Map<string, Buffer>();
  try {
    for (;;) {
      const entry = await nextEntry(file);
      if (entry === undefined) break;
      const name = entry.fileName;
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (mode === S_IFLNK) throw refuse(`entry '${name}' is a symbolic link`);
      if (entry.uncompressedSize > limits.maxFileBytes)
        throw refuse(
          `entry '${name}' unpacks to ${entry.uncompressedSize} bytes, more than the ${limits.maxFileBytes} accepted`,
        );
      if (wanted.includes(name)) out.set(name, await readEntry(file, entry));
    }
  } catch (err) {
    if (err instanceof ToolError) throw err;
    // yauzl names the problem: "absolute path: /etc/x", "invalid relative path: ../x", size mismatches.
    throw refuse((err as Error).message.split('\n')[0] ?? 'malformed archive');
  } finally {
    file.close();
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of out) {
    const target = join(dir, name);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, data);
  }
  return [...out.keys()];
}

function nextEntry(file: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      file.off('entry', onEntry);
      file.off('end', onEnd);
      file.off('error', onError);
    };
    const onEntry = (e: yauzl.Entry) => (cleanup(), resolve(e));
    const onEnd = () => (cleanup(), resolve(undefined));
    const onError = (err: Error) => (cleanup(), reject(err));
    file.on('entry', onEntry);
    file.on('end', onEnd);
    file.on('error', onError);
    file.readEntry();
  });
}

async function readEntry(file: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  const stream = await file.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
