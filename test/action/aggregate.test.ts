/**
 * `mode: aggregate` through the bundle: a matrix of 8 scenario jobs (comment: off) in one run,
 * then one aggregate job, gives exactly one comment with a verdict line per scenario, within
 * GitHub's 65,536 characters; the next push's run edits that comment in place.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { ActionFixture, sha } from './fixture.js';

let fx: ActionFixture;
beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
});
afterAll(async () => {
  await fx.stop();
});
afterEach(() => {
  expect(fx.github.failures, 'requests GitHub would reject').toEqual([]);
  expect(fx.artifactService.failures, 'requests the artifact service would reject').toEqual([]);
});

const SCENARIOS = ['checkout', 'search', 'login', 'cart', 'orders', 'reports', 'admin', 'export'];
const PR = 31;
const BASE = sha('agg-base');

/** A checkout with a committed baseline for each scenario (the bundled example's, renamed). */
function prepare(workspace: string): void {
  mkdirSync(join(workspace, 'baselines'), { recursive: true });
  const example = readFileSync(join(repoRoot, 'baselines', 'example.json'), 'utf8');
  for (const s of SCENARIOS)
    writeFileSync(
      join(workspace, 'baselines', `${s}.json`),
      example.replace('"scenario": "example"', `"scenario": "${s}"`),
    );
}

/** One matrix: scenarios in `leaking` get the leaky head, the others the steady one. */
async function matrix(
  head: string,
  runId: number,
  leaking: readonly string[],
  action: 'opened' | 'synchronize',
) {
  for (const s of SCENARIOS) {
    const file = leaking.includes(s) ? 'leaky-cache.gcdump' : 'steady.gcdump';
    const r = await fx.pullRequest(
      { number: PR, base: BASE, head, action },
      {
        snapshots: join(repoRoot, 'examples', file),
        baseline: `baselines/${s}.json`,
        scenario: s,
        comment: 'off',
      },
      { runId, prepare },
    );
    expect(r.code, r.stdout + r.stderr).toBe(leaking.includes(s) ? 1 : 0);
  }
  return fx.pullRequest({ number: PR, base: BASE, head, action }, { mode: 'aggregate' }, { runId });
}

describe('the Action aggregating a matrix', () => {
  let commentId: number;

  it('8 scenarios, one run: one comment, a line per scenario, failing ones first, under the limit', async () => {
    fx.github.commits = [BASE];
    const r = await matrix(sha('agg-head-1'), 7001, ['cart', 'orders'], 'opened');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('fail');
    const comments = fx.github.commentsOn(PR);
    expect(comments).toHaveLength(1);
    const body = comments[0].body;
    commentId = comments[0].id;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(65_536);
    expect(body.split('\n')[1]).toBe('### ❌ heapgate: 2 of 8 scenarios failed the memory gate');
    const lines = body.split('\n');
    const start = lines.indexOf('| :-: | :- | :- | -: |') + 1;
    const rows = lines.slice(start, lines.indexOf('', start));
    expect(rows.map((l) => /<code>([^<]+)<\/code>/.exec(l)?.[1])).toEqual([
      'cart',
      'orders',
      ...SCENARIOS.filter((s) => s !== 'cart' && s !== 'orders').sort(),
    ]);
    expect(rows[0]).toContain('memory gate failed for');
    // Each scenario's report is in the comment, folded; the failing ones open.
    expect(body.match(/<details open><summary>❌ <code>/g)).toHaveLength(2);
    expect(body.match(/<details><summary>✅ <code>/g)).toHaveLength(6);
    expect(body).toContain(
      `[run 7001](https://github.com/${fx.github.owner}/${fx.github.repo}/actions/runs/7001)`,
    );
    expect(r.summary).toContain('2 of 8 scenarios failed the memory gate');
  });

  it('the next push edits the same comment in place', async () => {
    const r = await matrix(sha('agg-head-2'), 7002, ['cart'], 'synchronize');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const comments = fx.github.commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0].id).toBe(commentId);
    expect(comments[0].edits).toBe(1);
    expect(comments[0].body.split('\n')[1]).toBe('### ❌ heapgate: 1 of 8 scenarios failed the memory gate');
  });

  it('with no report artifacts in the run, says so and does not comment', async () => {
    const r = await fx.pullRequest(
      { number: 32, base: BASE, head: sha('agg-empty') },
      { mode: 'aggregate' },
      { runId: 7003 },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('none');
    expect(r.stdout).toMatch(/::notice::heapgate: run 7003 has no heapgate-report-\* artifact yet/);
    expect(fx.github.commentsOn(32)).toHaveLength(0);
  });
});
