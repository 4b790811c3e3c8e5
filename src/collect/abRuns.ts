/**
 * The runs of a same-job A/B (see ab/plan): each side's scenario command through the shell, in the
 * planned order, one .gcdump per run at the compared checkpoint (or the last one it reaches).
 */
import { join } from 'node:path';
import { abOrder, type PlannedRun, type Side } from '../ab/plan.js';
import { UsageError } from '../errors.js';
import { shellCommand } from '../tools/shell.js';
import { runAndCollect, type CollectTimeouts } from './session.js';
import type { ScenarioEnvMode } from './scenarioEnv.js';

export interface AbRunsOptions {
  commands: Record<Side, string>;
  runsPerSide: number;
  /** The compared checkpoint; default: the last checkpoint each run reaches. */
  checkpoint?: string;
  /** Each run goes to `<outDir>/<side>-<n>/`. */
  outDir: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeouts: CollectTimeouts;
  onRun?: (run: PlannedRun, command: string) => void;
  onOutput?: (line: string) => void;
  /** The commands' environment (see scenarioEnv.ts); default clean. */
  scenarioEnv?: ScenarioEnvMode;
}

export interface AbRuns {
  /** Snapshot files per side, in run-number order. */
  files: Record<Side, string[]>;
  /** `base-1`, `head-1`, `head-2`, … in the order the runs happened. */
  order: string[];
}

export async function runAbSides(o: AbRunsOptions): Promise<AbRuns> {
  const plan = abOrder(o.runsPerSide);
  const files: Record<Side, string[]> = { base: [], head: [] };
  for (const run of plan) {
    const line = o.commands[run.side];
    const name = `${run.side}-${run.index}`;
    o.onRun?.(run, line);
    const result = await runAndCollect({
      ...shellCommand(line),
      ...(o.cwd !== undefined ? { cwd: o.cwd } : {}),
      ...(o.env !== undefined ? { env: o.env } : {}),
      kinds: ['gcdump'],
      outDir: join(o.outDir, name),
      force: true,
      checkpoints: o.checkpoint !== undefined ? [o.checkpoint] : 'all',
      timeouts: o.timeouts,
      ...(o.onOutput ? { onOutput: o.onOutput } : {}),
      ...(o.scenarioEnv ? { scenarioEnv: o.scenarioEnv } : {}),
    });
    const last = result.snapshots.at(-1);
    if (!last) throw new UsageError(`A/B run ${name} (${line}) reached no checkpoint; nothing to compare`);
    files[run.side][run.index - 1] = last.file;
  }
  return { files, order: plan.map((r) => `${r.side}-${r.index}`) };
}
