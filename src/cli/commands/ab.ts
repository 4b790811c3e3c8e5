/**
 * `heapgate ab` — same-job A/B: run the base build's and the head build's scenario alternately,
 * K times each, and gate the head runs (per-type median) against a baseline of the base runs,
 * whose spread is the noise model. Runner-to-runner variance cancels because both sides share the
 * machine and the job.
 */
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { recordBaseline } from '../../baseline/record.js';
import { serializeBaseline } from '../../baseline/serialize.js';
import { baselineToSnapshot } from '../../baseline/toSnapshot.js';
import { DEFAULT_NOISE_CONFIDENCE } from '../../calibrate/noiseModel.js';
import { attachSourceEvidence, graphEvidence } from '../../check/heapEvidence.js';
import { describeBaseline, loadSide } from '../../check/inputs.js';
import { runCheck } from '../../check/runCheck.js';
import { parseDuration } from '../../collect/duration.js';
import { runAbSides } from '../../collect/abRuns.js';
import type { ScenarioEnvMode } from '../../collect/scenarioEnv.js';
import { requireScenarioName } from '../../baseline/scenarioName.js';
import { scenarioEnvOption } from '../scenarioEnvOption.js';
import { UsageError } from '../../errors.js';
import type { HeapSnapshot } from '../../model/snapshot.js';
import type { FailOn } from '../../rules/findings.js';
import { VERSION } from '../../version.js';
import { writeCheckReport, type CheckOutputOptions } from '../checkOutput.js';
import type { ExitStatus } from '../exitCodes.js';
import { loadRules } from '../inputs.js';
import { addReportOptions, parseConfidence, parseCount } from '../options.js';

interface AbOptions extends CheckOutputOptions {
  base: string;
  head: string;
  runs: number;
  checkpoint?: string;
  out: string;
  scenario: string;
  rules?: string[];
  failOn: FailOn;
  evidence: boolean;
  noise: boolean;
  confidence: number;
  timeout: string;
  totalTimeout?: string;
  quiet?: boolean;
  scenarioEnv: ScenarioEnvMode;
}

export function registerAb(program: Command, exit: ExitStatus): void {
  addReportOptions(program.command('ab'), 'lowest severity that fails the gate')
    .description(
      'same-job A/B: run the base and head commands alternately (--runs each), collect a .gcdump of each run, and gate the head runs against the base runs (exit 0 pass, 1 failed, 2 usage or input error, 3 internal error)',
    )
    .requiredOption('--base <command>', "the base build's scenario command (run through the shell)")
    .requiredOption('--head <command>', "the head build's scenario command (run through the shell)")
    .option('--runs <n>', 'runs per side; 3 or more give the base side a noise model', parseCount, 3)
    .option('--checkpoint <label>', 'the checkpoint compared (default: the last one each run reaches)')
    .option('-o, --out <dir>', 'folder for the runs (base-1/, head-1/, …) and baseline.json', 'heapgate-ab')
    .option('--scenario <name>', 'scenario name in the report', 'ab')
    .option(
      '--rules <file>',
      'rules file, repeatable (default: ./heapgate.yml, else builtin:default)',
      collect,
    )
    .option('--no-evidence', 'do not compute GC-root evidence for failing types')
    .option(
      '--confidence <c>',
      'confidence of the noise model from the base runs',
      parseConfidence,
      DEFAULT_NOISE_CONFIDENCE,
    )
    .option('--no-noise', 'judge by the rules alone, without the noise model of the base runs')
    .option('--timeout <duration>', 'longest wait for each checkpoint (e.g. 90s, 5m)', '120s')
    .option('--total-timeout <duration>', 'longest time for one run')
    .option('--top <n>', 'per-type changes shown in the report', parseCount)
    .option('-q, --quiet', "do not echo the scenarios' own output (to stderr)")
    .addOption(scenarioEnvOption())
    .action(async (opts: AbOptions) => {
      exit.code = await ab(opts);
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function ab(opts: AbOptions): Promise<number> {
  if (opts.runs < 1) throw new UsageError('--runs: give 1 or more runs per side');
  requireScenarioName(opts.scenario, '--scenario');
  const timeouts = {
    checkpointMs: parseDuration(opts.timeout, '--timeout'),
    ...(opts.totalTimeout !== undefined
      ? { totalMs: parseDuration(opts.totalTimeout, '--total-timeout') }
      : {}),
  };
  // Rules first: a typo should fail before minutes of runs.
  const rules = await loadRules(opts.rules ?? []);
  const out = resolve(opts.out);
  const { files, order } = await runAbSides({
    commands: { base: opts.base, head: opts.head },
    runsPerSide: opts.runs,
    ...(opts.checkpoint !== undefined ? { checkpoint: opts.checkpoint } : {}),
    outDir: out,
    timeouts,
    onRun: (run, line) => process.stderr.write(`heapgate ab: run ${run.side}-${run.index}: ${line}\n`),
    ...(opts.quiet ? {} : { onOutput: (text: string) => process.stderr.write(`${text}\n`) }),
    scenarioEnv: opts.scenarioEnv,
  });

  const bases: HeapSnapshot[] = [];
  for (const f of files.base) bases.push((await loadSide(f)).snapshot);
  const heads: HeapSnapshot[] = [];
  for (const [i, f] of files.head.entries())
    heads.push((await loadSide(f, { graph: opts.evidence && i === files.head.length - 1 })).snapshot);

  const now = new Date();
  const tool = `heapgate ${VERSION}`;
  const baseline = recordBaseline(bases, { scenario: opts.scenario, createdAt: now.toISOString(), tool });
  const baselineFile = join(out, 'baseline.json');
  await writeFile(baselineFile, serializeBaseline(baseline));
  const report = runCheck({
    heads,
    base: baselineToSnapshot(baseline, baselineFile),
    baselineInfo: describeBaseline(baselineFile, baseline),
    rules,
    scenario: opts.scenario,
    failOn: opts.failOn,
    today: now.toISOString().slice(0, 10),
    generatedAt: now.toISOString(),
    tool,
    ...(opts.evidence ? { evidence: graphEvidence } : {}),
    noiseConfidence: opts.noise ? opts.confidence : null,
  });
  report.meta.ab = { runsPerSide: opts.runs, order };
  if (opts.evidence) await attachSourceEvidence(report, heads);
  await writeCheckReport('ab', report, opts, heads.at(-1));
  return report.exitCode;
}
