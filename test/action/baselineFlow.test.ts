/**
 * The Action's main workflow, run through the bundle (dist/index.js) against both loopback doubles
 * as a runner runs it: the job's ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL point at the artifact
 * service, GITHUB_API_URL at the REST double. A push to the default branch records a baseline
 * artifact through the real @actions/artifact upload; a pull request finds the one recorded at its
 * merge-base (or walks its ancestors, more than one page of commits) and downloads it through the
 * REST redirect; a repository with no baseline passes with a notice; baselines uploaded by a fork's
 * run, or by a pull request run, are refused. No request or answer may violate either protocol.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../support/zip.js';
import { ActionFixture, dumpheapStat, sha } from './fixture.js';

const BASELINE = 'heapgate-baseline-flow';
/** Oldest last, as GitHub lists them: 150 commits, so an ancestor search needs a second page. */
const HISTORY = Array.from({ length: 151 }, (_, i) => sha(`flow-${150 - i}`));
const TIP = HISTORY[0];
const ROOT = HISTORY[150];

let fx: ActionFixture;
let clean: string;
let leaky: string;

beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
  fx.github.commits = HISTORY;
  clean = join(fx.dir, 'clean.txt');
  leaky = join(fx.dir, 'leaky.txt');
  writeFileSync(clean, dumpheapStat([['System.String', 1000, 64_000]]));
  writeFileSync(
    leaky,
    dumpheapStat([
      ['System.String', 1000, 64_000],
      ['Shop.Orders.OrderCacheEntry', 40_000, 3_200_000],
    ]),
  );
});
afterAll(async () => {
  await fx.stop();
});
afterEach(() => {
  expect(fx.github.failures, 'REST calls or answers GitHub would not make').toEqual([]);
  expect(fx.artifactService.failures, 'calls the artifact service would refuse').toEqual([]);
});

const inputs = (file: string) => ({ snapshots: file, scenario: 'flow', comment: 'always' });

describe('record on push, gate on the pull request', () => {
  it('a repository without any baseline: the push passes with a notice and records one', async () => {
    const r = await fx.push(ROOT, inputs(clean));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('inconclusive');
    expect(r.stdout).toMatch(
      /::notice title=heapgate%3A no baseline for flow::No heapgate-baseline-flow artifact/,
    );
    expect(r.outputs['baseline-artifact']).toBe(BASELINE);
    // Uploaded through the real client: created, blocks staged and committed, finalized.
    const [recorded] = fx.artifacts(BASELINE);
    expect(recorded).toMatchObject({
      commit: ROOT,
      branch: 'master',
      runId: r.runId,
      files: ['baseline.json'],
    });
    expect(JSON.parse(fx.artifactFile(recorded.id, 'baseline.json'))).toMatchObject({
      scenario: 'flow',
      commit: ROOT,
    });
    expect(fx.artifactService.calls).toEqual(
      expect.arrayContaining(['CreateArtifact', 'blob PUT block', 'blob PUT blocklist', 'FinalizeArtifact']),
    );
  });

  it('150 commits later, a pull request walks past the first page of history to the recorded ancestor', async () => {
    const before = fx.github.requests.length;
    const r = await fx.pullRequest({ number: 21, base: TIP, head: sha('flow-pr21') }, inputs(leaky));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.outputs['compared-commit']).toBe(ROOT);
    expect(r.summary).toContain(
      `Compared with the baseline recorded at ${ROOT.slice(0, 10)}, the newest ancestor of the merge-base with a baseline (150 commits back), less than an hour old.`,
    );
    const pages = fx.github.requests
      .slice(before)
      .filter((q) => q.operationId === 'repos/list-commits')
      .map((q) => new URL(q.path, 'http://x').searchParams.get('page'));
    expect(pages).toEqual(['1', '2']);
    // The baseline came through GitHub's redirect to a signed blob URL.
    expect(fx.github.requests.slice(before).map((q) => q.operationId)).toContain('actions/download-artifact');
    expect(fx.github.commentsOn(21)[0].body).toContain('OrderCacheEntry');
  });

  it('the next push records at the tip; a pull request from there gates against the merge-base recording', async () => {
    const push = await fx.push(TIP, inputs(clean));
    expect(push.code, push.stdout).toBe(0);
    expect(push.outputs['compared-commit']).toBe(ROOT);
    expect(fx.artifacts(BASELINE).map((a) => a.commit)).toEqual([TIP, ROOT]);

    const leak = await fx.pullRequest({ number: 22, base: TIP, head: sha('flow-pr22') }, inputs(leaky));
    expect(leak.code).toBe(1);
    expect(leak.outputs).toMatchObject({ status: 'fail', 'compared-commit': TIP });
    expect(leak.summary).toContain(
      `Compared with the baseline recorded at the merge-base ${TIP.slice(0, 10)}`,
    );
    const fine = await fx.pullRequest({ number: 23, base: TIP, head: sha('flow-pr23') }, inputs(clean));
    expect(fine.code, fine.stdout).toBe(0);
    expect(fine.outputs).toMatchObject({ status: 'pass', 'compared-commit': TIP });
    // Pull requests never record a baseline.
    expect(fx.artifacts(BASELINE)).toHaveLength(2);
  });
});

