/** File I/O for baseline, diff and check: snapshots or baselines, and rules files. */
import { access, readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { UsageError } from '../errors.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { looksLikeBaseline, parseBaseline } from '../baseline/parse.js';
import type { Baseline } from '../baseline/schema.js';
import { baselineToSnapshot } from '../baseline/toSnapshot.js';
import { loadSnapshot } from '../snapshot/load.js';
import { BUILTIN_RULE_SETS, resolveRulesRef } from '../rules/builtin.js';
import { mergeRuleSets, parseRules } from '../rules/parse.js';
import type { RuleSet } from '../rules/types.js';
import { stderrProgress } from './progress.js';

export interface LoadedSide {
  snapshot: HeapSnapshot;
  /** Set when the file was a baseline JSON. */
  baseline?: Baseline;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** A baseline JSON or any snapshot file loadSnapshot reads. */
export async function loadSide(file: string): Promise<LoadedSide> {
  if (extname(file).toLowerCase() === '.json') {
    const text = await readText(file);
    if (looksLikeBaseline(text)) {
      const baseline = parseBaseline(text, file);
      return { snapshot: baselineToSnapshot(baseline, file), baseline };
    }
  }
  const progress = stderrProgress(`reading ${file}`);
  const snapshot = await loadSnapshot(file, { onProgress: progress });
  progress.done();
  return { snapshot };
}

export async function readBaselineFile(file: string): Promise<Baseline> {
  return parseBaseline(await readText(file), file);
}

/**
 * Rules from `--rules` (repeatable; `builtin:<name>` for a shipped set), else ./heapgate.yml,
 * else the shipped default rules.
 */
export async function loadRules(refs: readonly string[]): Promise<RuleSet> {
  const wanted = refs.length > 0 ? refs : [(await exists('heapgate.yml')) ? 'heapgate.yml' : 'builtin:default'];
  const sets: RuleSet[] = [];
  for (const ref of wanted) {
    const file = resolveRulesRef(ref);
    if (!(await exists(file))) {
      const hint = ref.startsWith('builtin:') ? ` (shipped sets: ${BUILTIN_RULE_SETS.map((n) => `builtin:${n}`).join(', ')})` : '';
      throw new UsageError(`rules file ${ref}: no such file${hint}`);
    }
    // Shipped sets are named as `builtin:x` in messages and reports, not by their install path.
    sets.push(parseRules(await readText(file), ref));
  }
  return mergeRuleSets(sets);
}

export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${file}: is a directory`);
    if (code === 'EACCES') throw new UsageError(`${file}: permission denied`);
    throw err;
  }
}

/** "baselines/steady.json" -> "steady". */
export function scenarioFromPath(file: string): string {
  return basename(file).replace(/\.json$/i, '');
}
