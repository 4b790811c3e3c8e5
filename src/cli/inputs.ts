/** File I/O for baseline, diff and check: the shared loaders, with a terminal progress line. */
import * as shared from '../check/inputs.js';
import type { RuleSet } from '../rules/types.js';
import { stderrProgress } from './progress.js';

export { exists, readBaselineFile, readText, scenarioFromPath, type LoadedSide } from '../check/inputs.js';

/** A baseline JSON or any snapshot file loadSnapshot reads (statistics only unless `graph`). */
export async function loadSide(file: string, opts: { graph?: boolean } = {}): Promise<shared.LoadedSide> {
  const progress = stderrProgress(`reading ${file}`);
  const side = await shared.loadSide(file, { ...opts, onProgress: progress });
  progress.done();
  return side;
}

/**
 * Rules from `--rules` (repeatable; `builtin:<name>` for a shipped set), else ./heapgate.yml,
 * else the shipped default rules.
 */
export function loadRules(refs: readonly string[]): Promise<RuleSet> {
  return shared.loadRules(refs);
}
