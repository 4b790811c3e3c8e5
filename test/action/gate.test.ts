/**
 * The bundled Action (dist/index.js) run as a runner runs it, against a loopback GitHub that checks
 * every REST call with GitHub's OpenAPI description, on real LeakScenarios snapshots: first run,
 * leaking and clean pull requests, comment upserts, fork reporting, default-branch recording,
 * baseline fallback, committed baselines, comment truncation and bad inputs. The tests run in order
 * and share one repository history, as successive workflow runs would.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reportMarker } from '../../src/report/markdown.js';
import { collectScenarioSnapshots, LEAKED_TYPE, scenarioAppDll } from '../support/scenario.js';
import { ActionFixture, dumpheapStat, REPO, sha, TOKEN } from './fixture.js';

const SCENARIO = 'orders';
const LEAK = LEAKED_TYPE['static-list'];
const MARKER = reportMarker(SCENARIO);
const C0 = sha('c0');
const C1 = sha('c1');
const C2 = sha('c2');
const C3 = sha('c3');

let fx: ActionFixture;
let leakySnapshot: string;
let cleanSnapshot: string;

beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
  leakySnapshot = (await collectScenarioSnapshots('static-list', { checkpoints: ['round-3'] }))['round-3'];
  // A separate steady run from the one the baseline is recorded from (different cache key).
  cleanSnapshot = (await collectScenarioSnapshots('steady', { rounds: 3, checkpoints: ['round-3'] }))[
    'round-3'
  ];
});
afterAll(async () => {
  await fx.stop();
});
afterEach(() => {
  expect(fx.github.failures, 'requests GitHub would reject').toEqual([]);
  expect(fx.artifactService.failures, 'requests the artifact service would reject').toEqual([]);
});

const runScenario = (name: string) => ({
  run: `dotnet "${scenarioAppDll()}" ${name}`,
  checkpoints: 'round-3',
  scenario: SCENARIO,
});
const snapshots = (file: string) => ({ snapshots: file, scenario: SCENARIO });

describe('the Action on the scenario app', () => {
  it('first run on the default branch: runs the scenario, has no baseline, passes with a notice and records one', async () => {
    fx.github.commits = [C1, C0];
    const r = await fx.push(C1, runScenario('steady'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/::notice title=heapgate%3A no baseline for orders::.*first run passes/);
    expect(r.outputs.status).toBe('inconclusive');
    expect(r.outputs['baseline-artifact']).toBe('heapgate-baseline-orders');
    expect(r.summary).toContain('first run passes');
    expect(r.stdout).toContain('collected gcdump at checkpoint "round-3"');
    const recorded = fx.artifacts('heapgate-baseline-orders');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      commit: C1,
      branch: 'master',
      runId: r.runId,
      files: ['baseline.json'],
    });
    expect(JSON.parse(fx.artifactFile(recorded[0].id, 'baseline.json'))).toMatchObject({
      scenario: SCENARIO,
      commit: C1,
    });
    // Looking for a baseline walked the history through the API.
    expect(fx.github.requests.some((q) => q.operationId === 'repos/list-commits')).toBe(true);
  });

  it('a leaking pull request fails, comments once with evidence, and says which commit it compared with', async () => {
    const head = sha('leaky-head');
    const r = await fx.pullRequest({ number: 7, base: C1, head }, runScenario('static-list'));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/::error::heapgate: memory gate failed for scenario 'orders'/);
    expect(r.outputs).toMatchObject({ status: 'fail', 'compared-commit': C1 });
    expect(Number(r.outputs.errors)).toBeGreaterThanOrEqual(1);
    const comments = fx.github.commentsOn(7);
    expect(comments).toHaveLength(1);
    const body = comments[0].body;
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain(`<code>${LEAK}</code>`);
    expect(body).toContain(`the merge-base ${C1.slice(0, 10)}`);
    expect(body).toMatch(/GC root|root/i);
    // The outputs point at the files the comment was made from; the comment adds a link to the
    // HTML report in this run's report artifact.
    const uploaded = fx.artifacts('heapgate-report-orders').find((a) => a.runId === r.runId)!;
    const link = `https://github.com/${REPO}/actions/runs/${r.runId}/artifacts/${uploaded.id}`;
    const lines = body.trimEnd().split('\n');
    expect(lines.at(-1)).toContain(`[HTML report](${link})`);
    expect(lines.at(-1)).toContain('report.html');
    expect(`${lines.slice(0, -1).join('\n').trimEnd()}\n`).toBe(
      readFileSync(r.outputs['report-markdown'], 'utf8'),
    );
    expect(r.summary).toContain(`[HTML report](${link})`);
    const result = JSON.parse(readFileSync(r.outputs['result-json'], 'utf8')) as {
      verdict: string;
      meta: { baseline: { commit: string } };
    };
    expect(result).toMatchObject({ verdict: 'fail', meta: { baseline: { commit: C1 } } });
    // The report artifact: report, result, per-type stats, this run as a baseline, the PR; no snapshots.
    const [report] = fx.artifacts('heapgate-report-orders');
    expect(report.files.sort()).toEqual([
      'baseline.json',
      'pull-request.json',
      'report.html',
      'report.md',
      'result.json',
      'type-stats.json',
    ]);
    const stats = JSON.parse(fx.artifactFile(report.id, 'type-stats.json')) as {
      heads: { types: { name: string; count: number }[] }[];
    };
    expect(stats.heads[0].types.find((t) => t.name === LEAK)?.count).toBe(4000);
    expect(JSON.parse(fx.artifactFile(report.id, 'pull-request.json'))).toEqual({ number: 7, headSha: head });
    // The page holds the report's data, the leaked type among it.
    const html = fx.artifactFile(report.id, 'report.html');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain(LEAK);
    // A pull request never records a baseline.
    expect(fx.artifacts('heapgate-baseline-orders')).toHaveLength(1);
  });

  it('re-runs keep one comment: identical results leave it alone, a fix edits it in place', async () => {
    fx.github.addComment(8, 'LGTM, but what about memory?');
    const head = sha('pr8-a');
    const first = await fx.pullRequest({ number: 8, base: C1, head }, snapshots(leakySnapshot));
    expect(first.code).toBe(1);
    const again = await fx.pullRequest(
      { number: 8, base: C1, head, action: 'synchronize' },
      snapshots(leakySnapshot),
    );
    expect(again.code).toBe(1);
    let mine = fx.github.commentsOn(8).filter((c) => c.body.startsWith(MARKER));
    expect(mine).toHaveLength(1);
    expect(mine[0].edits).toBe(0);
    expect(again.stdout).toContain('already up to date');

    const fixed = await fx.pullRequest(
      { number: 8, base: C1, head: sha('pr8-b'), action: 'synchronize' },
      snapshots(cleanSnapshot),
    );
    expect(fixed.code, fixed.stdout).toBe(0);
    mine = fx.github.commentsOn(8).filter((c) => c.body.startsWith(MARKER));
    expect(mine).toHaveLength(1);
    expect(mine[0].edits).toBe(1);
    expect(mine[0].body).not.toContain(`<code>${LEAK}</code>`);
    expect(mine[0].body).toMatch(/no memory regression|passed with/);
    expect(fx.github.commentsOn(8)).toHaveLength(2); // the reviewer's comment is untouched
  });

  it('a clean pull request passes; on-change posts nothing, always posts the pass', async () => {
    const quiet = await fx.pullRequest({ number: 9, base: C1, head: sha('pr9') }, snapshots(cleanSnapshot));
    expect(quiet.code, quiet.stdout).toBe(0);
    expect(['pass', 'warn']).toContain(quiet.outputs.status);
    expect(quiet.outputs.errors).toBe('0');
    expect(fx.github.commentsOn(9)).toHaveLength(0);
    expect(quiet.summary).toMatch(/heapgate: (no memory regression|passed with)/);
    const loud = await fx.pullRequest(
      { number: 9, base: C1, head: sha('pr9'), action: 'synchronize' },
      { ...snapshots(cleanSnapshot), comment: 'always' },
    );
    expect(loud.code).toBe(0);
    expect(fx.github.commentsOn(9)).toHaveLength(1);
    // Snapshots go into the report artifact only when asked for (quiet's artifact has none).
    const reports = fx.artifacts('heapgate-report-orders');
    expect(reports.find((a) => a.runId === quiet.runId)?.files.some((f) => f.startsWith('snapshots/'))).toBe(
      false,
    );
    const withDumps = await fx.pullRequest(
      { number: 9, base: C1, head: sha('pr9'), action: 'synchronize' },
      { ...snapshots(cleanSnapshot), 'upload-dumps': 'true' },
    );
    const uploaded = fx.artifacts('heapgate-report-orders').find((a) => a.runId === withDumps.runId);
    expect(uploaded?.files).toContain('snapshots/round-3.gcdump');
  });

  it('fork pull requests: the read-only job falls back to the summary; the workflow_run job posts the comment', async () => {
    const head = sha('fork-head');
    fx.github.commentStatus = 403;
    const gate = await fx.pullRequest(
      { number: 10, base: C1, head, fork: true },
      { ...snapshots(leakySnapshot), comment: 'always' },
    );
    fx.github.commentStatus = undefined;
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/::notice title=heapgate%3A comment not posted::.*fork/);
    expect(gate.summary).toContain('No pull request comment');
    expect(gate.summary).toContain(LEAK);
    expect(fx.github.commentsOn(10)).toHaveLength(0);
    const uploaded = fx.artifacts('heapgate-report-orders').find((a) => a.runId === gate.runId);
    expect(uploaded?.fromFork).toBe(true);

    const report = await fx.workflowRun(
      { id: gate.runId, headSha: head },
      { mode: 'report', comment: 'always' },
    );
    expect(report.code, report.stdout).toBe(0);
    expect(report.outputs.status).toBe('fail');
    const comments = fx.github.commentsOn(10);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toBe(fx.artifactFile(uploaded?.id ?? -1, 'report.md'));
    expect(report.summary).toContain(LEAK);
    // The report job checked the pull request's head with GitHub before trusting the artifact.
    expect(fx.github.requests.some((q) => q.operationId === 'pulls/get')).toBe(true);

    // Pushed again since: the old run's report must not land on the pull request.
    fx.github.pulls.set(10, { headSha: sha('fork-head-2'), baseSha: C1, state: 'open' });
    const stale = await fx.workflowRun(
      { id: gate.runId, headSha: head },
      { mode: 'report', comment: 'always' },
    );
    expect(stale.code).toBe(0);
    expect(stale.stdout).toMatch(/::warning::heapgate: not commenting on #10/);
    expect(fx.github.commentsOn(10)[0].edits).toBe(0);
  });

  it('a push to the default branch records its baseline even when its gate fails', async () => {
    fx.github.commits = [C2, C1, C0];
    const r = await fx.push(C2, snapshots(leakySnapshot));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::heapgate: memory gate failed/);
    expect(r.outputs['compared-commit']).toBe(C1);
    expect(r.outputs['baseline-artifact']).toBe('heapgate-baseline-orders');
    const recorded = fx.artifacts('heapgate-baseline-orders');
    expect(recorded.map((a) => a.commit)).toEqual([C2, C1]);
    // The next pull request compares with C2's recording, so the failure does not stick.
    const next = await fx.pullRequest({ number: 11, base: C2, head: sha('pr11') }, snapshots(leakySnapshot));
    expect(next.code, next.stdout).toBe(0);
    expect(next.outputs['compared-commit']).toBe(C2);
  });

  it('falls back to the newest ancestor of the merge-base that has a baseline, and says so', async () => {
    fx.github.commits = [C3, C2, C1, C0];
    const r = await fx.pullRequest(
      { number: 12, base: C3, head: sha('pr12') },
      { ...snapshots(leakySnapshot), comment: 'always' },
    );
    expect(r.outputs['compared-commit']).toBe(C2);
    const body = fx.github.commentsOn(12)[0].body;
    expect(body).toContain(
      `${C2.slice(0, 10)}, the newest ancestor of the merge-base with a baseline (1 commit back)`,
    );
    expect(r.summary).toMatch(/Compared with the baseline recorded at .*1 commit back.*(hours?|days?) old/);
  });

  it('committed baselines: compares with the file, and a missing file is a passing first run', async () => {
    const file = join(fx.dir, 'orders.json');
    const [c1] = fx.artifacts('heapgate-baseline-orders').filter((a) => a.commit === C1);
    writeFileSync(file, fx.artifactFile(c1.id, 'baseline.json'));
    const r = await fx.pullRequest(
      { number: 13, base: C3, head: sha('pr13') },
      { ...snapshots(leakySnapshot), baseline: file },
    );
    expect(r.code).toBe(1);
    expect(r.summary).toContain(`Compared with the committed baseline ${file}`);
    expect(fx.github.commentsOn(13)[0].body).toContain(`<code>${LEAK}</code>`);

    const missing = await fx.pullRequest(
      { number: 14, base: C3, head: sha('pr14') },
      { ...snapshots(leakySnapshot), baseline: 'baselines/orders.json' },
    );
    expect(missing.code, missing.stdout).toBe(0);
    expect(missing.stdout).toMatch(
      /::notice title=heapgate%3A no baseline for orders::No baseline at baselines\/orders.json/,
    );
    expect(missing.outputs.status).toBe('inconclusive');
  });
});

describe('comment size', () => {
  it('a report over 65,536 characters is cut to fit, with a note; the summary keeps more', async () => {
    const base = join(fx.dir, 'base-stat.txt');
    const head = join(fx.dir, 'head-stat.txt');
    writeFileSync(base, dumpheapStat([['System.String', 1000, 64_000]]));
    const many: [string, number, number][] = [['System.String', 1000, 64_000]];
    for (let i = 0; i < 3000; i++)
      many.push([
        `Contoso.Generated.Namespace${i % 50}.VeryLongTypeNameThatKeepsGoing_${i}<System.Collections.Generic.Dictionary<System.String,System.Object>>`,
        1000 + i,
        48_000 + i * 48,
      ]);
    writeFileSync(head, dumpheapStat(many));
    const r = await fx.pullRequest(
      { number: 15, base: C3, head: sha('pr15') },
      { snapshots: head, baseline: base, scenario: 'generated', comment: 'always' },
    );
    expect(r.code).toBe(1);
    const body = fx.github.commentsOn(15)[0].body;
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(65_536);
    expect(Buffer.byteLength(body, 'utf8')).toBeGreaterThan(50_000);
    expect(body).toMatch(/shortened to fit GitHub's comment limit/);
    expect(body.trimEnd().split('\n').at(-1)).toMatch(/^<sub>.*\[HTML report\]/);
    expect(body).toContain('heapgate-report-generated');
    expect(r.summary.length).toBeGreaterThan(body.length);
  });
});

describe('bad inputs', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'fail-on',
      { snapshots: 'x.gcdump', 'fail-on': 'erorr' },
      /Input 'fail-on' must be one of error, warning, never; got 'erorr'/,
    ],
    [
      'comment',
      { snapshots: 'x.gcdump', comment: 'sometimes' },
      /Input 'comment' must be one of always, on-change, on-failure, off; got 'sometimes'/,
    ],
    [
      'record-baseline',
      { snapshots: 'x.gcdump', 'record-baseline': 'yes' },
      /Input 'record-baseline' must be true or false; got 'yes'/,
    ],
    [
      'scenario',
      { snapshots: 'x.gcdump', scenario: '../etc' },
      /Input 'scenario': "\.\.\/etc" is not a valid scenario name; it must start with a letter or digit and use only letters, digits, '\.', '_' and '-'/,
    ],
    [
      'scenario naming a Windows device',
      { snapshots: 'x.gcdump', scenario: 'Nul.json' },
      /Input 'scenario': "Nul\.json" is not a valid scenario name; .*not be a Windows device name \(CON, PRN, AUX, NUL, COM0-9, LPT0-9\)/,
    ],
    [
      'checkpoint-timeout',
      { run: 'true', 'checkpoint-timeout': 'soon' },
      /Input 'checkpoint-timeout' must be a duration like 90s, 5m or 1h; got 'soon'/,
    ],
    [
      'snapshots and run',
      { snapshots: 'x.gcdump', run: 'true' },
      /Inputs 'snapshots' and 'run' are both set/,
    ],
    ['nothing to analyse', {}, /Nothing to analyse: set input 'snapshots'.*or input 'run'/],
    [
      'snapshots glob',
      { snapshots: 'snaps/**/*.gcdump' },
      /Input 'snapshots' matched no files \(patterns: 'snaps\/\*\*\/\*\.gcdump'/,
    ],
    [
      'baseline-source',
      { snapshots: 'x.gcdump', 'baseline-source': 'file' },
      /Input 'baseline-source' is 'file' but input 'baseline'.*is empty/,
    ],
    ['mode', { mode: 'report' }, /Input 'mode' is 'report', which runs in a workflow_run job.*'push'/],
    [
      'rules',
      { snapshots: 'x.gcdump', rules: 'builtin:nope' },
      /rules file builtin:nope: no such file \(shipped sets: builtin:default, builtin:dotnet-leak-patterns, builtin:soak\)/,
    ],
  ];
  it.each(cases)('%s', async (_name, inputs, message) => {
    const before = fx.github.requests.length;
    const r = await fx.push(C3, inputs, { ref: 'refs/heads/feature' });
    expect(r.code).toBe(1);
    const error = r.stdout.split('\n').find((l) => l.startsWith('::error::'));
    expect(error).toMatch(message);
    expect(r.summary).toContain('heapgate could not complete');
    // Inputs fail before anything talks to GitHub.
    expect(fx.github.requests.length).toBe(before);
  });
});

describe('the token', () => {
  it('is sent to GitHub but never appears in any output, summary, comment or artifact', () => {
    expect(fx.runs.length).toBeGreaterThan(10);
    expect(fx.github.requests.some((q) => q.authorization === `token ${TOKEN}`)).toBe(true);
    for (const run of fx.runs) {
      const lines = run.all.split('\n').filter((l) => l.includes(TOKEN));
      // Only the runner's masking command may carry it (the runner strips that line from logs).
      expect(
        lines.every((l) => l === `::add-mask::${TOKEN}`),
        lines.join('\n'),
      ).toBe(true);
    }
    for (const c of fx.github.comments) expect(c.body).not.toContain(TOKEN);
    for (const name of ['heapgate-report-orders', 'heapgate-baseline-orders', 'heapgate-report-generated']) {
      for (const a of fx.artifacts(name))
        for (const f of a.files) expect(fx.artifactFile(a.id, f)).not.toContain(TOKEN);
    }
    expect(fx.artifactService.artifacts.length).toBeGreaterThan(5);
    for (const a of fx.artifactService.artifacts) expect(a.bytes.includes(TOKEN)).toBe(false);
  });
});
