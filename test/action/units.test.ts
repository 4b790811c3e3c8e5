/** The Action's pure parts: comment policy, baseline choice (against a naive oracle), comment fitting, config, globs. */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandGlobs } from '../../action/glob.js';
import { apiError } from '../../action/apiError.js';
import { readConfig, type Config } from '../../action/config.js';
import { isFork } from '../../action/context.js';
import { annotationFile, findingAnnotations } from '../../action/findingAnnotations.js';
import { failureMessage } from '../../action/run.js';
import { ageText, chooseBaseline } from '../../src/ci/baselineChoice.js';
import { decideComment, type CommentMode } from '../../src/ci/commentPolicy.js';
import { fitComment } from '../../src/ci/fitComment.js';
import type { Finding, Verdict } from '../../src/rules/findings.js';

describe('decideComment', () => {
  const modes: CommentMode[] = ['always', 'on-change', 'on-failure', 'off'];
  const verdicts: Verdict[] = ['pass', 'warn', 'inconclusive', 'fail'];
  it('creates per mode, never edits to the same text, always refreshes an existing comment', () => {
    for (const mode of modes) {
      for (const verdict of verdicts) {
        const fresh = decideComment({ mode, verdict, body: 'b' }).kind;
        const expected =
          mode === 'always' ||
          (mode === 'on-change' && verdict !== 'pass') ||
          (mode === 'on-failure' && verdict === 'fail')
            ? 'create'
            : 'skip';
        expect(fresh, `${mode}/${verdict}`).toBe(expected);
        expect(decideComment({ mode, verdict, body: 'new', existing: { id: 3, body: 'old' } })).toEqual(
          mode === 'off' ? expect.objectContaining({ kind: 'skip' }) : { kind: 'update', id: 3 },
        );
        expect(
          decideComment({ mode, verdict, body: 'same\n', existing: { id: 3, body: 'same\r\n' } }).kind,
        ).toBe('skip');
      }
    }
  });
});

describe('chooseBaseline', () => {
  it('matches a naive search: first candidate with a recording, newest recording of that commit', () => {
    const shas = ['a', 'b', 'c', 'd', 'e', 'f'];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...shas), { maxLength: 6 }),
        fc.array(fc.record({ commit: fc.constantFrom(...shas), t: fc.integer({ min: 0, max: 1000 }) }), {
          maxLength: 10,
        }),
        (cands, recs) => {
          const candidates = cands.map((sha, distance) => ({ sha, distance }));
          const recorded = recs.map((r, i) => ({
            commit: r.commit,
            item: { createdAt: String(r.t).padStart(4, '0'), i },
          }));
          const got = chooseBaseline(candidates, recorded);
          let expected: { commit: string; distance: number; t: string } | undefined;
          outer: for (const c of candidates) {
            let best: string | undefined;
            for (const r of recorded)
              if (r.commit === c.sha && (best === undefined || r.item.createdAt > best))
                best = r.item.createdAt;
            if (best !== undefined) {
              expected = { commit: c.sha, distance: c.distance, t: best };
              break outer;
            }
          }
          expect(
            got === undefined
              ? undefined
              : { commit: got.commit, distance: got.distance, t: got.item.createdAt },
          ).toEqual(expected);
        },
      ),
    );
  });

  it('describes age', () => {
    const now = new Date('2025-03-10T12:00:00Z');
    expect(ageText('2025-03-10T11:30:00Z', now)).toBe('less than an hour old');
    expect(ageText('2025-03-09T12:00:00Z', now)).toBe('24 hours old');
    expect(ageText('2025-03-01T12:00:00Z', now)).toBe('9 days old');
    expect(ageText('garbage', now)).toBeUndefined();
  });
});