describe('baselines that are not trusted', () => {
  it('a baseline-named artifact from a fork’s run, or from a pull request run, is refused with a notice', async () => {
    const fakeBaseline = writeZip([
      { name: 'baseline.json', data: Buffer.from(JSON.stringify({ schemaVersion: 1, forged: true })) },
    ]);
    const forkRun = fx.nextRunId();
    fx.github.runs.set(forkRun, {
      event: 'pull_request',
      headBranch: 'master',
      headSha: TIP,
      fromFork: true,
    });
    const forged = fx.artifactService.seed(BASELINE, forkRun, fakeBaseline);
    const prRun = fx.nextRunId();
    fx.github.runs.set(prRun, { event: 'pull_request', headBranch: 'master', headSha: TIP });
    const fromPr = fx.artifactService.seed(BASELINE, prRun, fakeBaseline);

    const r = await fx.pullRequest({ number: 24, base: TIP, head: sha('flow-pr24') }, inputs(clean));
    expect(r.code, r.stdout).toBe(0);
    // The real recording at the tip is used; the two newer ones are refused, each with one notice.
    expect(r.outputs['compared-commit']).toBe(TIP);
    const notices = r.stdout.split('\n').filter((l) => l.startsWith('::notice title=heapgate%3A untrusted'));
    expect(notices).toHaveLength(2);
    expect(notices.join('\n')).toMatch(
      new RegExp(`artifact ${forged.id}: uploaded by a run of code from another repository`),
    );
    expect(notices.join('\n')).toMatch(
      new RegExp(`artifact ${fromPr.id}: workflow run ${prRun} was started by 'pull_request'`),
    );
    // Neither refused archive was downloaded.
    const downloads = fx.github.requests.filter((q) => q.operationId === 'actions/download-artifact');
    expect(
      downloads.some((q) => q.path.includes(`/${forged.id}/`) || q.path.includes(`/${fromPr.id}/`)),
    ).toBe(false);
  });

  it('a trusted run’s archive with an entry outside its folder is refused whole: one warning, inconclusive', async () => {
    const [tip] = fx.artifacts(BASELINE).filter((a) => a.commit === TIP);
    const baseline = Buffer.from(fx.artifactFile(tip.id, 'baseline.json'));
    const next = sha('flow-151');
    fx.github.commits = [next, ...HISTORY];
    const run = fx.nextRunId();
    fx.github.runs.set(run, { event: 'push', headBranch: 'master', headSha: next });
    const evil = fx.artifactService.seed(
      BASELINE,
      run,
      writeZip([
        { name: 'baseline.json', data: baseline },
        { name: '../../../../escape.json', data: Buffer.from('{}') },
      ]),
    );
    const r = await fx.pullRequest({ number: 26, base: next, head: sha('flow-pr26') }, inputs(leaky));
    fx.github.commits = HISTORY;
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.status).toBe('inconclusive');
    const warnings = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('::warning title=heapgate%3A baseline lookup failed'));
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `::artifact ${BASELINE} \\(id ${evil.id}\\) is refused: invalid relative path: \\.\\./\\.\\./\\.\\./\\.\\./escape\\.json$`,
        ),
      ),
    ]);
    expect(r.summary).toMatch(/No baseline could be looked up, so this run is inconclusive/);
    expect(r.all).not.toMatch(/^\s+at /m);
  });

  it('a scenario nobody recorded: passes with a notice (inconclusive)', async () => {
    const r = await fx.pullRequest(
      { number: 25, base: TIP, head: sha('flow-pr25') },
      { ...inputs(leaky), scenario: 'never-recorded' },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.status).toBe('inconclusive');
    expect(r.stdout).toMatch(/::notice title=heapgate%3A no baseline for never-recorded::/);
  });
});

