import type { HeapSnapshot } from '../model/snapshot.js';
import { loadSnapshot } from '../snapshot/load.js';
import { stderrProgress } from './progress.js';

/** loadSnapshot with a "reading <file> N%" line on a terminal; statistics only unless `graph`. */
export async function readSnapshot(file: string, opts: { graph?: boolean } = {}): Promise<HeapSnapshot> {
  const progress = stderrProgress(`reading ${file}`);
  try {
    return await loadSnapshot(file, { graph: opts.graph !== false, onProgress: progress });
  } finally {
    progress.done();
  }
}