describe('fitComment', () => {
  it('leaves small bodies alone and cuts big ones at line ends, closing open blocks', () => {
    expect(fitComment('small', 'n')).toBe('small');
    const body = [
      '<!-- m -->',
      '<details><summary>x</summary>',
      '```',
      ...Array.from({ length: 5000 }, (_, i) => `line ${i} ${'é'.repeat(20)}`),
    ].join('\n');
    const out = fitComment(body, 'cut; see the artifact', 65_536);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(65_536);
    expect(out.startsWith('<!-- m -->')).toBe(true);
    expect(out).toMatch(/```\n<\/details>\n\n> \[!NOTE\]\n> cut; see the artifact\n$/);
    expect(
      out
        .split('\n')
        .filter((l) => l.startsWith('line '))
        .every((l) => /^line \d+ é{20}$/.test(l)),
    ).toBe(true);
  });
});

describe('readConfig', () => {
  const inputs = (over: Record<string, string>) => (name: string) =>
    ({ 'github-token': 't', snapshots: 'a.gcdump', ...over })[name] ?? '';
  /** The heads of a mode that has them. */
  const headsOf = (config: Config) => ('heads' in config ? config.heads : undefined);
  it('reads defaults into a typed config', () => {
    expect(readConfig(inputs({}))).toMatchObject({
      mode: 'gate',
      heads: { kind: 'snapshots', patterns: ['a.gcdump'] },
      scenario: 'default',
      rules: [],
      baseline: { kind: 'artifact' },
      failOn: 'error',
      comment: 'on-change',
      recordBaseline: true,
      uploadDumps: false,
    });
    expect(
      readConfig(
        inputs({
          snapshots: '',
          run: 'dotnet app.dll',
          checkpoints: 'warmup, round-3',
          'checkpoint-timeout': '90s',
          'total-timeout': '1h',
        }),
      ),
    ).toMatchObject({
      heads: {
        kind: 'run',
        command: 'dotnet app.dll',
        checkpoints: ['warmup', 'round-3'],
        checkpointMs: 90_000,
        totalMs: 3_600_000,
        env: 'clean',
      },
    });
    expect(
      headsOf(readConfig(inputs({ snapshots: '', run: 'dotnet app.dll', 'scenario-env': 'inherit' }))),
    ).toMatchObject({
      env: 'inherit',
    });
    expect(() => readConfig(inputs({ snapshots: '', run: 'dotnet app.dll', 'scenario-env': 'all' }))).toThrow(
      "Input 'scenario-env' must be one of clean, inherit; got 'all'",
    );
    expect(
      readConfig(
        inputs({ rules: 'heapgate.yml\nbuiltin:dotnet-leak-patterns\n# off: x.yml', baseline: 'b.json' }),
      ),
    ).toMatchObject({
      rules: ['heapgate.yml', 'builtin:dotnet-leak-patterns'],
      baseline: { kind: 'file', path: 'b.json' },
    });
    expect(readConfig(inputs({ mode: 'report', snapshots: '' }))).not.toHaveProperty('heads');
    expect(readConfig(inputs({ mode: 'soak', rounds: '5' }))).toMatchObject({
      mode: 'soak',
      heads: { kind: 'snapshots' },
      soak: { rounds: 5, warmup: 'auto' },
    });
    expect(readConfig(inputs({ mode: 'record' }))).not.toHaveProperty('soak');
  });
  it.each([
    [{ 'retention-days': '0' }, /Input 'retention-days' must be a whole number from 1 to 90; got '0'/],
    [{ 'retention-days': '7.5' }, /got '7.5'/],
    [{ 'upload-dumps': 'on' }, /Input 'upload-dumps' must be true or false; got 'on'/],
    [
      { mode: 'audit' },
      /Input 'mode' must be one of gate, record, report, soak, aggregate, test; got 'audit'/,
    ],
    [{ mode: 'test' }, /'mode: test' needs input 'run': the test command/],
    [
      { mode: 'test', run: 'dotnet test', snapshots: '*.gcdump' },
      /Input 'snapshots' has no meaning with 'mode: test'/,
    ],
    [{ 'github-token': '' }, /Input 'github-token' is empty, but 'baseline-source: artifact' needs it/],
    [{ baseline: 'b.json', 'baseline-source': 'artifact' }, /contradict/],
    [{ mode: 'soak', 'base-run': 'dotnet base.dll' }, /works with 'mode: gate', not 'mode: soak'/],
    [{ 'base-run': 'dotnet base.dll' }, /Input 'base-run' needs input 'run'/],
    [
      { snapshots: '', run: 'x', checkpoints: ' , ' },
      /Input 'checkpoints' must be 'all' or checkpoint labels/,
    ],
  ])('rejects %o', (over, message) => {
    expect(() => readConfig(inputs(over))).toThrow(message);
  });
});

describe('expandGlobs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heapgate-glob-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('matches *, ? and ** relative to the folder, sorted, without dot-folders', () => {
    for (const f of [
      'a/1.gcdump',
      'a/b/2.gcdump',
      'a/b/c/3.gcdump',
      'a/x.txt',
      'top.gcdump',
      '.git/4.gcdump',
      'a/9.gcdumpx',
    ]) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), '');
    }
    const rel = (ps: string[]) => expandGlobs(ps, dir).map((f) => f.slice(dir.length + 1));
    expect(rel(['**/*.gcdump'])).toEqual(['a/1.gcdump', 'a/b/2.gcdump', 'a/b/c/3.gcdump', 'top.gcdump']);
    expect(rel(['a/*.gcdump'])).toEqual(['a/1.gcdump']);
    expect(rel(['a/**/?.gcdump'])).toEqual(['a/1.gcdump', 'a/b/2.gcdump', 'a/b/c/3.gcdump']);
    expect(rel(['top.gcdump', 'a/x.txt', 'missing.gcdump'])).toEqual(['a/x.txt', 'top.gcdump']);
    expect(expandGlobs([join(dir, 'a', '*.txt')], '/')).toEqual([join(dir, 'a', 'x.txt')]);
  });
});

describe('isFork', () => {
  const repo = { id: 42 };
  it('is same-repository only when both ids are present and equal', () => {
    expect(isFork({ id: 42 }, repo)).toBe(false);
    expect(isFork({ id: 43 }, repo)).toBe(true);
    expect(isFork(null, repo)).toBe(true);
    expect(isFork(undefined, repo)).toBe(true);
    expect(isFork({}, repo)).toBe(true);
    expect(isFork({ id: 42 }, {})).toBe(true);
  });
});

describe('failure lines', () => {
  const token = 'ghs_abcdefghijklmnopqrstuvwxyz0123456789';
  it('an unexpected error is one line asking for a report, the stack only on request', () => {
    const err = new TypeError(
      `Cannot read properties of undefined (reading 'sha') ${token}\n    at x (y.js:1:2)`,
    );
    const line = failureMessage(err, false);
    expect(line).toMatch(
      /^internal error: TypeError: Cannot read properties of undefined \(reading 'sha'\) \*\*\* \(please report it/,
    );
    expect(line).not.toContain('\n');
    expect(line).not.toContain(token);
    expect(failureMessage(err, true)).toContain('at ');
  });

  it('a REST error names the call, status, endpoint and permission, never the token', () => {
    const e = apiError('list-artifacts', {
      status: 403,
      message: `Resource not accessible - https://docs.github.com`,
      request: {
        method: 'GET',
        url: 'https://api.github.com/repos/o/r/actions/artifacts?name=x',
        headers: { authorization: `token ${token}` },
      },
      response: { data: { message: 'Resource not accessible by integration' } },
    });
    expect(e.message).toBe(
      "GitHub API: listing baseline artifacts failed with HTTP 403 (Resource not accessible by integration) at GET /repos/o/r/actions/artifacts: the token may not do this: add 'permissions: actions: read' to the job (a fork's pull request gets a read-only token).",
    );
    expect(e.status).toBe(403);
    const net = apiError('list-commits', {
      message: 'fetch failed',
      cause: { code: 'ECONNREFUSED' },
      request: { method: 'GET', url: 'http://127.0.0.1:1/repos/o/r/commits' },
    });
    expect(net.message).toMatch(
      /reading the commit history failed before GitHub answered \(GET \/repos\/o\/r\/commits\): ECONNREFUSED/,
    );
    expect(apiError('download-artifact', { status: 410, request: { url: '/x' } }).message).toMatch(/expired/);
  });
});

