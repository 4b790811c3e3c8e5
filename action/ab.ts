/**
 * Same-job A/B in the Action (`base-run` with `run`): the base build's and the head build's
 * scenario commands run alternately, and the head runs are gated against a baseline of the base
 * runs of this job (and their noise model) instead of a recorded baseline.
 */
import { basename, dirname, join } from 'node:path';
import { recordBaseline } from '../src/baseline/record.js';
import { baselineToSnapshot } from '../src/baseline/toSnapshot.js';
import { describeBaseline, loadSide } from '../src/check/inputs.js';
import { runAbSides } from '../src/collect/abRuns.js';
import type { HeapSnapshot } from '../src/model/snapshot.js';
import type { AbInfo } from '../src/report/checkReport.js';
import { ensureTool } from '../src/tools/discovery.js';
import type { ResolvedBaseline } from './baseline.js';
import type { AbConfig, HeadSource } from './config.js';
import type { Heads } from './heads.js';
import type { RunnerPort } from './port.js';

export interface AbAcquired {
  heads: Heads;
  base: ResolvedBaseline;
  ab: AbInfo;
}

export async function acquireAb(
  source: Extract<HeadSource, { kind: 'run' }>,
  ab: AbConfig,
  opts: { cwd: string; scratch: string; scenario: string; now: Date; tool: string },
  runner: RunnerPort,
): Promise<AbAcquired> {
  await ensureTool('dotnet-gcdump', { install: true });
  const runs = await runner.group(`A/B: ${ab.runs} runs each of the base and the head scenario`, () =>
    runAbSides({
      commands: { base: ab.baseCommand, head: source.command },
      runsPerSide: ab.runs,
      ...(source.checkpoints !== 'all'
        ? { checkpoint: source.checkpoints[source.checkpoints.length - 1] }
        : {}),
      outDir: join(opts.scratch, 'ab'),
      cwd: opts.cwd,
      timeouts: {
        checkpointMs: source.checkpointMs,
        ...(source.totalMs !== undefined ? { totalMs: source.totalMs } : {}),
      },
      onRun: (run, line) => runner.info(`heapgate: A/B run ${run.side}-${run.index}: ${line}`),
      onOutput: (line) => runner.info(line),
      scenarioEnv: source.env,
    }),
  );
  // Reports name each run as `head-2/round-3`, not by the runner's temp path.
  const read = async (file: string, graph: boolean): Promise<HeapSnapshot> => {
    const s = (await loadSide(file, { graph })).snapshot;
    return { ...s, meta: { ...s.meta, source: `${basename(dirname(file))}/${basename(file, '.gcdump')}` } };
  };
  const bases: HeapSnapshot[] = [];
  for (const f of runs.files.base) bases.push(await read(f, false));
  const heads: HeapSnapshot[] = [];
  for (const f of runs.files.head) heads.push(await read(f, false));
  const lastFile = runs.files.head[runs.files.head.length - 1];

  const baseline = recordBaseline(bases, {
    scenario: opts.scenario,
    createdAt: opts.now.toISOString(),
    tool: opts.tool,
  });
  const label = `the ${ab.runs} base runs of this job`;
  return {
    heads: {
      files: runs.files.head,
      snapshots: heads,
      // Evidence only when a finding asks for it: the graph is read then.
      lastWithGraph: () => read(lastFile, true),
    },
    base: {
      snapshot: baselineToSnapshot(baseline, label),
      info: describeBaseline(label, baseline),
      note: `A/B in this job: ${ab.runs} runs each of the base (${ab.baseCommand}) and the head (${source.command}), in the order ${runs.order.join(', ')}; the head runs are compared with the base runs.`,
    },
    ab: { runsPerSide: ab.runs, order: runs.order },
  };
}
