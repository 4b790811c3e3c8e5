import { describe, expect, it } from 'vitest';
import { renderCheckJson } from '../../src/report/checkReport.js';
import { renderCheckMarkdown, reportMarker } from '../../src/report/markdown.js';
import { renderCheckText } from '../../src/report/text.js';
import { BASE, EVIDENCE, LEAK_HEAD, report, RULES, snap, withGraph } from './fixtures.js';

describe('markdown report (golden)', () => {
  it('failing gate with evidence, an expired suppression and top changes', async () => {
    const r = report({
      head: [withGraph(snap('head.gcdump', LEAK_HEAD))],
      evidence: (_s, types) =>
        types.map((t) => (t === EVIDENCE.type ? EVIDENCE : { type: t, instances: 0, clusters: [] })),
    });
    expect(r.verdict).toBe('fail');
    expect(r.exitCode).toBe(1);
    const md = renderCheckMarkdown(r, { artifact: 'heapgate-report (artifact)' });
    expect(md.split('\n')[0]).toBe(reportMarker('steady'));
    expect(md.split('\n')[1]).toMatch(
      /^### ❌ heapgate: memory gate failed for <code>steady<\/code>: 3 errors, 1 warning — <code>MyApp.Leaks.LeakedOrder<\/code> new type 4,000 objects/,
    );
    await expect(md).toMatchFileSnapshot('golden/fail.md');
    await expect(renderCheckText(r)).toMatchFileSnapshot('golden/fail.txt');
  });

  it('clean pass', async () => {
    const r = report({ head: [snap('head.gcdump', BASE)], rulesYaml: RULES.split('suppressions:')[0] });
    expect(r.verdict).toBe('pass');
    await expect(renderCheckMarkdown(r)).toMatchFileSnapshot('golden/pass.md');
  });

  it('first run without a baseline: inconclusive, recorded, not failed', async () => {
    const r = report({
      base: undefined,
      baselineInfo: { source: 'baselines/steady.json', missing: true, recordedTo: 'baselines/steady.json' },
    });
    expect(r.verdict).toBe('inconclusive');
    expect(r.exitCode).toBe(0);
    await expect(renderCheckMarkdown(r)).toMatchFileSnapshot('golden/first-run.md');
  });

  it('estimated head: inconclusive with what would have failed', async () => {
    const r = report({
      head: [
        snap('head.gcdump', LEAK_HEAD, {
          estimated: true,
          estimateReasons: ['sampled: counts multiplied by up to 8'],
        }),
      ],
    });
    expect(r.verdict).toBe('inconclusive');
    expect(r.exitCode).toBe(0);
    await expect(renderCheckMarkdown(r)).toMatchFileSnapshot('golden/inconclusive.md');
  });

  it('several head snapshots are combined by per-type median', () => {
    const quiet = snap('h1.gcdump', BASE);
    const r = report({ head: [quiet, snap('h2.gcdump', LEAK_HEAD), snap('h3.gcdump', BASE)] });
    // one leaky run out of three does not fail the gate ...
    expect(r.counts.fail).toBe(0);
    // ... two out of three do
    expect(
      report({ head: [quiet, snap('h2.gcdump', LEAK_HEAD), snap('h3.gcdump', LEAK_HEAD)] }).counts.fail,
    ).toBeGreaterThan(0);
    expect(r.meta.head.combined).toBe('median');
  });

  it('JSON carries the schema version, verdict, findings with rule positions, and changed types only', () => {
    const j = JSON.parse(renderCheckJson(report()));
    expect(j).toMatchObject({
      schemaVersion: 4,
      verdict: 'fail',
      exitCode: 1,
      failOn: 'error',
      scenario: 'steady',
    });
    expect(j.findings[0]).toMatchObject({
      rule: { id: 'type-growth', file: 'heapgate.yml', line: 2, col: 5 },
      subject: 'MyApp.Leaks.LeakedOrder',
      check: 'new-type',
      actual: 4000,
      limit: 500,
      // No evidence in this report: the fingerprint is the type's alone, and says so.
      fingerprint: {
        id: expect.stringMatching(/^hg1-[0-9a-f]{12}$/),
        kind: 'type',
        basis: 'type MyApp.Leaks.LeakedOrder',
      },
    });
    expect(j.diff.types.map((t: { name: string }) => t.name)).not.toContain('MyApp.Steady.WorkItem');
  });
});
