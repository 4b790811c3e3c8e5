/**
 * `mode: report`, the second half of the fork-safe setup: a `workflow_run` job with a write token
 * posts the comments that the fork's read-only `pull_request` job could not. Nothing from the fork
 * is executed and no text it wrote is posted: the comment is rendered here from the run's
 * schema-checked result.json (the fork's report.md is not even downloaded), and only on the pull
 * request whose head commit the analysing run was for.
 */
import { join } from 'node:path';
import { REPORT_ARTIFACT_PREFIX } from '../src/ci/names.js';
import { UsageError } from '../src/errors.js';
import { renderCheckMarkdown, reportMarker } from '../src/report/markdown.js';
import type { Verdict } from '../src/rules/findings.js';
import type { StoredArtifact } from './artifacts.js';
import { upsertComment } from './comment.js';
import type { Deps } from './gate.js';
import type { ReportConfig } from './config.js';
import { Outputs } from './outputs.js';
import { readRunResult } from './runResult.js';

const VERDICT_ORDER: Verdict[] = ['pass', 'inconclusive', 'warn', 'fail'];

export async function report(deps: Deps<ReportConfig>): Promise<void> {
  const { ctx, store, runner } = deps;
  const ev = ctx.event;
  if (ev.kind !== 'workflow_run') {
    throw new UsageError(
      `Input 'mode' is 'report', which runs in a workflow_run job (on: workflow_run: types: [completed]); this run's event is '${ctx.eventName}'`,
    );
  }
  const artifacts = (await store.inRun(ev.runId)).filter((a) => a.name.startsWith(REPORT_ARTIFACT_PREFIX));
  if (artifacts.length === 0) {
    runner.notice(
      `heapgate: workflow run ${ev.runId} uploaded no ${REPORT_ARTIFACT_PREFIX}* artifact (its analysing job may have failed before the gate ran); nothing to report.`,
    );
    runner.setOutput(Outputs.Status, 'none');
    return;
  }
  let worst: Verdict = 'pass';
  let findings = 0;
  for (const a of artifacts) {
    const verdict = await reportOne(deps, a, ev.runId, ev.headSha);
    if (verdict === undefined) continue;
    if (VERDICT_ORDER.indexOf(verdict.verdict) > VERDICT_ORDER.indexOf(worst)) worst = verdict.verdict;
    findings += verdict.findings;
  }
  runner.setOutput(Outputs.Status, worst);
  runner.setOutput(Outputs.Findings, findings);
}

async function reportOne(
  deps: Deps<ReportConfig>,
  artifact: StoredArtifact,
  runId: number,
  headSha: string,
): Promise<{ verdict: Verdict; findings: number } | undefined> {
  const dir = join(deps.ctx.tempDir, 'heapgate-report', String(artifact.id));
  const { report: result, pullRequest } = await readRunResult(deps.store, artifact, runId, dir);
  const fullReport = `the ${artifact.name} artifact`;
  const markdown = renderCheckMarkdown(result, { artifact: fullReport });
  await deps.runner.appendSummary(markdown.replace(/^<!--.*?-->\n/, ''), false);

  if (!pullRequest) {
    deps.runner.info(`heapgate: ${artifact.name} is not from a pull request run; summary only`);
    return { verdict: result.verdict, findings: result.findings.length };
  }
  const pr = pullRequest;
  // The artifact was written by the pull request's own code: trust its PR number only when GitHub
  // agrees that this pull request's head is the commit the run analysed.
  const live = await deps.api.pullRequestHead(pr.number);
  if (pr.headSha !== headSha || live.sha !== headSha) {
    deps.runner.warning(
      `heapgate: not commenting on #${pr.number}: the run analysed ${headSha.slice(0, 10)}, but the pull request's head is ${live.sha.slice(0, 10)} (pushed again since, or the artifact names the wrong pull request)`,
    );
    return { verdict: result.verdict, findings: result.findings.length };
  }
  const outcome = await upsertComment(deps.api, {
    issue: pr.number,
    marker: reportMarker(result.scenario),
    body: markdown,
    mode: deps.config.comment,
    verdict: result.verdict,
    fullReport,
  });
  if (outcome.kind === 'forbidden')
    throw new UsageError(
      `cannot comment on #${pr.number} (HTTP ${outcome.status}): the report job needs 'permissions: pull-requests: write'`,
    );
  deps.runner.info(
    `heapgate: ${outcome.kind === 'skipped' ? `no comment (${outcome.reason})` : `${outcome.kind} comment ${outcome.id}`} on #${pr.number}`,
  );
  return { verdict: result.verdict, findings: result.findings.length };
}
