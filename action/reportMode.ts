/**
 * `mode: report`, the second half of the fork-safe setup: a `workflow_run` job with a write token
 * posts the comments that the fork's read-only `pull_request` job could not. It only moves text:
 * nothing from the fork is executed, and a report is posted only on the pull request whose head
 * commit the analysing run was for.
 */
import * as core from '@actions/core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FILES, REPORT_ARTIFACT_PREFIX } from '../src/ci/names.js';
import { UsageError } from '../src/errors.js';
import { reportMarker } from '../src/report/markdown.js';
import type { Verdict } from '../src/rules/findings.js';
import type { StoredArtifact } from './artifacts.js';
import { upsertComment } from './comment.js';
import type { Deps } from './gate.js';
import { Outputs } from './outputs.js';

const PullRequestFile = z.object({
  number: z.number().int().positive(),
  headSha: z.string().regex(/^[0-9a-f]{40}$/),
});
const ResultFile = z.object({
  scenario: z.string(),
  verdict: z.enum(['pass', 'warn', 'fail', 'inconclusive']),
  findings: z.array(z.object({ severity: z.string() })),
});

const VERDICT_ORDER: Verdict[] = ['pass', 'inconclusive', 'warn', 'fail'];

export async function report(deps: Deps): Promise<void> {
  const { ctx, store } = deps;
  const ev = ctx.event;
  if (ev.kind !== 'workflow_run') {
    throw new UsageError(
      `Input 'mode' is 'report', which runs in a workflow_run job (on: workflow_run: types: [completed]); this run's event is '${ctx.eventName}'`,
    );
  }
  const artifacts = (await store.inRun(ev.runId)).filter((a) => a.name.startsWith(REPORT_ARTIFACT_PREFIX));
  if (artifacts.length === 0) {
    core.notice(
      `heapgate: workflow run ${ev.runId} uploaded no ${REPORT_ARTIFACT_PREFIX}* artifact (its analysing job may have failed before the gate ran); nothing to report.`,
    );
    core.setOutput(Outputs.Status, 'none');
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
  core.setOutput(Outputs.Status, worst);
  core.setOutput(Outputs.Findings, findings);
}

async function reportOne(
  deps: Deps,
  artifact: StoredArtifact,
  runId: number,
  headSha: string,
): Promise<{ verdict: Verdict; findings: number } | undefined> {
  const dir = join(deps.ctx.tempDir, 'heapgate-report', String(artifact.id));
  await deps.store.download({ ...artifact, runId: artifact.runId ?? runId }, dir);
  const markdown = readFileSync(join(dir, FILES.report), 'utf8');
  const result = ResultFile.parse(JSON.parse(readFileSync(join(dir, FILES.result), 'utf8')));
  await core.summary.addRaw(markdown.replace(/^<!--.*?-->\n/, '')).write();

  const prFile = join(dir, FILES.pullRequest);
  if (!existsSync(prFile)) {
    core.info(`heapgate: ${artifact.name} is not from a pull request run; summary only`);
    return { verdict: result.verdict, findings: result.findings.length };
  }
  const pr = PullRequestFile.parse(JSON.parse(readFileSync(prFile, 'utf8')));
  // The artifact was written by the pull request's own code: trust its PR number only when GitHub
  // agrees that this pull request's head is the commit the run analysed.
  const live = await deps.api.pullRequestHead(pr.number);
  if (pr.headSha !== headSha || live.sha !== headSha) {
    core.warning(
      `heapgate: not commenting on #${pr.number}: the run analysed ${headSha.slice(0, 10)}, but the pull request's head is ${live.sha.slice(0, 10)} (pushed again since, or the artifact names the wrong pull request)`,
    );
    return { verdict: result.verdict, findings: result.findings.length };
  }
  const marker = reportMarker(result.scenario);
  if (!markdown.startsWith(marker))
    throw new UsageError(
      `${artifact.name}: ${FILES.report} does not start with the heapgate marker for scenario '${result.scenario}'; refusing to post it`,
    );
  const outcome = await upsertComment(deps.api, {
    issue: pr.number,
    marker,
    body: markdown,
    mode: deps.config.comment,
    verdict: result.verdict,
    fullReport: `the ${artifact.name} artifact`,
  });
  if (outcome.kind === 'forbidden')
    throw new UsageError(
      `cannot comment on #${pr.number} (HTTP ${outcome.status}): the report job needs 'permissions: pull-requests: write'`,
    );
  core.info(
    `heapgate: ${outcome.kind === 'skipped' ? `no comment (${outcome.reason})` : `${outcome.kind} comment ${outcome.id}`} on #${pr.number}`,
  );
  return { verdict: result.verdict, findings: result.findings.length };
}
