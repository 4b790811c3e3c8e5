/** The `heapgate test` report: verdicts, escaping of names from the test host, and GitHub's comment budget. */
import { describe, expect, it } from 'vitest';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import type { AssertionRecord } from '../../src/testrun/session.js';
import { buildTestReport, renderTestMarkdown, renderTestText } from '../../src/testrun/testReport.js';
import type { CheckpointInfo } from '../../src/testrun/protocol.js';

const cp = (id: string, name: string, test?: string): CheckpointInfo => ({
  id,
  name,
  ...(test ? { test } : {}),
  file: `/tmp/${id}.gcdump`,
  objects: 1000,
  bytes: 65536,
  collectMs: 800,
  readMs: 100,
});

function failing(id: string, test: string, message: string): AssertionRecord {
  return {
    id,
    test,
    description: 'expected no growth',
    spec: { kind: 'max-growth', match: 'X' },
    base: 'cp1',
    head: 'cp2',
    outcome: { passed: false, verdict: 'fail', message, snapshots: [] },
  };
}

const base = { tool: 'heapgate 0.2.0', generatedAt: '2026-12-03T10:00:00Z', command: 'dotnet test' };

describe('buildTestReport', () => {
  it('fails on a failed assertion, on an assertion that could not be judged, and on a failed command', () => {
    const passed: AssertionRecord = {
      ...failing('a1', 'T', ''),
      outcome: { passed: true, verdict: 'pass', message: '', snapshots: [] },
    };
    const one = { ...base, checkpoints: [cp('cp1', 'a'), cp('cp2', 'b')] };
    expect(
      buildTestReport({ ...one, commandExitCode: 1, assertions: [passed, failing('a2', 'T', 'x')] }),
    ).toMatchObject({
      verdict: 'fail',
      summary: '1 memory assertion failed, 1 passed',
    });
    const error: AssertionRecord = { ...failing('a2', 'T', ''), error: 'bad rule' };
    delete error.outcome;
    expect(buildTestReport({ ...one, commandExitCode: 1, assertions: [error] }).summary).toBe(
      '0 memory assertions failed, 1 could not be evaluated, 0 passed',
    );
    expect(buildTestReport({ ...one, commandExitCode: 2, assertions: [passed] })).toMatchObject({
      verdict: 'fail',
      summary: 'the test command exited with code 2; 1 memory assertion passed',
    });
    expect(buildTestReport({ ...one, commandExitCode: 0, assertions: [passed] }).verdict).toBe('pass');
  });

  it('is inconclusive, never a pass, when nothing was asserted', () => {
    const none = buildTestReport({ ...base, commandExitCode: 0, checkpoints: [], assertions: [] });
    expect(none.verdict).toBe('inconclusive');
    expect(none.summary).toMatch(/^no test took a heap checkpoint/);
    const onlyCheckpoints = buildTestReport({
      ...base,
      commandExitCode: 0,
      checkpoints: [cp('cp1', 'a')],
      assertions: [],
    });
    expect(onlyCheckpoints.summary).toBe('1 checkpoint taken but no memory assertion made');
  });
});

describe('renderTestMarkdown', () => {
  it('escapes test names and shows messages verbatim in a fence they cannot close', () => {
    const hostile = 'Evil.<img src=x onerror=alert(1)>.@team #1 **bold**';
    const message = 'found:\n  ```\n</details><script>x</script>\n  5 x A<B> held by static field s_x';
    const r = buildTestReport({
      ...base,
      commandExitCode: 1,
      checkpoints: [cp('cp1', '<b>before</b>', hostile), cp('cp2', 'after', hostile)],
      assertions: [failing('a1', hostile, message)],
    });
    const md = renderTestMarkdown(r);
    const html = micromark(md, {
      allowDangerousHtml: true,
      extensions: [gfm()],
      htmlExtensions: [gfmHtml()],
    });
    expect(html).not.toMatch(/<img|<script|<b>before/);
    expect(md).not.toContain('@team');
    // The message is one code block, ``` inside included.
    expect(html).toContain(
      '<pre><code class="language-text">found:\n  ```\n&lt;/details&gt;&lt;script&gt;x&lt;/script&gt;',
    );
    expect(md).toContain('````text');
  });

  it('stays within the comment limit with thousands of failing tests, pointing to the full report', () => {
    const assertions = Array.from({ length: 3000 }, (_, i) =>
      failing(
        `a${i}`,
        `Suite.Test${i}`,
        `expected no growth, found:\n  X: +${i}\n    ${i} x X held by static field s_${'y'.repeat(80)}`,
      ),
    );
    const r = buildTestReport({
      ...base,
      commandExitCode: 1,
      checkpoints: [cp('cp1', 'a'), cp('cp2', 'b')],
      assertions,
    });
    const md = renderTestMarkdown(r, { artifact: 'the heapgate-test-x artifact' });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(65_536);
    expect(md).toContain('see the heapgate-test-x artifact for everything');
    expect(md).toMatch(
      /^<!-- heapgate:test name=tests -->\n### ❌ heapgate test: fail — 3,000 memory assertions failed, 0 passed/,
    );
  });
});

describe('renderTestText', () => {
  it('keeps control characters from the test host out of the terminal', () => {
    const r = buildTestReport({
      ...base,
      commandExitCode: 1,
      checkpoints: [cp('cp1', 'a\u001b[31mred'), cp('cp2', 'b')],
      assertions: [failing('a1', 'T\u0007bell', 'x\u001b]0;title\u0007')],
    });
    const text = renderTestText(r);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(text).toContain('FAIL T bell');
  });
});
