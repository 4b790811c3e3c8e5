/**
 * Loading what a check needs from files: snapshots or baselines for either side, and rules files.
 * Shared by the CLI and the Action, which differ only in where shipped rule sets live (next to the
 * module for the CLI, next to the bundle for the Action) and in how they show progress.
 */
import { access, readFile } from 'node:fs/promises';
import { basename, extname, isAbsolute, join } from 'node:path';
import { UsageError } from '../errors.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { looksLikeBaseline, parseBaseline } from '../baseline/parse.js';
import type { Baseline } from '../baseline/schema.js';
import { baselineToSnapshot } from '../baseline/toSnapshot.js';
import { readDetected } from '../snapshot/load.js';
import { detectFile } from '../formats/registry.js';
import { BUILTIN_RULE_SETS, resolveRulesRef } from '../rules/builtin.js';
import { mergeRuleSets, parseRules } from '../rules/parse.js';
import type { RuleSet } from '../rules/types.js';
import type { BaselineInfo } from '../report/checkReport.js';

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

export interface LoadSideOptions {
  /** Build the object graph (for evidence or retained sizes); statistics alone read far leaner. */
  graph?: boolean;
  onProgress?: (fraction: number) => void;
}

/** A baseline JSON or any snapshot file loadSnapshot reads. */
export async function loadSide(file: string, opts: LoadSideOptions = {}): Promise<LoadedSide> {
  if (extname(file).toLowerCase() === '.json') {
    const text = await readText(file);
    if (looksLikeBaseline(text)) {
      const baseline = parseBaseline(text, file);
      return { snapshot: baselineToSnapshot(baseline, file), baseline };
    }
  }
  const detected = await detectFile(file);
  return {
    snapshot: await readDetected(detected, { graph: opts.graph === true, onProgress: opts.onProgress }),
  };
}

export async function readBaselineFile(file: string): Promise<Baseline> {
  return parseBaseline(await readText(file), file);
}

export interface LoadRulesOptions {
  /** Folder holding the shipped `<name>.yml` rule sets; default: found from the rules module. */
  builtinDir?: string;
  /**
   * Folder rules files are named relative to (and `heapgate.yml` is looked for in when no refs are
   * given); default: the working directory. Reports and positions keep the names as given.
   */
  cwd?: string;
}

/**
 * Rules from refs (`builtin:<name>` for a shipped set), else `heapgate.yml`, else the shipped
 * default rules.
 */
export async function loadRules(refs: readonly string[], options: LoadRulesOptions = {}): Promise<RuleSet> {
  const local = options.cwd ? join(options.cwd, 'heapgate.yml') : 'heapgate.yml';
  const wanted = refs.length > 0 ? refs : [(await exists(local)) ? 'heapgate.yml' : 'builtin:default'];
  const sets: RuleSet[] = [];
  for (const ref of wanted) {
    const file = resolveRef(ref, options.builtinDir, options.cwd);
    if (!(await exists(file))) {
      const hint = ref.startsWith('builtin:')
        ? ` (shipped sets: ${BUILTIN_RULE_SETS.map((n) => `builtin:${n}`).join(', ')})`
        : '';
      throw new UsageError(`rules file ${ref}: no such file${hint}`);
    }
    // Shipped sets are named as `builtin:x` in messages and reports, not by their install path.
    sets.push(parseRules(await readText(file), ref));
  }
  return mergeRuleSets(sets);
}

function resolveRef(ref: string, builtinDir: string | undefined, cwd: string | undefined): string {
  const m = /^builtin:(.+)$/.exec(ref);
  if (m && builtinDir !== undefined) return join(builtinDir, `${m[1]}.yml`);
  const file = resolveRulesRef(ref);
  return m || cwd === undefined || isAbsolute(file) ? file : join(cwd, file);
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

/** How a report names the baseline it compared with: the file, and what the baseline records about itself. */
export function describeBaseline(source: string, b: Baseline | undefined): BaselineInfo {
  return {
    source,
    missing: false,
    ...(b
      ? {
          scenario: b.scenario,
          createdAt: b.createdAt,
          samples: b.samples.length,
          ...(b.commit ? { commit: b.commit } : {}),
        }
      : {}),
  };
}