describe('fork pull requests: the trust boundary fails closed', () => {
  let gateRun: { runId: number; head: string };

  it('the read-only job writes no baseline and no comment, and says why in one notice each', async () => {
    const head = sha('flow-fork-head');
    fx.github.commentStatus = 403;
    const before = fx.artifacts(BASELINE).length;
    const r = await fx.pullRequest(
      { number: 30, base: TIP, head, fork: true },
      { ...inputs(leaky), mode: 'record' },
    );
    const g = await fx.pullRequest({ number: 30, base: TIP, head, fork: true }, inputs(leaky));
    fx.github.commentStatus = undefined;
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(
      /::notice title=heapgate%3A baseline not recorded::heapgate: no baseline artifact recorded: this run was started by 'pull_request'/,
    );
    expect(fx.artifacts(BASELINE)).toHaveLength(before);
    expect(g.code).toBe(1);
    expect(g.stdout).toMatch(/::notice title=heapgate%3A comment not posted::.*comes from a fork/);
    expect(fx.github.commentsOn(30)).toHaveLength(0);
    // The report artifact is the one thing the fork's run leaves, for the report job.
    expect(fx.artifacts('heapgate-report-flow').find((a) => a.runId === g.runId)?.fromFork).toBe(true);
    gateRun = { runId: g.runId, head };
  });

  it("mode: report posts heapgate's own rendering of result.json, never the markdown the fork wrote", async () => {
    const [real] = fx.artifacts('heapgate-report-flow').filter((a) => a.runId === gateRun.runId);
    const file = (name: string) => Buffer.from(fx.artifactFile(real.id, name));
    // The fork's job wrote its own report.md: a forged verdict and a link.
    const forged = `${fx.artifactFile(real.id, 'report.md').split('\n')[0]}\n## ✅ heapgate: no memory regression\n[Approve](https://evil.example/)\n`;
    const tamperedRun = fx.nextRunId();
    fx.github.runs.set(tamperedRun, {
      event: 'pull_request',
      headBranch: 'feature',
      headSha: gateRun.head,
      fromFork: true,
    });
    fx.artifactService.seed(
      'heapgate-report-flow',
      tamperedRun,
      writeZip([
        { name: 'report.md', data: Buffer.from(forged) },
        { name: 'result.json', data: file('result.json') },
        { name: 'pull-request.json', data: file('pull-request.json') },
      ]),
    );
    const r = await fx.workflowRun(
      { id: tamperedRun, headSha: gateRun.head },
      { mode: 'report', comment: 'always' },
    );
    expect(r.code, r.stdout).toBe(0);
    const [comment] = fx.github.commentsOn(30);
    expect(comment.body).not.toContain('evil.example');
    expect(comment.body).not.toContain('no memory regression');
    // Rendered from the same result, heapgate's text is what the gate job itself wrote.
    expect(comment.body).toBe(fx.artifactFile(real.id, 'report.md'));
    expect(r.outputs.status).toBe('fail');
  });

  it('mode: report refuses a result.json that is not a heapgate result, with one line and no comment', async () => {
    const [real] = fx.artifacts('heapgate-report-flow').filter((a) => a.runId === gateRun.runId);
    const result = JSON.parse(fx.artifactFile(real.id, 'result.json')) as { verdict: string };
    result.verdict = 'approved';
    const run = fx.nextRunId();
    fx.github.runs.set(run, {
      event: 'pull_request',
      headBranch: 'feature',
      headSha: gateRun.head,
      fromFork: true,
    });
    const a = fx.artifactService.seed(
      'heapgate-report-flow',
      run,
      writeZip([
        { name: 'result.json', data: Buffer.from(JSON.stringify(result)) },
        { name: 'pull-request.json', data: Buffer.from(fx.artifactFile(real.id, 'pull-request.json')) },
      ]),
    );
    const edits = fx.github.commentsOn(30)[0].edits;
    const r = await fx.workflowRun({ id: run, headSha: gateRun.head }, { mode: 'report', comment: 'always' });
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      `::error::heapgate: artifact heapgate-report-flow (id ${a.id}) is refused: result.json verdict: Invalid option: expected one of "pass"|"fail"|"warn"|"inconclusive"`,
    ]);
    expect(fx.github.commentsOn(30)[0].edits).toBe(edits);
  });
});
