/**
 * `mode: gate` and `mode: record`: acquire the heads, gate them against the baseline, publish the
 * result (job summary, pull request comment, report artifact), and on the default branch record the
 * new baseline — whatever the gate said, so one failure never leaves the baseline stuck.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { recordBaseline, withLeaks } from '../src/baseline/record.js';
import { nextLeaks } from '../src/fingerprint/knownLeaks.js';
import { serializeBaseline } from '../src/baseline/serialize.js';
import { checkWithLazyEvidence } from '../src/check/lazyEvidence.js';
import { loadRules } from '../src/check/inputs.js';
import { readHeadValues } from '../src/check/headValues.js';
import { baselineArtifactName, FILES, reportArtifactName } from '../src/ci/names.js';
import { ToolError } from '../src/errors.js';
import { VERSION } from '../src/version.js';
import { attachSourceEvidence } from '../src/check/heapEvidence.js';
import { attachAllocationSites } from '../src/check/allocationEvidence.js';
import { readNettrace } from '../src/formats/nettrace/reader.js';
import { renderCheckJson, type CheckReport } from '../src/report/checkReport.js';
import { renderCheckMarkdown, reportMarker } from '../src/report/markdown.js';
import { renderCheckHtml } from '../src/report/html/index.js';
import { REPORT_LINK_MARK } from '../src/ci/commentPolicy.js';
import { statJson } from '../src/report/statJson.js';
import { selectStats } from '../src/stats/selectStats.js';
import { code } from '../src/report/escape.js';
import { formatBytes, formatInt } from '../src/report/format.js';
import { GITHUB_COMMENT_LIMIT, size } from '../src/report/budget.js';
import { redact } from './apiError.js';
import type { ArtifactStore, UploadMeta } from './artifacts.js';
import { resolveBaseline, TRUSTED_EVENTS } from './baseline.js';
import { upsertComment } from './comment.js';
import type { Config, GateConfig, RecordConfig } from './config.js';
import type { RunContext } from './context.js';
import type { GitHubApi } from './github.js';
import { annotateFindings } from './findingAnnotations.js';
import type { Verdict } from '../src/rules/findings.js';
import { acquireHeads, type Heads } from './heads.js';
import { acquireAb } from './ab.js';
import { Outputs, setCountOutputs } from './outputs.js';
import type { RunnerPort } from './port.js';

/** The job summary may hold 1 MiB; leave room for other steps' sections. */
const SUMMARY_CHARS = 512 * 1024;

export interface Deps<C extends Config = Config> {
  config: C;
  ctx: RunContext;
  api: GitHubApi;
  store: ArtifactStore;
  /** Folder of the Action itself (holds rules/). */
  actionRoot: string;
  /** Log, annotations, outputs, summary and the step's failure. */
  runner: RunnerPort;
}