describe('finding annotations', () => {
  const finding = (subject: string, file: string): Finding => ({
    rule: { id: 'cap', file, line: 7, col: 5 },
    status: 'fail',
    severity: 'error',
    check: 'max-count',
    subject,
    types: [subject],
    metric: 'count',
    actual: 12,
    limit: 10,
    evidenceWanted: 0,
  });
  const where = { workspace: '/w', cwd: '/w/app' };

  it('control characters in a type name become spaces: one annotation line, whatever the process named its types', () => {
    const [a] = findingAnnotations(
      { findings: [finding('Evil\r\n::error::x\u0007Type', 'rules.yml')] },
      's',
      where,
    );
    // eslint-disable-next-line no-control-regex
    expect(a.message).not.toMatch(/[\u0000-\u001f]/);
    expect(a.message).toMatch(/^Evil ::error::x Type: /);
    expect(a.properties).toEqual({
      title: 'heapgate s: rule cap',
      file: 'app/rules.yml',
      startLine: 7,
      startColumn: 5,
    });
  });

  it('rules files outside the workspace and shipped sets get no file', () => {
    expect(annotationFile('builtin:default', '/w', '/w/app')).toEqual({});
    expect(annotationFile('../../etc/rules.yml', '/w', '/w/app')).toEqual({});
    expect(annotationFile('/elsewhere/rules.yml', '/w', '/w/app')).toEqual({});
    expect(annotationFile('/w/app/heapgate.yml', '/w', '/w/app')).toEqual({ file: 'app/heapgate.yml' });
    expect(annotationFile('heapgate.yml', '/w', '/w/app')).toEqual({ file: 'app/heapgate.yml' });
    const [a] = findingAnnotations({ findings: [finding('T', 'builtin:default')] }, 's', where);
    expect(a.properties).toEqual({ title: 'heapgate s: rule cap' });
  });
});
