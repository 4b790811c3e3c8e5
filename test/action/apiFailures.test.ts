/**
 * GitHub API failures seen by the bundled Action: each becomes one annotation line naming what heapgate
 * was doing, the HTTP status, the endpoint and what to check; no stack trace, no token. A failed
 * baseline lookup makes the run inconclusive instead of ending it. Fork pull requests fail closed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionFixture, dumpheapStat, sha, TOKEN } from './fixture.js';

let fx: ActionFixture;
let head: string;
const C0 = sha('f0');
const C1 = sha('f1');

beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
  fx.github.commits = [C1, C0];
  head = join(fx.dir, 'head-stat.txt');
  writeFileSync(head, dumpheapStat([['System.String', 1000, 64_000]]));
});
afterAll(async () => {
  await fx.stop();
});
afterEach(() => {
  fx.github.failWith.clear();
  fx.github.commentStatus = undefined;
  expect(fx.github.failures, 'requests GitHub would reject').toEqual([]);
});

/** Annotation and log lines that look like a JavaScript stack. */
const STACK = /^\s+at |HttpError|RequestError|fetchWrapper|node_modules|dist\/index\.js/m;

function expectNoStack(r: { stdout: string; stderr: string; summary: string }): void {
  expect(r.stdout).not.toMatch(STACK);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.summary).not.toMatch(STACK);
  // The runner's masking command is the one line allowed to carry it.
  const leaks = (r.stdout + r.summary).split('\n').filter((l) => l.includes(TOKEN));
  expect(leaks.every((l) => l === `::add-mask::${TOKEN}`)).toBe(true);
}

describe('a baseline lookup GitHub refuses', () => {
  it.each([
    [
      'repos/list-commits',
      404,
      /reading the commit history failed with HTTP 404 .* at GET \/repos\/Codertocat\/Hello-World\/commits: GitHub does not know the commit .*'contents: read'/,
    ],
    [
      'repos/compare-commits-with-basehead',
      502,
      /finding the pull request's merge-base failed with HTTP 502 .*GET \/repos\/Codertocat\/Hello-World\/compare\/.*re-run the job later/,
    ],
  ])('%s answering %i: an inconclusive pass with one warning line', async (op, status, line) => {
    fx.github.failWith.set(op, status);
    const r = await fx.pullRequest(
      { number: 3, base: C1, head: sha(`pr-${op}`) },
      { snapshots: head, comment: 'off' },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('inconclusive');
    const warnings = r.stdout.split('\n').filter((l) => l.startsWith('::warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^::warning title=heapgate%3A baseline lookup failed::GitHub API: /);
    expect(warnings[0]).toMatch(line);
    expect(r.summary).toMatch(/No baseline could be looked up, so this run is inconclusive\. GitHub API: /);
    expectNoStack(r);
  });
});

describe('a comment GitHub refuses', () => {
  it('a server error while commenting fails the step with one line', async () => {
    fx.github.failWith.set('issues/create-comment', 500);
    const r = await fx.pullRequest(
      { number: 4, base: C1, head: sha('pr4') },
      { snapshots: head, comment: 'always' },
    );
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^::error::heapgate: GitHub API: posting the pull request comment failed with HTTP 500 \(Server Error\) at POST \/repos\/Codertocat\/Hello-World\/issues\/4\/comments: GitHub is busy or failing; re-run the job later\.$/,
      ),
    ]);
    expectNoStack(r);
  });

  it('a pull request from a deleted fork (no head repository) is treated as a fork', async () => {
    fx.github.commentStatus = 403;
    const r = await fx.pullRequest(
      { number: 5, base: C1, head: sha('pr5'), fork: 'deleted' },
      { snapshots: head, comment: 'always' },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/::notice title=heapgate%3A comment not posted::.*comes from a fork/);
    expect(r.summary).toContain('No pull request comment');
    expectNoStack(r);
  });
});