export async function gate(deps: Deps<GateConfig | RecordConfig>): Promise<void> {
  const { config, ctx, runner } = deps;
  const cwd = resolve(ctx.workspace, config.workingDirectory);
  const out = join(ctx.tempDir, 'heapgate', config.scenario);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const tool = `heapgate ${VERSION}`;
  const now = new Date();

  // Rules first: a typo in them should fail in milliseconds, not after running the scenario.
  const rules =
    config.mode === 'gate'
      ? await loadRules(config.rules, { builtinDir: join(deps.actionRoot, 'rules'), cwd })
      : undefined;
  const ab =
    config.mode === 'gate' && config.ab && config.heads.kind === 'run'
      ? await acquireAb(
          config.heads,
          config.ab,
          { cwd, scratch: out, scenario: config.scenario, now, tool },
          runner,
        )
      : undefined;
  const heads = ab ? ab.heads : await acquireHeads(config.heads, cwd, out, runner);
  let recorded = recordBaseline(heads.snapshots, {
    scenario: config.scenario,
    createdAt: now.toISOString(),
    tool,
    commit: ctx.sha,
  });

  let failure: string | undefined;
  if (rules) {
    const base = ab
      ? ab.base
      : await resolveBaseline(config.baseline, config.scenario, {
          api: deps.api,
          store: deps.store,
          ctx,
          cwd,
          scratch: out,
          now,
        });
    runner.info(base.note);
    for (const r of base.refusals ?? [])
      runner.notice(`heapgate: not used as a baseline: ${r}`, {
        title: 'heapgate: untrusted baseline artifact',
      });
    if (base.problem) runner.warning(base.problem, { title: 'heapgate: baseline lookup failed' });
    // Value rules (waste inspections) on a full dump: more reader passes, only when asked for.
    const values = await readHeadValues(rules, heads.snapshots);
    // Rules on statistics first; the object graphs are read only if a finding needs evidence.
    const checked = await checkWithLazyEvidence(
      {
        heads: heads.snapshots,
        ...(base.snapshot ? { base: base.snapshot } : {}),
        baselineInfo: base.info,
        rules,
        scenario: config.scenario,
        failOn: config.failOn,
        today: now.toISOString().slice(0, 10),
        generatedAt: now.toISOString(),
        tool,
        ...(values ? { values } : {}),
      },
      { head: heads.lastWithGraph, ...(base.withGraph ? { base: base.withGraph } : {}) },
    );
    const report = checked.report;
    heads.snapshots = [...checked.heads];
    if (ab) report.meta.ab = ab.ab;
    await attachSourceEvidence(report, heads.snapshots, {
      ...(checked.base ? { base: checked.base } : {}),
      suppressions: rules.suppressions,
      today: now.toISOString().slice(0, 10),
    });
    if (heads.trace !== undefined) {
      runner.info(`reading the allocation trace ${heads.trace}`);
      const trace = readNettrace(new Uint8Array(readFileSync(heads.trace)), basename(heads.trace));
      attachAllocationSites(report.findings, trace, basename(heads.trace));
    }
    // The baseline this run records remembers its leaks, each with the first run that had it.
    recorded = withLeaks(
      recorded,
      nextLeaks(base.snapshot?.leaks, report.findings, {
        date: now.toISOString().slice(0, 10),
        commit: ctx.sha,
      }),
    );
    const artifact = `the ${reportArtifactName(config.scenario)} artifact`;
    const markdown = renderCheckMarkdown(report, { artifact });
    writeReportFiles(runner, out, report, markdown, heads, serializeBaseline(recorded), ctx);
    // Uploaded first, so the summary and the comment can link to the page in it.
    const link = reportLink(deps, await uploadReport(deps, out, heads));
    await writeSummary(runner, report, base.note, artifact, base.info.missing, link);
    await comment(deps, report, link ? withLink(report, artifact, link) : markdown, artifact);
    setCountOutputs(runner, report);
    annotateFindings(runner, report, config.scenario, { workspace: ctx.workspace, cwd });
    if (base.commit) runner.setOutput(Outputs.ComparedCommit, base.commit);
    if (base.info.missing && !base.problem)
      runner.notice(base.note, { title: `heapgate: no baseline for ${config.scenario}` });
    if (report.exitCode === 1)
      failure = `heapgate: memory gate failed for scenario '${config.scenario}' (${report.counts.fail} failing, ${report.counts.warn} warning finding${report.counts.warn === 1 ? '' : 's'}); see the job summary`;
  } else {
    writeFileSync(join(out, FILES.baseline), serializeBaseline(recorded));
    runner.setOutput(Outputs.Status, 'recorded');
  }

  const onDefault = (ctx.event.kind === 'push' || ctx.event.kind === 'other') && ctx.event.onDefaultBranch;
  let recordNote: string | undefined;
  if (config.mode === 'record' || (onDefault && config.recordBaseline)) {
    // Fails closed: a pull request's code (a fork's included) never writes a baseline artifact.
    if (ctx.event.kind === 'pull_request' || !TRUSTED_EVENTS.includes(ctx.eventName)) {
      recordNote = `heapgate: no baseline artifact recorded: this run was started by '${ctx.eventName}', and baselines are recorded only by ${TRUSTED_EVENTS.join(', ')} runs (a pull request's code must not set the baseline others are gated against).`;
      runner.notice(recordNote, { title: 'heapgate: baseline not recorded' });
    } else {
      await recordBaselineArtifact(deps, out, serializeBaseline(recorded));
      recordNote = `Recorded as the ${baselineArtifactName(config.scenario)} artifact in ${deps.store.description}.`;
    }
  }
  if (!rules) await writeRecordSummary(runner, config.scenario, ctx.sha, heads, recordNote);
  if (failure) runner.setFailed(failure);
}

/** `mode: record`'s job summary: what was recorded, for which commit, and the largest types. */
async function writeRecordSummary(
  runner: RunnerPort,
  scenario: string,
  commit: string,
  heads: Heads,
  note: string | undefined,
): Promise<void> {
  const [first] = heads.snapshots;
  const rows = first ? selectStats(first.stats, { top: 10 }).rows : [];
  const lines = [
    `### heapgate: baseline of ${code(scenario)} for ${code(commit.slice(0, 10))}`,
    '',
    `${heads.snapshots.length} snapshot${heads.snapshots.length === 1 ? '' : 's'}. ${note ?? 'Written to baseline.json only.'}`,
    '',
    '| Type | Objects | Bytes |',
    '| --- | ---: | ---: |',
    ...rows.map((r) => `| ${code(r.name)} | ${formatInt(r.count)} | ${formatBytes(r.bytes)} |`),
    '',
  ];
  await runner.appendSummary(lines.join('\n'));
}

