/**
 * SOS / dotnet-gcdump text: `dumpheap -stat` and `dotnet-gcdump report` tables (per-type
 * statistics), and saved `gcroot` output (root paths). Any text file is this source's to explain.
 */
import { readFile, stat } from 'node:fs/promises';
import { FormatError } from '../../errors.js';
import type { HeapSnapshot } from '../../model/snapshot.js';
import type { SnapshotSource, SourceFile } from '../source.js';
import { detectTextKind } from './detect.js';
import { readDumpHeapStat } from './dumpheapStat.js';
import { readGcdumpReport } from './gcdumpReport.js';
import { parseGcRoot } from './gcroot.js';
import { isObjSizeListing, otherSosCommand } from './otherCommands.js';
import { decodeText, looksLikeText } from './text.js';

// Text captures larger than this are not SOS output anyone pasted; refuse rather than exhaust memory.
const MAX_TEXT_BYTES = 256 * 1024 * 1024;

export const sosTextSource: SnapshotSource = {
  name: 'SOS text',
  formats: ['sos-dumpheap', 'gcdump-report'],
  detect: (head) => (looksLikeText(head) ? (detectTextKind(decodeText(head)) ?? 'text') : null),
  async read(file) {
    return { kind: 'stats', snapshot: await readText(file) };
  },
  async savedRootPaths(file) {
    if (file.kind !== 'sos-gcroot') return null;
    const { paths } = parseGcRoot(decodeText(await readFile(file.path)));
    const address = paths[0]?.steps[paths[0].steps.length - 1]?.address ?? '(unknown object)';
    return { address, paths };
  },
};

/** The head may not show the table (a long `dumpheap` listing comes first): judge the whole text. */
async function readText(file: SourceFile): Promise<HeapSnapshot> {
  const { size } = await stat(file.path);
  if (size > MAX_TEXT_BYTES) {
    throw new FormatError(
      file.path,
      undefined,
      `a ${size}-byte text file is too large to be SOS or dotnet-gcdump output (limit ${MAX_TEXT_BYTES})`,
    );
  }
  const text = decodeText(await readFile(file.path));
  const kind = file.kind === 'text' ? detectTextKind(text) : file.kind;
  if (isObjSizeListing(text)) throw notStatistics(file.path, OBJSIZE);
  if (kind === 'sos-dumpheap') return readDumpHeapStat(text, file.path);
  if (kind === 'gcdump-report') return readGcdumpReport(text, file.path);
  if (kind === 'sos-gcroot') {
    throw new FormatError(
      file.path,
      undefined,
      "this is SOS 'gcroot' output: it holds root paths, not per-type statistics; use 'dumpheap -stat' output, a .gcdump or a dump",
    );
  }
  const other = otherSosCommand(text);
  if (other) throw notStatistics(file.path, other);
  const first = text
    .split(/\r?\n/)
    .map((l, i) => ({ line: i + 1, text: l.trim() }))
    .find((l) => l.text !== '');
  throw new FormatError(
    file.path,
    undefined,
    "not a recognised snapshot: this text is not SOS 'dumpheap -stat' output, 'dotnet-gcdump report' output or 'gcroot' output" +
      (first ? `; line ${first.line} does not fit: ${JSON.stringify(first.text.slice(0, 120))}` : ''),
  );
}

const OBJSIZE = { command: 'objsize', holds: 'what one object keeps alive, not the whole heap' };

function notStatistics(path: string, what: { command: string; holds: string }): FormatError {
  return new FormatError(
    path,
    undefined,
    `this is SOS '${what.command}' output (${what.holds}), not per-type statistics of the heap; heapgate reads 'dumpheap -stat', 'dotnet-gcdump report' and 'gcroot' output, .gcdump files and memory dumps`,
  );
}
