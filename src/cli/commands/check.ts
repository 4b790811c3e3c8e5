import { Option, type Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../../errors.js';
import { recordBaseline } from '../../baseline/record.js';
import { requireScenarioName } from '../../baseline/scenarioName.js';
import { serializeBaseline } from '../../baseline/serialize.js';
import { attachSourceEvidence } from '../../check/heapEvidence.js';
import { checkWithLazyEvidence } from '../../check/lazyEvidence.js';
import { runCheck } from '../../check/runCheck.js';
import { readHeadValues } from '../../check/headValues.js';
import type { HeapSnapshot } from '../../model/snapshot.js';
import type { BaselineInfo } from '../../report/checkReport.js';
import { writeCheckReport } from '../checkOutput.js';
import type { FailOn } from '../../rules/findings.js';
import { describeBaseline } from '../../check/inputs.js';
import { exists, loadRules, loadSide, scenarioFromPath } from '../inputs.js';
import { VERSION } from '../../version.js';
import { addReportOptions, parseConfidence, parseCount } from '../options.js';
import { DEFAULT_NOISE_CONFIDENCE } from '../../calibrate/noiseModel.js';
import type { ExitStatus } from '../exitCodes.js';

interface CheckOptions {
  baseline?: string;
  rules?: string[];
  scenario?: string;
  format: 'md' | 'json' | 'text' | 'html';
  output?: string;
  failOn: FailOn;
  record: boolean;
  evidence: boolean;
  top?: number;
  artifact?: string;
  today?: string;
  noise: boolean;
  confidence: number;
  trace?: string;
}

export function registerCheck(program: Command, exit: ExitStatus): void {
  addReportOptions(program.command('check'), 'lowest severity that fails the gate')
    .description(
      'gate: compare snapshot(s) with a baseline and apply leak rules (exit 0 pass, 1 failed, 2 usage or input error, 3 internal error)',
    )
    .argument('<snapshots...>', 'head snapshot files (several are combined by per-type median)')
    .option('--baseline <file>', 'baseline JSON (or a snapshot file); default baselines/<scenario>.json')
    .option(
      '--rules <file>',
      'rules file, repeatable; builtin:default and builtin:dotnet-leak-patterns are shipped (default: ./heapgate.yml, else builtin:default)',
      collect,
    )
    .option('--scenario <name>', "scenario name (default: the baseline's)")
    .option('--no-record', 'when the baseline file is missing, do not record this run as the baseline')
    .option('--no-evidence', 'do not compute GC-root evidence for failing types')
    .option(
      '--trace <file>',
      'an allocation trace (.nettrace, from collect --trace) of the head run: failing types gain their top allocation stacks',
    )
    .option(
      '--confidence <c>',
      "confidence of the noise model taken from a baseline of 3 or more clean runs: a type's growth limit is never below the growth it showed between those runs",
      parseConfidence,
      DEFAULT_NOISE_CONFIDENCE,
    )
    .option('--no-noise', "judge by the rules alone, without the baseline's noise model")
    .option('--top <n>', 'per-type changes shown in the report', parseCount)
    .option('--artifact <name>', 'name of the full report artifact mentioned when the markdown is shortened')
    .addOption(new Option('--today <date>', 'date used for suppression expiry (YYYY-MM-DD)').hideHelp())
    .action(async (files: string[], opts: CheckOptions) => {
      exit.code = await check(files, opts);
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function check(files: string[], opts: CheckOptions): Promise<number> {
  if (!opts.baseline && !opts.scenario)
    throw new UsageError('check needs --baseline <file> or --scenario <name> (for baselines/<name>.json)');
  if (opts.scenario !== undefined) requireScenarioName(opts.scenario, '--scenario');
  const baselinePath = opts.baseline ?? `baselines/${opts.scenario}.json`;
  if (opts.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.today))
    throw new UsageError(`--today: expected YYYY-MM-DD, got '${opts.today}'`);

  // Rules first: a typo in the rules should fail in milliseconds, not after loading gigabytes.
  const rules = await loadRules(opts.rules ?? []);
  // Statistics only: the object graph is read afterwards, and only when a finding needs evidence.
  const heads: HeapSnapshot[] = [];
  for (const f of files) heads.push((await loadSide(f)).snapshot);
  // Value rules (duplicate-string waste) on a full dump: one more reader pass, only when asked for.
  const values = await readHeadValues(rules, heads);

  let base: HeapSnapshot | undefined;
  let baseGraph: (() => Promise<HeapSnapshot>) | undefined;
  let info: BaselineInfo = { source: baselinePath, missing: true };
  let scenario = opts.scenario;
  if (await exists(baselinePath)) {
    const side = await loadSide(baselinePath);
    base = side.snapshot;
    const b = side.baseline;
    // A snapshot as the baseline brings its object graph too when there is evidence to compute:
    // each accumulation point then says how many instances its place gained since.
    if (!b) baseGraph = async () => (await loadSide(baselinePath, { graph: true })).snapshot;
    if (b && scenario !== undefined && b.scenario !== scenario) {
      throw new UsageError(
        `${baselinePath}: this baseline is for scenario '${b.scenario}', not '${scenario}'; pass the right --baseline or --scenario`,
      );
    }
    scenario ??= b?.scenario ?? scenarioFromPath(baselinePath);
    info = describeBaseline(baselinePath, b);
  } else {
    scenario ??= scenarioFromPath(baselinePath);
    if (opts.record) {
      // First run: keep this run as the baseline so the next one has something to compare with.
      const recorded = recordBaseline(heads, {
        scenario,
        createdAt: new Date().toISOString(),
        tool: `heapgate ${VERSION}`,
        ...commitOf(),
      });
      await mkdir(dirname(baselinePath), { recursive: true });
      await writeFile(baselinePath, serializeBaseline(recorded), { flag: 'wx' });
      info = { ...info, recordedTo: baselinePath };
      process.stderr.write(
        `heapgate: no baseline at ${baselinePath}; recorded this run there (scenario '${scenario}')\n`,
      );
    }
  }

  const now = new Date();
  const input = {
    heads,
    ...(base ? { base } : {}),
    baselineInfo: info,
    rules,
    scenario,
    failOn: opts.failOn,
    today: opts.today ?? now.toISOString().slice(0, 10),
    generatedAt: now.toISOString(),
    tool: `heapgate ${VERSION}`,
    noiseConfidence: opts.noise ? opts.confidence : null,
    ...(values ? { values } : {}),
  };
  const last = files[files.length - 1];
  const checked = opts.evidence
    ? await checkWithLazyEvidence(input, {
        head: async () => (await loadSide(last, { graph: true })).snapshot,
        ...(baseGraph ? { base: baseGraph } : {}),
      })
    : { report: runCheck(input), heads, ...(base ? { base } : {}) };
  const report = checked.report;
  if (opts.evidence)
    await attachSourceEvidence(report, checked.heads, {
      ...(checked.base ? { base: checked.base } : {}),
      suppressions: rules.suppressions,
      today: opts.today ?? now.toISOString().slice(0, 10),
    });

  if (opts.trace !== undefined) {
    const { readTraceFile } = await import('../readTrace.js');
    const { attachAllocationSites } = await import('../../check/allocationEvidence.js');
    const trace = await readTraceFile(opts.trace);
    attachAllocationSites(report.findings, trace, trace.info.file);
  }

  await writeCheckReport('check', report, opts, checked.heads.at(-1));
  return report.exitCode;
}

function commitOf(): { commit?: string } {
  const sha = process.env.GITHUB_SHA;
  return sha ? { commit: sha } : {};
}