function writeReportFiles(
  runner: RunnerPort,
  out: string,
  report: CheckReport,
  markdown: string,
  heads: Heads,
  baselineJson: string,
  ctx: RunContext,
): void {
  writeFileSync(join(out, FILES.report), markdown);
  writeFileSync(join(out, FILES.html), renderCheckHtml(report, { head: heads.snapshots.at(-1) }));
  writeFileSync(join(out, FILES.result), renderCheckJson(report));
  const stats = heads.snapshots.map((s) => statJson(s, selectStats(s.stats, {})));
  writeFileSync(join(out, FILES.stats), JSON.stringify({ heads: stats }, null, 2) + '\n');
  // This run as a baseline: download and commit it to accept the new state.
  writeFileSync(join(out, FILES.baseline), baselineJson);
  if (ctx.event.kind === 'pull_request') {
    writeFileSync(
      join(out, FILES.pullRequest),
      JSON.stringify({ number: ctx.event.number, headSha: ctx.event.headSha }) + '\n',
    );
  }
  runner.setOutput(Outputs.ReportMarkdown, join(out, FILES.report));
  runner.setOutput(Outputs.ResultJson, join(out, FILES.result));
}

async function writeSummary(
  runner: RunnerPort,
  report: CheckReport,
  note: string,
  artifact: string,
  missing: boolean,
  link: string | undefined,
): Promise<void> {
  const body = renderCheckMarkdown(report, { artifact, maxChars: SUMMARY_CHARS });
  // The marker is for comments only; the summary starts with the verdict.
  const text = body.replace(/^<!--.*?-->\n/, '');
  await runner.appendSummary(
    `${text}${link ? `\n${link}\n` : ''}\n${missing ? '> [!NOTE]\n> ' : ''}${note}\n`,
  );
}

async function comment(deps: Deps, report: CheckReport, markdown: string, artifact: string): Promise<void> {
  await postComment(deps, {
    marker: reportMarker(report.scenario),
    body: markdown,
    verdict: report.verdict,
    artifact,
  });
}

/** An empty folder for one mode's outputs of one scenario, under the runner's temp folder. */
export function freshOutDir(ctx: RunContext, kind: string, scenario: string): string {
  const out = join(ctx.tempDir, kind, scenario);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  return out;
}

/** Uploads a report artifact; a failed upload is a warning, the report is in the job summary anyway. */
export async function uploadArtifact(deps: Deps, name: string, files: string[], root: string): Promise<void> {
  const { ctx, config, runner } = deps;
  try {
    await deps.store.upload(name, files, root, {
      commit: ctx.sha,
      runId: ctx.runId,
      fromFork: ctx.event.kind === 'pull_request' && ctx.event.fork,
      event: ctx.eventName,
      ...(config.retentionDays !== undefined ? { retentionDays: config.retentionDays } : {}),
    });
    runner.info(`heapgate: uploaded ${name} to ${deps.store.description}`);
  } catch (err) {
    runner.warning(`heapgate: uploading the ${name} artifact failed: ${oneLine(err)}`);
  }
}

/** Creates or edits the pull request's comment marked `marker`, per the `comment` input; says why not otherwise. */
export async function postComment(
  deps: Deps,
  c: { marker: string; body: string; verdict: Verdict; artifact: string },
): Promise<void> {
  const ev = deps.ctx.event;
  if (ev.kind !== 'pull_request' || deps.config.comment === 'off') return;
  const outcome = await upsertComment(deps.api, {
    issue: ev.number,
    marker: c.marker,
    body: c.body,
    mode: deps.config.comment,
    verdict: c.verdict,
    fullReport: c.artifact,
  });
  switch (outcome.kind) {
    case 'created':
    case 'updated':
      deps.runner.info(`heapgate: ${outcome.kind} comment ${outcome.id} on #${ev.number}`);
      break;
    case 'skipped':
      deps.runner.info(`heapgate: no comment (${outcome.reason})`);
      break;
    case 'forbidden': {
      const why = ev.fork
        ? `this pull request comes from a fork, whose token cannot comment. The report is in the job summary; to comment on fork pull requests, add the two-workflow setup (mode: report in a workflow_run job).`
        : `the token may not comment (HTTP ${outcome.status}); give the job 'permissions: pull-requests: write'. The report is in the job summary.`;
      deps.runner.notice(`heapgate could not comment on #${ev.number}: ${why}`, {
        title: 'heapgate: comment not posted',
      });
      await deps.runner.appendSummary(`\n> [!NOTE]\n> No pull request comment: ${why}\n`);
      break;
    }
  }
}

