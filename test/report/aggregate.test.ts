/** The aggregate comment's budget: however many scenarios, every one has its line and the whole fits. */
import { describe, expect, it } from 'vitest';
import { AGGREGATE_MARKER, renderAggregateMarkdown } from '../../src/report/aggregateMarkdown.js';
import type { CheckReport } from '../../src/report/checkReport.js';
import { BASE, EVIDENCE, LEAK_HEAD, report, snap, withGraph } from './fixtures.js';

function scenario(name: string, leaking: boolean): CheckReport {
  const r = leaking
    ? report({
        head: [withGraph(snap('head.gcdump', LEAK_HEAD))],
        evidence: (_s, types) =>
          types.map((t) => (t === EVIDENCE.type ? EVIDENCE : { type: t, instances: 0, clusters: [] })),
      })
    : report({
        head: [snap('head.gcdump', BASE)],
        rulesYaml: 'rules:\n  - match: "*"\n    max-count: 100000000\n',
      });
  return { ...r, scenario: name };
}

const bytes = (s: string) => Buffer.byteLength(s);

describe('renderAggregateMarkdown', () => {
  it.each([1, 8, 60, 400])('%i scenarios: a line for each, and at most 65,536 bytes', (n) => {
    const reports = Array.from({ length: n }, (_, i) =>
      scenario(`scenario-${String(i).padStart(3, '0')}`, i % 3 === 0),
    );
    const md = renderAggregateMarkdown(reports, {
      artifactOf: (s) => `the heapgate-report-${s} artifact`,
      footer: '<sub>end</sub>',
    });
    expect(md.startsWith(`${AGGREGATE_MARKER}\n### ❌ heapgate: ${Math.ceil(n / 3)} of ${n} scenario`)).toBe(
      true,
    );
    expect(bytes(md)).toBeLessThanOrEqual(65_536);
    // Every scenario is named in the table: a row of its own, or in the passing scenarios' row.
    const table = md.slice(0, md.indexOf('\n\n', md.indexOf('| :-: |')));
    for (const r of reports) expect(table).toContain(`<code>${r.scenario}</code>`);
    expect(md.trimEnd().endsWith('<sub>end</sub>')).toBe(true);
  });

  it('a passing set says so', () => {
    const md = renderAggregateMarkdown([scenario('a', false), scenario('b', false)], {
      artifactOf: () => 'x',
    });
    expect(md.split('\n')[1]).toBe('### ✅ heapgate: no memory regression in 2 scenarios');
  });
});
