/**
 * `mode: aggregate`: one pull request comment for every scenario of a run. In a job after a matrix
 * (`needs:`), it reads the run's heapgate-report-* artifacts; in a `workflow_run` job (fork-safe),
 * the artifacts of the run the event is about. Each scenario's result.json is schema-checked, and
 * the comment is rendered here from those results, never from text the run wrote.
 */
import { join } from 'node:path';
import { REPORT_ARTIFACT_PREFIX } from '../src/ci/names.js';
import { UsageError } from '../src/errors.js';
import { AGGREGATE_MARKER, renderAggregateMarkdown, worstVerdict } from '../src/report/aggregateMarkdown.js';
import type { StoredArtifact } from './artifacts.js';
import { upsertComment } from './comment.js';
import type { AggregateConfig } from './config.js';
import type { Deps } from './gate.js';
import { Outputs } from './outputs.js';
import { readRunResult, type RunResult } from './runResult.js';

interface Loaded extends RunResult {
  artifact: StoredArtifact;
}

export async function aggregate(deps: Deps<AggregateConfig>): Promise<void> {
  const { ctx, runner } = deps;
  const ev = ctx.event;
  const runId = ev.kind === 'workflow_run' ? ev.runId : ctx.runId;
  const artifacts = (await deps.store.inRun(runId))
    .filter((a) => a.name.startsWith(REPORT_ARTIFACT_PREFIX))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  if (artifacts.length === 0) {
    runner.notice(
      `heapgate: run ${runId} has no ${REPORT_ARTIFACT_PREFIX}* artifact yet; run this job after the gate jobs (needs: …). Nothing to aggregate.`,
    );
    runner.setOutput(Outputs.Status, 'none');
    return;
  }
  const loaded: Loaded[] = [];
  for (const a of artifacts) loaded.push(await load(deps, a, runId));
  const reports = loaded.map((l) => l.report);
  const runUrl = `${ctx.serverUrl}/${ctx.repo.owner}/${ctx.repo.repo}/actions/runs/${runId}`;
  const markdown = renderAggregateMarkdown(reports, {
    artifactOf: (scenario) => `the ${REPORT_ARTIFACT_PREFIX}${scenario} artifact`,
    footer: `<sub>Full reports (HTML, JSON, markdown) per scenario: the ${REPORT_ARTIFACT_PREFIX}* artifacts of [run ${runId}](${runUrl}).</sub>`,
  });
  await runner.appendSummary(markdown.replace(/^<!--.*?-->\n/, ''), false);
  const verdict = worstVerdict(reports);
  runner.setOutput(Outputs.Status, verdict);
  runner.setOutput(
    Outputs.Findings,
    reports.reduce((n, r) => n + r.findings.length, 0),
  );

  const issue = await pullRequestOf(deps, loaded);
  if (issue === undefined || deps.config.comment === 'off') return;
  const outcome = await upsertComment(deps.api, {
    issue,
    marker: AGGREGATE_MARKER,
    body: markdown,
    mode: deps.config.comment,
    verdict,
    fullReport: `the ${REPORT_ARTIFACT_PREFIX}* artifacts`,
  });
  if (outcome.kind === 'forbidden') {
    const why = `the token may not comment (HTTP ${outcome.status}); give the job 'permissions: pull-requests: write' (for fork pull requests, run mode: aggregate in a workflow_run job). The report is in the job summary.`;
    runner.notice(`heapgate could not comment on #${issue}: ${why}`, {
      title: 'heapgate: comment not posted',
    });
    return;
  }
  runner.info(
    `heapgate: ${outcome.kind === 'skipped' ? `no comment (${outcome.reason})` : `${outcome.kind} comment ${outcome.id}`} on #${issue} for ${reports.length} scenarios`,
  );
}

async function load(deps: Deps<AggregateConfig>, artifact: StoredArtifact, runId: number): Promise<Loaded> {
  const dir = join(deps.ctx.tempDir, 'heapgate-aggregate', String(artifact.id));
  return { artifact, ...(await readRunResult(deps.store, artifact, runId, dir)) };
}

/**
 * The pull request to comment on: this run's own (pull_request event), or — in a workflow_run job —
 * the one the artifacts name, trusted only when they all agree and GitHub says its head is the
 * commit the run analysed.
 */
async function pullRequestOf(
  deps: Deps<AggregateConfig>,
  loaded: readonly Loaded[],
): Promise<number | undefined> {
  const ev = deps.ctx.event;
  if (ev.kind === 'pull_request') return ev.number;
  if (ev.kind !== 'workflow_run') {
    deps.runner.info('heapgate: not a pull request run; the aggregate report is in the job summary only');
    return undefined;
  }
  const named = new Set(loaded.map((l) => l.pullRequest?.number));
  if (named.size !== 1 || named.has(undefined)) {
    if (loaded.every((l) => l.pullRequest === undefined)) return undefined;
    throw new UsageError('the report artifacts of this run name different pull requests; not commenting');
  }
  const [number] = [...named] as number[];
  const live = await deps.api.pullRequestHead(number);
  const all = loaded.every((l) => l.pullRequest?.headSha === ev.headSha);
  if (!all || live.sha !== ev.headSha) {
    deps.runner.warning(
      `heapgate: not commenting on #${number}: the run analysed ${ev.headSha.slice(0, 10)}, but the pull request's head is ${live.sha.slice(0, 10)}`,
    );
    return undefined;
  }
  return number;
}
