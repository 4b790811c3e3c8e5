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
