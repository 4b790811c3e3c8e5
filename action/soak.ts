/**
 * `mode: soak`: run the scenario for N rounds or a duration (or take an existing series from the
 * `snapshots` glob), judge each type's trend with the `trend:` rules, and publish the report —
 * job summary, a report artifact with the markdown, JSON and SVG charts — then fail on errors.
 * The analysis is the CLI's (src/soak/pipeline.ts); this file only wires inputs and outputs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { exists, loadRules } from '../src/check/inputs.js';
import { annotateFindings } from './findingAnnotations.js';
import { artifactSafe } from '../src/ci/names.js';
import { runAndCollect } from '../src/collect/session.js';
import { ensureTool } from '../src/tools/discovery.js';
import { shellCommand } from '../src/tools/shell.js';
import { UsageError } from '../src/errors.js';
import { renderSoakMarkdown } from '../src/report/soak/markdown.js';
import { renderSoakHtml } from '../src/report/html/index.js';
import { svgCharts } from '../src/report/soak/svg.js';
import { readManifest, resolveSeries, type SeriesFile } from '../src/soak/inputs.js';
import { requireTrendRules, soakReportFromFiles } from '../src/soak/pipeline.js';
import { renderSoakJson } from '../src/soak/report.js';
import { warmupCount } from '../src/soak/series.js';
import { VERSION } from '../src/version.js';
import type { HeadSource, SoakConfig, SoakModeConfig } from './config.js';
import { freshOutDir, uploadArtifact, type Deps } from './gate.js';
import { expandGlobs } from './glob.js';
import { Outputs, setCountOutputs } from './outputs.js';
import type { RunnerPort } from './port.js';
import { soakHistory } from './history.js';

const SUMMARY_CHARS = 512 * 1024;

export function soakArtifactName(scenario: string): string {
  return `heapgate-soak-${artifactSafe(scenario)}`;
}

export async function soak(deps: Deps<SoakModeConfig>): Promise<void> {
  const { config, ctx, runner } = deps;
  const cwd = resolve(ctx.workspace, config.workingDirectory);
  const out = freshOutDir(ctx, 'heapgate-soak', config.scenario);

  const refs = config.rules.length > 0 ? config.rules : await defaultRules(cwd);
  const rules = await loadRules(refs, { builtinDir: join(deps.actionRoot, 'rules'), cwd });
  requireTrendRules(rules);
  const files = await series(config.heads, config.soak, cwd, out, runner);
  const now = new Date();
  const report = await soakReportFromFiles(files, {
    rules,
    warmup: config.soak.warmup,
    scenario: config.scenario,
    failOn: config.failOn,
    today: now.toISOString().slice(0, 10),
    generatedAt: now.toISOString(),
    tool: `heapgate ${VERSION}`,
    projectHours: 24,
    evidence: true,
    shown: (f) => (config.heads.kind === 'run' ? `checkpoint ${f.label}` : relative(cwd, f.file)),
  });

  if (config.historyFrom !== undefined) {
    const failing = [
      ...new Set(report.findings.filter((f) => f.status !== 'inconclusive').flatMap((f) => f.types)),
    ];
    if (failing.length > 0) {
      const history = await soakHistory(deps, config.historyFrom, failing);
      if (history) report.history = history;
    }
  }

  const name = soakArtifactName(config.scenario);
  const artifact = `the ${name} artifact`;
  const charts = svgCharts(report);
  mkdirSync(join(out, 'charts'), { recursive: true });
  for (const c of charts) writeFileSync(join(out, 'charts', c.file), c.svg);
  const links = new Map(charts.map((c) => [c.type, `charts/${c.file}`]));
  const markdown = renderSoakMarkdown(report, { artifact, svgLinks: links });
  writeFileSync(join(out, 'report.md'), markdown);
  writeFileSync(join(out, 'soak.json'), renderSoakJson(report));
  writeFileSync(join(out, 'report.html'), renderSoakHtml(report));
  // The summary has no artifact files beside it: charts there are the mermaid ones only.
  const summary = renderSoakMarkdown(report, { artifact, maxChars: SUMMARY_CHARS }).replace(
    /^<!--.*?-->\n/,
    '',
  );
  await runner.appendSummary(summary, false);

  const uploads = [
    join(out, 'report.md'),
    join(out, 'soak.json'),
    join(out, 'report.html'),
    ...charts.map((c) => join(out, 'charts', c.file)),
  ];
  await uploadArtifact(deps, name, uploads, out);
  setCountOutputs(runner, report);
  annotateFindings(runner, report, config.scenario, { workspace: ctx.workspace, cwd });
  runner.setOutput(Outputs.ReportMarkdown, join(out, 'report.md'));
  runner.setOutput(Outputs.ResultJson, join(out, 'soak.json'));
  if (report.exitCode === 1)
    runner.setFailed(
      `heapgate: memory keeps growing in scenario '${config.scenario}' (${report.counts.fail} failing, ${report.counts.warn} warning finding${report.counts.warn === 1 ? '' : 's'}); see the job summary`,
    );
}

async function defaultRules(cwd: string): Promise<string[]> {
  return (await exists(join(cwd, 'heapgate.yml'))) ? [] : ['builtin:soak'];
}

/** The run's snapshots in order: collected from the scenario, or the files the glob matched. */
async function series(
  heads: HeadSource,
  soak: SoakConfig,
  cwd: string,
  out: string,
  runner: RunnerPort,
): Promise<SeriesFile[]> {
  if (heads.kind === 'snapshots') {
    const files = expandGlobs(heads.patterns, cwd);
    if (files.length === 0)
      throw new UsageError(
        `Input 'snapshots' matched no files (patterns: ${heads.patterns.map((p) => `'${p}'`).join(', ')})`,
      );
    return resolveSeries(files);
  }
  await ensureTool('dotnet-gcdump', { install: true });
  const shell = shellCommand(heads.command);
  const started = Date.now();
  const result = await runner.group(`running the soak scenario: ${heads.command}`, () =>
    runAndCollect({
      command: shell.command,
      args: shell.args,
      cwd,
      kinds: ['gcdump'],
      outDir: join(out, 'snapshots'),
      force: true,
      checkpoints: 'all',
      scenarioEnv: heads.env,
      until: (collected) =>
        (soak.durationMs !== undefined && Date.now() - started >= soak.durationMs) ||
        (soak.rounds !== undefined &&
          collected.length -
            warmupCount(
              collected.map((s) => s.label),
              soak.warmup,
            ) >=
            soak.rounds),
      timeouts: {
        checkpointMs: heads.checkpointMs,
        ...(heads.totalMs !== undefined ? { totalMs: heads.totalMs } : {}),
      },
      onOutput: (line) => runner.info(line),
      onSnapshot: (s) => runner.info(`heapgate: collected checkpoint "${s.label}" (${s.bytes} bytes)`),
      onToolOutput: (text) => runner.info(text),
    }),
  );
  return readManifest(result.manifestFile);
}
