/** File I/O for baseline, diff and check: the shared loaders, with a terminal progress line. */
import type { Baseline } from '../baseline/schema.js';
import * as shared from '../check/inputs.js';
import type { RuleSet } from '../rules/types.js';
import { renameSource, withInputFile } from './inputFile.js';
import { stderrProgress } from './progress.js';

export { exists, readText, scenarioFromPath, type LoadedSide } from '../check/inputs.js';

/**
 * A baseline JSON or any snapshot file loadSnapshot reads (statistics only unless `graph`);
 * `-`, /dev/stdin and named pipes are read too.
 */
export async function loadSide(
  file: string,
  opts: Pick<shared.LoadSideOptions, 'graph'> = {},
): Promise<shared.LoadedSide> {
  const progress = stderrProgress(`reading ${file}`);
  try {
    return await withInputFile(file, async (input) => {
      const side = await shared.loadSide(input.path, { ...opts, onProgress: progress });
      renameSource(side.snapshot, input);
      return side;
    });
  } finally {
    progress.done();
  }
}

/** A baseline JSON file (or `-`, /dev/stdin, a named pipe). */
export function readBaselineFile(file: string): Promise<Baseline> {
  return withInputFile(file, (input) => shared.readBaselineFile(input.path));
}

/**
 * Rules from `--rules` (repeatable; `builtin:<name>` for a shipped set), else ./heapgate.yml,
 * else the shipped default rules.
 */
export function loadRules(refs: readonly string[]): Promise<RuleSet> {
  return shared.loadRules(refs);
}
