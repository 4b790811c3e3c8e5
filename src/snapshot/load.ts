/** Reading any snapshot file into the common model: the registry picks the reader from the content. */
import { detectFile, type DetectedFile } from '../formats/registry.js';
import type { ReadOptions } from '../formats/source.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { completeSnapshot } from '../stats/completeSnapshot.js';
import { releaseGarbage } from './releaseGarbage.js';

export type LoadOptions = ReadOptions;

/** Loads any supported snapshot file into the common model, choosing the reader from the content. */
export async function loadSnapshot(file: string, opts: LoadOptions = {}): Promise<HeapSnapshot> {
  return readDetected(await detectFile(file), opts);
}

/** Reads a file already detected; statistics are computed here from what the reader read. */
export async function readDetected(file: DetectedFile, opts: LoadOptions = {}): Promise<HeapSnapshot> {
  const snapshot = completeSnapshot(await file.source.read(file, opts));
  // The graph passes come next: let them start from what is live, not from the read's leftovers.
  if (snapshot.graph) releaseGarbage();
  return snapshot;
}
