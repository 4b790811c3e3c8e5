/**
 * Shared setup for the Action tests: a FakeGitHub for the real webhook payloads' repository
 * (Codertocat/Hello-World, default branch master), the artifact service a runner gives a job, and
 * helpers that run dist/index.js for a push, a pull request or a workflow_run event.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeArtifactService } from '../support/github-api/artifactService.js';
import { FakeGitHub } from '../support/github-api/server.js';
import { examplePayload, runAction, type ActionRun } from '../support/runAction.js';
import { readZip } from '../support/zip.js';

export const REPO = 'Codertocat/Hello-World';
export const TOKEN = 'ghs_heapgateTestToken0123456789abcdefXYZ';

/** Deterministic 40-hex commit ids. */
export function sha(label: string): string {
  let h = '';
  for (let i = 0; h.length < 40; i++)
    h += ((label.charCodeAt(i % label.length) * 7919 + i * 104729) % 4096).toString(16).padStart(3, '0');
  return h.slice(0, 40);
}

export class ActionFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'heapgate-action-'));
  readonly github = new FakeGitHub(REPO);
  readonly artifactService = new FakeArtifactService();
  /** Every run's combined output, for the token check. */
  readonly runs: ActionRun[] = [];
  private runId = 9000;

  async start(): Promise<void> {
    await this.github.start();
    await this.artifactService.start();
    this.github.useArtifactService(this.artifactService);
  }

  async stop(): Promise<void> {
    await this.github.stop();
    await this.artifactService.stop();
    if (process.env.HEAPGATE_KEEP_TEST_FILES !== '1') rmSync(this.dir, { recursive: true, force: true });
  }

  nextRunId(): number {
    return ++this.runId;
  }

  async push(
    commit: string,
    inputs: Record<string, string>,
    opts: { runId?: number; ref?: string; prepare?: (workspace: string) => void } = {},
  ): Promise<ActionRun & { runId: number }> {
    const payload = examplePayload('push', (p) => p.ref === 'refs/heads/master');
    payload.after = commit;
    const runId = opts.runId ?? this.nextRunId();
    this.github.runs.set(runId, {
      event: 'push',
      headBranch: (opts.ref ?? 'refs/heads/master').replace('refs/heads/', ''),
      headSha: commit,
    });
    return this.run({
      eventName: 'push',
      payload,
      sha: commit,
      ref: opts.ref ?? 'refs/heads/master',
      runId,
      inputs,
      ...(opts.prepare ? { prepare: opts.prepare } : {}),
    });
  }

  async pullRequest(
    pr: {
      number: number;
      base: string;
      head: string;
      /** 'deleted': the fork is gone, so the payload's head.repo is null. */
      fork?: boolean | 'deleted';
      action?: 'opened' | 'synchronize';
    },
    inputs: Record<string, string>,
    opts: { runId?: number; prepare?: (workspace: string) => void } = {},
  ): Promise<ActionRun & { runId: number }> {
    const action = pr.action ?? 'opened';
    const payload = examplePayload('pull_request', (p) => p.action === action);
    const p = payload.pull_request as {
      number: number;
      base: { sha: string; repo: { full_name: string } };
      head: { sha: string; repo: { id: number; full_name: string } | null };
    };
    payload.number = pr.number;
    p.number = pr.number;
    p.base.sha = pr.base;
    p.head.sha = pr.head;
    if (pr.fork === 'deleted') p.head.repo = null;
    else if (pr.fork && p.head.repo)
      p.head.repo = { ...p.head.repo, id: this.github.repoId + 1, full_name: 'mallory/Hello-World' };
    this.github.pulls.set(pr.number, { headSha: pr.head, baseSha: pr.base, state: 'open' });
    const runId = opts.runId ?? this.nextRunId();
    this.github.runs.set(runId, {
      event: 'pull_request',
      headBranch: 'feature',
      headSha: pr.head,
      fromFork: pr.fork !== undefined && pr.fork !== false,
    });
    // GITHUB_SHA of a pull_request run is GitHub's test merge commit, not the head.
    return this.run({
      eventName: 'pull_request',
      payload,
      sha: sha(`merge-${pr.number}-${pr.head}`),
      ref: `refs/pull/${pr.number}/merge`,
      runId,
      inputs,
      headRef: 'feature',
      ...(opts.prepare ? { prepare: opts.prepare } : {}),
    });
  }

  async workflowRun(
    run: { id: number; headSha: string },
    inputs: Record<string, string>,
  ): Promise<ActionRun & { runId: number }> {
    const payload = examplePayload('workflow_run', (p) => p.action === 'completed');
    const w = payload.workflow_run as {
      id: number;
      head_sha: string;
      event: string;
      conclusion: string | null;
    };
    w.id = run.id;
    w.head_sha = run.headSha;
    w.event = 'pull_request';
    w.conclusion = 'failure';
    const runId = this.nextRunId();
    return this.run({
      eventName: 'workflow_run',
      payload,
      sha: sha('master-tip'),
      ref: 'refs/heads/master',
      runId,
      inputs,
    });
  }

  /** Artifacts uploaded through the artifact service, by name, newest first, with their files. */
  artifacts(
    name: string,
  ): { id: number; commit: string; branch?: string; runId: number; files: string[]; fromFork: boolean }[] {
    return this.github.artifacts
      .filter((a) => a.name === name && a.stored)
      .sort((a, b) => b.id - a.id)
      .map((a) => ({
        id: a.id,
        commit: a.headSha,
        branch: a.headBranch,
        runId: a.runId,
        files: readZip(a.stored?.bytes ?? Buffer.alloc(0)).map((e) => e.name),
        fromFork: a.fromFork ?? false,
      }));
  }

  artifactFile(id: number, file: string): string {
    const a = this.github.artifacts.find((x) => x.id === id);
    const entry = readZip(a?.stored?.bytes ?? Buffer.alloc(0)).find((e) => e.name === file);
    if (!entry) throw new Error(`artifact ${id} has no ${file}`);
    return entry.data.toString('utf8');
  }

  private async run(o: {
    eventName: string;
    payload: Record<string, unknown>;
    sha: string;
    ref: string;
    runId: number;
    inputs: Record<string, string>;
    headRef?: string;
    /** Writes files into the workspace before the step runs (a checkout). */
    prepare?: (workspace: string) => void;
  }): Promise<ActionRun & { runId: number }> {
    const dir = join(this.dir, `run-${o.runId}-${Date.now().toString(36)}`);
    mkdirSync(join(dir, 'workspace'), { recursive: true });
    o.prepare?.(join(dir, 'workspace'));
    const { prepare: _prepare, ...rest } = o;
    const r = await runAction({
      ...rest,
      apiUrl: this.github.url,
      repository: REPO,
      dir,
      artifacts: {
        resultsUrl: this.artifactService.resultsUrl,
        runtimeToken: this.artifactService.runtimeToken(o.runId),
      },
      token: TOKEN,
      ...(o.headRef ? { headRef: o.headRef } : {}),
    });
    this.runs.push(r);
    return { ...r, runId: o.runId };
  }
}

/** A 64-bit SOS `dumpheap -stat` table (rows ascending by size, as SOS prints them). */
export function dumpheapStat(rows: [string, number, number][]): string {
  const sorted = [...rows].sort((a, b) => a[2] - b[2]);
  const lines = ['Statistics:', '              MT    Count    TotalSize Class Name'];
  sorted.forEach(([name, count, bytes], i) =>
    lines.push(
      `${(0x7ff800000000 + i * 0x100).toString(16).padStart(16, '0')} ${String(count).padStart(8)} ${String(bytes).padStart(12)} ${name}`,
    ),
  );
  lines.push(`Total ${rows.reduce((n, r) => n + r[1], 0)} objects`);
  return lines.join('\n') + '\n';
}
