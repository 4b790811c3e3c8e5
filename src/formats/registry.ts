/**
 * Every snapshot format heapgate reads, in detection order: the first source whose `detect`
 * claims a file's head reads it. Adding a format is one folder with a `source.ts` and one line here.
 */
import type { HeapSnapshot } from '../model/snapshot.js';
import { dumpSource } from './dump/source.js';
import { gcdumpSource } from './gcdump/source.js';
import { readHead } from './head.js';
import { emptyFile, gitLfsPointer, unrecognised } from './notSnapshots.js';
import type { SnapshotSource, SourceFile } from './source.js';
import { sosTextSource } from './sos/source.js';

export const SOURCES: readonly SnapshotSource[] = [
  emptyFile,
  gcdumpSource,
  dumpSource,
  gitLfsPointer,
  // Any text: SOS and dotnet-gcdump output, or an explanation of why the text is not that.
  sosTextSource,
];

export interface DetectedFile extends SourceFile {
  source: SnapshotSource;
}

/** The source that reads a file with this head, and the kind of file it sees (never from the extension). */
export function detectSource(head: Uint8Array): { source: SnapshotSource; kind: string } {
  for (const source of SOURCES) {
    const kind = source.detect(head);
    if (kind !== null) return { source, kind };
  }
  return { source: unrecognised, kind: 'unknown' };
}

/** What a file is, judged from its first bytes: 'gcdump', 'elf-core', 'sos-dumpheap', 'text', 'unknown', … */
export function detectKind(head: Uint8Array): string {
  return detectSource(head).kind;
}

/** Reads a file's head and finds its source. */
export async function detectFile(path: string): Promise<DetectedFile> {
  const head = await readHead(path);
  return { path, head, ...detectSource(head) };
}

/** The source a snapshot was read by (none for baselines). */
export function sourceOf(snapshot: HeapSnapshot): SnapshotSource | undefined {
  return SOURCES.find((s) => s.formats.includes(snapshot.meta.format));
}
