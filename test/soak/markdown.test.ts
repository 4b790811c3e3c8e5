/**
 * The soak report as markdown: a golden file for a report with a chart and evidence, mermaid
 * safety for hostile type names, sparklines, and the 65,536-character budget.
 */
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../src/rules/parse.js';
import { renderSoakMarkdown } from '../../src/report/soak/markdown.js';
import { mermaidLineChart, mermaidText } from '../../src/report/soak/mermaid.js';
import { sparkline } from '../../src/report/soak/sparkline.js';
import { svgCharts } from '../../src/report/soak/svg.js';
import { renderSoakText } from '../../src/report/soak/text.js';
import { analyseSoak, buildSoakReport, type SoakReport } from '../../src/soak/report.js';
import { points } from './fixtures.js';

const RULES = parseRules(
  [
    'ignore: [System.Diagnostics.Tracing.*]',
    'rules:',
    '  - id: grows-every-round',
    "    match: '*'",
    '    trend: { grows-in-last: 4 }',
    '    hint: The evidence names the field that keeps them alive.',
    '',
  ].join('\n'),
  'builtin:soak',
);

function report(
  pts = points(7, (r) => ({
    'Shop.Cart+Line': 3 * (r + 1),
    'System.String': 900 + (r % 2),
    'Shop.Catalog': 1,
  })),
): SoakReport {
  const analysis = analyseSoak({
    points: pts,
    warmup: 'auto',
    rules: RULES,
    today: '2026-01-02',
    projectHours: 24,
  });
  const f = analysis.evaluation.findings[0];
  if (f) {
    f.evidence = [
      {
        type: f.subject,
        instances: 21,
        bytes: 672,
        retainedBytes: 1536,
        clusters: [
          {
            signature:
              'static field s_lines → System.Collections.Generic.List<Shop.Cart+Line> → Shop.Cart+Line[] → Shop.Cart+Line',
            rootKind: 'static field',
            rootName: 's_lines',
            holders: [
              'System.Collections.Generic.List<Shop.Cart+Line>',
              'Shop.Cart+Line[]',
              'Shop.Cart+Line',
            ],
            count: 21,
            bytes: 672,
            sample: {
              rootKind: 'static field',
              rootName: 's_lines',
              steps: [
                { type: 'System.Collections.Generic.List<Shop.Cart+Line>', address: '0x7f0000001000' },
                { type: 'Shop.Cart+Line[]', address: '0x7f0000002000' },
                { type: 'Shop.Cart+Line', address: '0x7f0000003000' },
              ],
            },
          },
        ],
      },
    ];
  }
  return buildSoakReport(analysis, {
    tool: 'heapgate 0.1.0',
    scenario: 'nightly',
    generatedAt: '2026-01-02T03:00:00.000Z',
    failOn: 'error',
    rulesFiles: ['builtin:soak'],
  });
}

describe('soak markdown', () => {
  it('matches the golden report (verdict, sparkline, mermaid chart, evidence, growing types)', async () => {
    const md = renderSoakMarkdown(report());
    await expect(md).toMatchFileSnapshot('golden/soak-report.md');
    // Independent of the golden file: the chart carries the leak's analysed values in order.
    expect(md).toContain('    line [6, 9, 12, 15, 18, 21]');
    expect(md).toMatch(/```mermaid\nxychart-beta\n/);
  });

  it('the terminal text names the leak and its holder', () => {
    const text = renderSoakText(report());
    expect(text).toMatch(/^heapgate soak: FAIL — scenario nightly \(1 error\)/);
    expect(text).toContain(
      '21 held by static field s_lines: System.Collections.Generic.List<Shop.Cart+Line>',
    );
  });

  it('a passing run says so and draws no chart', () => {
    const md = renderSoakMarkdown(report(points(7, () => ({ A: 5 }))));
    expect(md.split('\n')[1]).toBe('### ✅ heapgate soak: no type keeps growing in <code>nightly</code>');
    expect(md).not.toContain('```mermaid');
  });

  it('hostile type names cannot break out of the chart, the fence or the table', () => {
    const evil = 'Evil"]\n```\n%%{init: {"theme":"dark"}}%%\n<script>alert(1)</script>|@team #1';
    const md = renderSoakMarkdown(report(points(7, (r) => ({ [evil]: 3 * (r + 1) }))));
    const fences = md.match(/^```/gm) ?? [];
    expect(fences.length).toBe(2); // one chart: opened and closed once
    const chart = md.slice(md.indexOf('```mermaid'), md.lastIndexOf('```'));
    expect(chart).not.toMatch(/%%|<script|\{|\}/);
    for (const line of chart.split('\n').filter((l) => l.includes('title')))
      expect(line).toMatch(/^ {4}title "[^"]*"$/);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('@team');
  });

  it('mermaidText keeps generic names readable and drops markup', () => {
    expect(mermaidText('System.Collections.Generic.List<Shop.Cart+Line>')).toBe(
      'System.Collections.Generic.List‹Shop.Cart+Line›',
    );
    expect(mermaidText('a"b;c%d{e}')).toBe('a_b_c_d_e_');
    expect(mermaidText('x'.repeat(500)).length).toBeLessThanOrEqual(80);
  });

  it('long series use a numeric axis and stay sampled', () => {
    const labels = Array.from({ length: 500 }, (_, i) => `round-${i + 1}`);
    const chart = mermaidLineChart({
      title: 't',
      xLabels: labels,
      yLabel: 'objects',
      lines: [labels.map((_, i) => i)],
    });
    expect(chart).toContain('x-axis "snapshot" 1 --> 500');
    const line = chart.split('\n').find((l) => l.trim().startsWith('line')) ?? '';
    expect(line.split(',').length).toBe(120);
    expect(line).toContain('[0, ');
    expect(line).toContain(', 499]');
  });

  it('sparklines scale from min to max', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5])).toBe('▁▁▁');
    expect(sparkline([10, 0])).toBe('█▁');
    expect(
      [
        ...sparkline(
          Array.from({ length: 1000 }, (_, i) => i),
          24,
        ),
      ].length,
    ).toBe(24);
  });

  it('stays within 65,536 characters with 20,000 growing types and says where the rest is', () => {
    const pts = points(8, (r) => {
      const o: Record<string, number> = {};
      for (let t = 0; t < 20_000; t++) o[`Gen.T${t}<${'Arg'.repeat(t % 7)}>`] = (t % 5) + r * (1 + (t % 3));
      return o;
    });
    const md = renderSoakMarkdown(report(pts), { artifact: 'the heapgate-soak artifact' });
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(65_536);
    expect(md).toContain(
      "This report was shortened to fit GitHub's comment limit; see the heapgate-soak artifact",
    );
    expect(md.trimEnd().endsWith('</sub>')).toBe(true);
    // The charts that made it in are whole.
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  it('SVG charts are self-contained and escaped', () => {
    const charts = svgCharts(report(points(7, (r) => ({ 'A<&>"B': 3 * (r + 1) }))));
    expect(charts).toHaveLength(1);
    expect(charts[0].file).toBe('01-A_B.svg');
    expect(charts[0].svg).toContain('A&#60;&#38;&#62;&#34;B');
    expect(charts[0].svg).not.toMatch(/<script|href=/);
    expect((charts[0].svg.match(/<circle/g) ?? []).length).toBe(6);
  });
});
