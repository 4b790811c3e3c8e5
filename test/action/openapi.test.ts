/** The loopback GitHub's request validation: it must reject what api.github.com would. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiValidator } from '../support/github-api/openapi.js';
import { FakeGitHub } from '../support/github-api/server.js';

const v = new OpenApiValidator();
const u = (path: string) => new URL(path, 'http://127.0.0.1');

describe('OpenApiValidator', () => {
  it('accepts the calls the Action makes', () => {
    expect(
      v.validate('GET', u('/repos/o/r/issues/7/comments?per_page=100&page=2'), undefined, false),
    ).toMatchObject({ ok: true, op: { operationId: 'issues/list-comments' } });
    expect(v.validate('POST', u('/repos/o/r/issues/7/comments'), { body: 'hi' }, true)).toMatchObject({
      ok: true,
      op: { operationId: 'issues/create-comment' },
    });
    expect(v.validate('PATCH', u('/repos/o/r/issues/comments/12'), { body: 'hi' }, true)).toMatchObject({
      ok: true,
      op: { operationId: 'issues/update-comment' },
    });
    expect(
      v.validate(
        'GET',
        u('/repos/o/r/actions/artifacts?name=heapgate-baseline-x&per_page=100'),
        undefined,
        false,
      ),
    ).toMatchObject({ ok: true, op: { operationId: 'actions/list-artifacts-for-repo' } });
    expect(v.validate('GET', u('/repos/o/r/compare/aaa...bbb?per_page=1'), undefined, false)).toMatchObject({
      ok: true,
      op: { pathParams: { basehead: 'aaa...bbb' } },
    });
  });

  it.each([
    ['an unknown route', 'GET', '/repos/o/r/heap-snapshots', undefined, /no such operation/],
    ['a wrong method', 'DELETE', '/repos/o/r/issues/7/comments', undefined, /no such operation/],
    ['a missing body', 'POST', '/repos/o/r/issues/7/comments', undefined, /request body is required/],
    [
      'a body without its required field',
      'POST',
      '/repos/o/r/issues/7/comments',
      { text: 'hi' },
      /should have required property 'body'/,
    ],
    ['a body of the wrong type', 'PATCH', '/repos/o/r/issues/comments/12', { body: 42 }, /should be string/],
    ['a non-numeric path parameter', 'PATCH', '/repos/o/r/issues/comments/abc', { body: 'x' }, /comment_id/],
    [
      'an undefined query parameter',
      'GET',
      '/repos/o/r/issues/7/comments?sort=asc',
      undefined,
      /query parameter 'sort' is not defined/,
    ],
    ['per_page over 100', 'GET', '/repos/o/r/commits?per_page=500', undefined, /at most 100/],
    ['a mistyped query parameter', 'GET', '/repos/o/r/issues/7/comments?page=first', undefined, /page/],
  ])('rejects %s', (_name, method, path, body, message) => {
    const r = v.validate(method, u(path), body, body !== undefined);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(message);
  });
});

describe('FakeGitHub', () => {
  const gh = new FakeGitHub('o/r');
  beforeAll(() => gh.start());
  afterAll(() => gh.stop());

  it('answers unknown routes with 404 and records them as failures', async () => {
    const res = await fetch(`${gh.url}/repos/o/r/not-an-endpoint`);
    expect(res.status).toBe(404);
    expect(gh.failures.join('\n')).toMatch(/no such operation/);
    gh.failures.length = 0;
  });

  it('keeps comments and paginates them with a Link header', async () => {
    for (let i = 0; i < 5; i++) gh.addComment(1, `c${i}`);
    const res = await fetch(`${gh.url}/repos/o/r/issues/1/comments?per_page=2&page=2`);
    expect(((await res.json()) as { body: string }[]).map((c) => c.body)).toEqual(['c2', 'c3']);
    expect(res.headers.get('link')).toMatch(/page=3.*rel="next"/);
    const bad = await fetch(`${gh.url}/repos/o/r/issues/1/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bodyy: 'x' }),
    });
    expect(bad.status).toBe(422);
    expect(gh.commentsOn(1)).toHaveLength(5);
    expect(gh.failures).toHaveLength(1);
  });
});

describe('response validation', () => {
  it('rejects answers GitHub would never give', () => {
    const artifact = v.example('actions/list-artifacts-for-repo', 200) as {
      artifacts: Record<string, unknown>[];
    };
    expect(v.validateResponse('actions/list-artifacts-for-repo', 200, artifact)).toEqual([]);
    delete artifact.artifacts[0].archive_download_url;
    expect(v.validateResponse('actions/list-artifacts-for-repo', 200, artifact).join('\n')).toMatch(
      /archive_download_url/,
    );
    expect(
      v
        .validateResponse('repos/compare-commits-with-basehead', 200, { merge_base_commit: { sha: 'x' } })
        .join('\n'),
    ).toMatch(/required property/);
    expect(v.validateResponse('repos/list-commits', 200, [{ sha: 42 }]).length).toBeGreaterThan(0);
  });

  it("every answer the fake gives on the Action's routes is one GitHub describes, beyond the first 100 commits", async () => {
    const gh = await new FakeGitHub('o/r').start();
    const shas = Array.from({ length: 250 }, (_, i) => i.toString(16).padStart(40, 'a'));
    gh.commits = shas;
    gh.pulls.set(3, { headSha: 'f'.repeat(40), baseSha: shas[0], state: 'open' });
    gh.runs.set(77, { event: 'push', headBranch: 'main', headSha: shas[1] });
    gh.artifacts.push({
      id: 5,
      name: 'heapgate-baseline-x',
      runId: 77,
      headSha: shas[1],
      headBranch: 'main',
    });
    gh.addComment(3, 'hello');
    const get = (path: string) => fetch(`${gh.url}/repos/o/r${path}`);
    const pages: string[][] = [];
    for (let page = 1; page <= 3; page++) {
      const r = await get(`/commits?sha=${shas[0]}&per_page=100&page=${page}`);
      pages.push(((await r.json()) as { sha: string }[]).map((c) => c.sha));
      expect(r.headers.get('link') !== null).toBe(page < 3);
    }
    expect(pages.flat()).toEqual(shas);
    for (const path of [
      `/compare/${shas[0]}...${'f'.repeat(40)}?per_page=1`,
      '/pulls/3',
      '/actions/runs/77',
      '/actions/artifacts?name=heapgate-baseline-x&per_page=100',
      '/actions/runs/77/artifacts?per_page=100',
      '/issues/3/comments?per_page=100',
    ])
      expect((await get(path)).status, path).toBe(200);
    await gh.stop();
    expect(gh.failures).toEqual([]);
  });
});
