/**
 * `heapgate soak` — leak detection over a series of snapshots: run a scenario (after --) for N
 * rounds or a duration, collecting a .gcdump at each checkpoint, or analyse an existing series
 * (--snapshots); then judge each type's trend with the `trend:` rules and report.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { UsageError } from '../../errors.js';
import { requireScenarioName } from '../../baseline/scenarioName.js';
import { parseDuration } from '../../collect/duration.js';
import { runAndCollect, type CollectedSnapshot } from '../../collect/session.js';
import type { ScenarioEnvMode } from '../../collect/scenarioEnv.js';
import { renderSoakMarkdown } from '../../report/soak/markdown.js';
import { svgCharts } from '../../report/soak/svg.js';
import { renderSoakText } from '../../report/soak/text.js';
import type { FailOn } from '../../rules/findings.js';
import { readManifest, resolveSeries, type SeriesFile } from '../../soak/inputs.js';
import { requireTrendRules, soakReportFromFiles } from '../../soak/pipeline.js';
import { renderSoakJson, type SoakReport } from '../../soak/report.js';
import { warmupCount, type WarmupSpec } from '../../soak/series.js';
import { exists, loadRules } from '../inputs.js';
import { VERSION } from '../../version.js';
import { addReportOptions, parseCount } from '../options.js';
import { scenarioEnvOption } from '../scenarioEnvOption.js';
import { addProtocolOptions, protocolOf, type ProtocolCliOptions } from '../protocolOptions.js';
import { collectedLine } from '../progress.js';
import type { ExitStatus } from '../exitCodes.js';

interface SoakOptions extends ProtocolCliOptions {
  snapshots?: string[];
  rounds?: number;
  duration?: string;
  warmup: WarmupSpec;
  rules?: string[];
  scenario?: string;
  format: 'md' | 'json' | 'text' | 'html';
  output?: string;
  failOn: FailOn;
  out: string;
  force?: boolean;
  timeout: string;
  totalTimeout?: string;
  project: string;
  evidence: boolean;
  svg?: string;
  top?: number;
  artifact?: string;
  quiet?: boolean;
  trace?: boolean;
  today?: string;
  scenarioEnv: ScenarioEnvMode;
}

export function registerSoak(program: Command, exit: ExitStatus): void {
  addReportOptions(addProtocolOptions(program.command('soak')), 'lowest severity that fails')
    .description(
      'leak detection over a series of snapshots: run a scenario (after --) and collect at each checkpoint, ' +
        'or analyse --snapshots; fail types that keep growing (exit 0 pass, 1 failed, 2 usage or input error, 3 internal error)',
    )
    .argument('[command...]', 'scenario command and its arguments, after --')
    .option(
      '--snapshots <files...>',
      'analyse these snapshots instead: files, a folder, or its heapgate-collect.json',
    )
    .option(
      '--rounds <n>',
      'stop the scenario after N analysed rounds (checkpoints after warm-up)',
      parsePositive,
    )
    .option(
      '--duration <duration>',
      'stop the scenario at the first checkpoint after this long (e.g. 30m, 2h)',
    )
    .addOption(
      new Option(
        '--warmup <n>',
        "leading snapshots left out of the trend: a number, or 'auto' (checkpoints labelled warmup, at least the first)",
      )
        .argParser(parseWarmup)
        .default('auto' as WarmupSpec),
    )
    .option(
      '--rules <file>',
      'rules file, repeatable; only rules with a trend: block apply (default: ./heapgate.yml, else builtin:soak)',
      collectList,
    )
    .option('--scenario <name>', 'scenario name shown in the report (default: from the command or folder)')
    .option(
      '-o, --out <dir>',
      'folder for the collected snapshots and heapgate-collect.json',
      'heapgate-soak',
    )
    .option('-f, --force', 'overwrite snapshots left in --out by an earlier run')
    .option('--timeout <duration>', 'longest wait for each checkpoint', '120s')
    .option('--total-timeout <duration>', 'longest time for the whole scenario run')
    .option(
      '--project <duration>',
      'horizon of the projected count and bytes (needs collection times)',
      '24h',
    )
    .option('--no-evidence', 'do not compute GC-root evidence for growing types')
    .option(
      '--svg <dir>',
      'also write an SVG chart per offending type into this folder (linked from the markdown)',
    )
    .option('--top <n>', 'growing types listed in the report', parseCount)
    .option('--artifact <name>', 'name of the full report mentioned when the markdown is shortened')
    .option('-q, --quiet', "do not echo the scenario's own output (to stderr)")
    .option(
      '--trace',
      'also record the allocations of each round (dotnet-trace) as <label>.nettrace in --out, for heapgate allocs',
    )
    .addOption(scenarioEnvOption())
    .addOption(new Option('--today <date>', 'date used for suppression expiry (YYYY-MM-DD)').hideHelp())
    .addHelpText(
      'after',
      `
Examples:
  heapgate soak --rounds 6 -- dotnet MyScenario.dll --rounds 100
  heapgate soak --duration 30m --format md --output soak.md -- ./run-soak.sh
  heapgate soak --snapshots heapgate-soak/heapgate-collect.json --format json

The scenario prints "heapgate:checkpoint <label>" after a forced full GC and waits for "continue"
on stdin (see README). The first snapshot of a process is always skipped (taking it makes the
runtime allocate its diagnostics metadata); so are leading checkpoints labelled warmup.`,
    )
    .action(async (command: string[], opts: SoakOptions) => {
      exit.code = await soak(command, opts);
    });
}

async function soak(command: string[], opts: SoakOptions): Promise<number> {
  if (opts.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.today))
    throw new UsageError(`--today: expected YYYY-MM-DD, got '${opts.today}'`);
  const projectHours = parseDuration(opts.project, '--project') / 3_600_000;
  // Rules first: a typo in them should fail in milliseconds, not after an hour of soaking.
  const refs = opts.rules ?? [(await exists('heapgate.yml')) ? 'heapgate.yml' : 'builtin:soak'];
  const rules = await loadRules(refs);
  requireTrendRules(rules);

  let files: SeriesFile[];
  let scenario = opts.scenario === undefined ? undefined : requireScenarioName(opts.scenario, '--scenario');
  if (opts.snapshots) {
    if (command.length > 0)
      throw new UsageError('give either --snapshots or a scenario command after --, not both');
    if (opts.rounds !== undefined || opts.duration !== undefined || opts.trace)
      throw new UsageError('--rounds, --duration and --trace apply to a scenario run, not to --snapshots');
    files = await resolveSeries(opts.snapshots);
    scenario ??= basename(dirname(files[0]?.file ?? '.')) || 'soak';
  } else {
    if (command.length === 0)
      throw new UsageError(
        'nothing to soak: give a scenario command after -- (heapgate soak --rounds 6 -- dotnet app.dll), or --snapshots <files>',
      );
    files = await collectSeries(command, opts);
    scenario ??= basename(command.find((a) => /\.(dll|exe|sh|ps1)$/i.test(a)) ?? command[0]).replace(
      /\.[^.]+$/,
      '',
    );
  }

  const now = new Date();
  const report = await soakReportFromFiles(files, {
    rules,
    warmup: opts.warmup,
    scenario,
    failOn: opts.failOn,
    today: opts.today ?? now.toISOString().slice(0, 10),
    generatedAt: now.toISOString(),
    tool: `heapgate ${VERSION}`,
    projectHours,
    evidence: opts.evidence,
  });
  const svgLinks = opts.svg
    ? await writeSvgCharts(report, opts.svg, opts.output ? dirname(opts.output) : '.')
    : undefined;
  const text =
    opts.format === 'html'
      ? (await import('../../report/html/index.js')).renderSoakHtml(report)
      : render(report, opts, svgLinks);
  if (opts.output) {
    await mkdir(dirname(opts.output), { recursive: true });
    await writeFile(opts.output, text);
    process.stderr.write(`heapgate soak: ${report.verdict} (${opts.output})\n`);
  } else process.stdout.write(text);
  return report.exitCode;
}

function render(report: SoakReport, opts: SoakOptions, svgLinks: Map<string, string> | undefined): string {
  if (opts.format === 'json') return renderSoakJson(report);
  if (opts.format === 'md')
    return renderSoakMarkdown(report, {
      ...(opts.top !== undefined ? { top: opts.top } : {}),
      ...(opts.artifact ? { artifact: opts.artifact } : {}),
      ...(svgLinks ? { svgLinks } : {}),
    });
  return renderSoakText(report, { ...(opts.top !== undefined ? { top: opts.top } : {}) });
}

/** Runs the scenario, collecting at every checkpoint, until it ends or --rounds/--duration is reached. */
async function collectSeries(command: string[], opts: SoakOptions): Promise<SeriesFile[]> {
  const durationMs = opts.duration !== undefined ? parseDuration(opts.duration, '--duration') : undefined;
  const started = Date.now();
  const enough = (collected: readonly CollectedSnapshot[]): boolean => {
    if (durationMs !== undefined && Date.now() - started >= durationMs) return true;
    if (opts.rounds === undefined) return false;
    const warm = warmupCount(
      collected.map((s) => s.label),
      opts.warmup,
    );
    return collected.length - warm >= opts.rounds;
  };
  const result = await runAndCollect({
    command: command[0],
    args: command.slice(1),
    kinds: ['gcdump'],
    outDir: opts.out,
    force: opts.force === true,
    checkpoints: 'all',
    until: enough,
    timeouts: {
      checkpointMs: parseDuration(opts.timeout, '--timeout'),
      ...(opts.totalTimeout !== undefined
        ? { totalMs: parseDuration(opts.totalTimeout, '--total-timeout') }
        : {}),
    },
    onSnapshot: (s) => process.stderr.write(`${collectedLine(s)}\n`),
    onToolOutput: (t) => process.stderr.write(`${t}\n`),
    ...(opts.quiet ? {} : { onOutput: (line: string) => process.stderr.write(`${line}\n`) }),
    scenarioEnv: opts.scenarioEnv,
    protocol: protocolOf(opts),
    trace: opts.trace === true,
  });
  for (const t of result.traces)
    process.stderr.write(`heapgate: allocations of "${t.label}" traced to ${t.file}\n`);
  return readManifest(result.manifestFile);
}

/** Writes the SVG charts; returns each type's link, relative to where the markdown goes. */
async function writeSvgCharts(
  report: SoakReport,
  dir: string,
  reportDir: string,
): Promise<Map<string, string>> {
  await mkdir(dir, { recursive: true });
  const links = new Map<string, string>();
  for (const chart of svgCharts(report)) {
    const file = join(dir, chart.file);
    await writeFile(file, chart.svg);
    links.set(chart.type, relative(reportDir, file).split('\\').join('/'));
  }
  return links;
}

function parsePositive(value: string): number {
  const n = parseCount(value);
  if (n < 1) throw new InvalidArgumentError('must be 1 or more');
  return n;
}

function parseWarmup(value: string): WarmupSpec {
  if (value.trim() === 'auto') return 'auto';
  return parseCount(value);
}

function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