/** The report artifact's id, or undefined when the upload failed or the store did not say. */
async function uploadReport(deps: Deps, out: string, heads: Heads): Promise<number | undefined> {
  const files = [
    FILES.report,
    FILES.html,
    FILES.result,
    FILES.stats,
    FILES.baseline,
    ...(deps.ctx.event.kind === 'pull_request' ? [FILES.pullRequest] : []),
  ].map((f) => join(out, f));
  if (deps.config.uploadDumps) {
    // Snapshots can hold secrets (full dumps hold every string in the process): only on request.
    mkdirSync(join(out, 'snapshots'), { recursive: true });
    for (const f of heads.files) {
      const copy = join(out, 'snapshots', basename(f));
      if (resolve(f) !== copy) copyFileSync(f, copy);
      files.push(copy);
    }
  }
  const name = reportArtifactName(deps.config.scenario);
  try {
    const id = await deps.store.upload(name, files, out, uploadMeta(deps));
    deps.runner.info(`heapgate: uploaded ${name} to ${deps.store.description}`);
    return id;
  } catch (err) {
    // The gate's verdict stands without the artifact; the fork reporting job will say it is missing.
    deps.runner.warning(`heapgate: uploading the ${name} artifact failed: ${oneLine(err)}`);
    return undefined;
  }
}

/** The comment with the link as its last line, the report budgeted to leave room for it. */
function withLink(report: CheckReport, artifact: string, link: string): string {
  const maxChars = GITHUB_COMMENT_LIMIT - size(link) - 2;
  return `${renderCheckMarkdown(report, { artifact, maxChars }).trimEnd()}\n\n${link}\n`;
}

/**
 * One markdown line linking to the HTML report: the report artifact's download when its id is
 * known, else the run's page (whose artifact list has it). Ends with REPORT_LINK_MARK, so a comment
 * that differs only by this link counts as unchanged.
 */
function reportLink(deps: Deps, artifactId: number | undefined): string | undefined {
  const { ctx } = deps;
  if (!(ctx.runId > 0)) return undefined;
  const run = `${ctx.serverUrl}/${ctx.repo.owner}/${ctx.repo.repo}/actions/runs/${ctx.runId}`;
  const url = artifactId === undefined ? run : `${run}/artifacts/${artifactId}`;
  const name = reportArtifactName(deps.config.scenario);
  return `<sub>📊 [HTML report](${url}): ${FILES.html} in the ${code(name)} artifact — treemap, root paths, sortable type table; unzip and open in a browser.</sub>${REPORT_LINK_MARK}`;
}

async function recordBaselineArtifact(deps: Deps, out: string, json: string): Promise<void> {
  const dir = join(out, 'record');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, FILES.baseline);
  writeFileSync(file, json);
  const name = baselineArtifactName(deps.config.scenario);
  try {
    await deps.store.upload(name, [file], dir, uploadMeta(deps));
  } catch (err) {
    throw new ToolError(
      `recording the baseline artifact ${name} in ${deps.store.description} failed: ${oneLine(err)}`,
    );
  }
  deps.runner.setOutput(Outputs.BaselineArtifact, name);
  deps.runner.info(
    `heapgate: recorded ${name} for ${deps.ctx.sha.slice(0, 10)} in ${deps.store.description}`,
  );
}

/** A library error as one line, without its stack or anything token-like. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return redact(text.split('\n')[0] ?? '').slice(0, 400);
}

function uploadMeta(deps: Deps): UploadMeta {
  const ev = deps.ctx.event;
  const branch = process.env.GITHUB_HEAD_REF || process.env.GITHUB_REF_NAME;
  return {
    commit: ev.kind === 'pull_request' ? ev.headSha : deps.ctx.sha,
    ...(branch ? { branch } : {}),
    runId: deps.ctx.runId,
    fromFork: ev.kind === 'pull_request' && ev.fork,
    event: deps.ctx.eventName,
    ...(deps.config.retentionDays !== undefined ? { retentionDays: deps.config.retentionDays } : {}),
  };
}
