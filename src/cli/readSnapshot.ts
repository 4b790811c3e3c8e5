import type { HeapSnapshot } from '../model/snapshot.js';
import { loadSnapshot } from '../snapshot/load.js';
import { renameSource, withInputFile } from './inputFile.js';
import { stderrProgress } from './progress.js';

/**
 * loadSnapshot with a "reading <file> N%" line on a terminal; statistics only unless `graph`.
 * `-`, /dev/stdin and named pipes are read too.
 */
export async function readSnapshot(
  file: string,
  opts: { graph?: boolean; unreachable?: boolean; liveOnly?: boolean } = {},
): Promise<HeapSnapshot> {
  const progress = stderrProgress(`reading ${file}`);
  try {
    return await withInputFile(file, async (input) =>
      renameSource(
        await loadSnapshot(input.path, {
          graph: opts.graph !== false,
          unreachable: opts.unreachable,
          liveOnly: opts.liveOnly,
          onProgress: progress,
        }),
        input,
      ),
    );
  } finally {
    progress.done();
  }
}
