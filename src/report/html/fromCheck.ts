/** The HTML report of `heapgate check`: built from the check result (the JSON report's model). */
import type { TypeStat } from '../../model/snapshot.js';
import type { CheckReport } from '../checkReport.js';
import { countsPhrase } from '../describe.js';
import { htmlFinding, type StepFacts } from './findings.js';
import { HTML_LIMITS, HTML_REPORT_SCHEMA_VERSION, type HtmlReport, type HtmlTable } from './model.js';
import { buildTreemap } from './treemap.js';

export interface CheckHtmlContext {
  /** Per-type statistics of the (combined) head heap: the treemap shows where its bytes are. */
  headStats?: readonly TypeStat[];
  /** Retained size and referrers of the objects on evidence paths. */
  stepFacts?: StepFacts;
}

const VERDICT_WORDS = {
  pass: 'passed',
  fail: 'failed',
  warn: 'passed with warnings',
  inconclusive: 'inconclusive',
} as const;

export function checkHtmlReport(report: CheckReport, ctx: CheckHtmlContext = {}): HtmlReport {
  const { diff, meta } = report;
  const counts = countsPhrase(report.counts.fail, report.counts.warn, report.counts.inconclusive);
  const notes: string[] = [...report.inconclusiveReasons];
  if (meta.head.estimated) notes.push(...meta.head.estimateReasons.map((r) => `estimated head: ${r}`));
  const table = diffTable(report);
  if (table.totalRows > table.rows.length)
    notes.push(
      `The type table holds the ${table.rows.length.toLocaleString('en-US')} biggest of ${table.totalRows.toLocaleString('en-US')} changed types (by bytes changed), to keep this page small.`,
    );
  const deltaByName = new Map(diff.types.map((t) => [t.name, t.bytesDelta]));
  const baselineText = meta.baseline.missing
    ? `none (${meta.baseline.source} missing${meta.baseline.recordedTo ? `; this run was recorded there` : ''})`
    : [
        meta.baseline.source,
        meta.baseline.createdAt ? `recorded ${meta.baseline.createdAt}` : '',
        meta.baseline.commit ? `at ${meta.baseline.commit.slice(0, 12)}` : '',
        meta.baseline.samples !== undefined ? `${meta.baseline.samples} sample(s)` : '',
      ]
        .filter(Boolean)
        .join(', ');
  const totals = diff.totals;
  const out: HtmlReport = {
    schemaVersion: HTML_REPORT_SCHEMA_VERSION,
    kind: 'check',
    title: `heapgate check — ${report.scenario}`,
    tool: report.tool,
    generatedAt: report.generatedAt,
    verdict: report.verdict,
    headline: `The gate ${VERDICT_WORDS[report.verdict]}${counts ? ` (${counts})` : ''}; fails on ${report.failOn}.`,
    facts: [
      { label: 'Scenario', value: report.scenario },
      {
        label: 'Head',
        value: meta.head.sources.join(', ') + (meta.head.combined === 'median' ? ' (per-type median)' : ''),
      },
      { label: 'Baseline', value: baselineText },
      { label: 'Rules', value: meta.rulesFiles.join(', ') },
      {
        label: 'Heap',
        value: `${totals.base.count.toLocaleString('en-US')} → ${totals.head.count.toLocaleString('en-US')} objects, ${totals.base.bytes.toLocaleString('en-US')} → ${totals.head.bytes.toLocaleString('en-US')} bytes`,
      },
      {
        label: 'Types',
        value: `${diff.newTypes} new, ${diff.goneTypes} gone, ${diff.changedTypes} changed`,
      },
    ],
    notes,
    findings: report.findings.map((f) => htmlFinding(f, ctx.stepFacts)),
    suppressed: report.suppressed.map((f) => htmlFinding(f, ctx.stepFacts)),
    table,
  };
  if (ctx.headStats && ctx.headStats.length > 0) {
    out.treemap = buildTreemap(
      ctx.headStats.map((s) => {
        const delta = deltaByName.get(s.name);
        return { name: s.name, value: s.bytes, delta: delta ?? 0 };
      }),
      {
        title: 'Where the head heap is (red: grew against the baseline)',
        measure: 'shallow bytes of all instances, by namespace and type',
      },
    );
  }
  return out;
}

function diffTable(report: CheckReport): HtmlTable {
  const all = report.diff.types;
  const kept = [...all]
    .sort(
      (a, b) =>
        Math.abs(b.bytesDelta) - Math.abs(a.bytesDelta) || Math.abs(b.countDelta) - Math.abs(a.countDelta),
    )
    .slice(0, HTML_LIMITS.tableRows);
  return {
    title: 'Per-type changes against the baseline',
    columns: [
      { key: 'type', label: 'Type', kind: 'text' },
      { key: 'change', label: 'Change', kind: 'text' },
      { key: 'baseCount', label: 'Base count', kind: 'count' },
      { key: 'headCount', label: 'Head count', kind: 'count' },
      { key: 'countDelta', label: 'Δ count', kind: 'delta-count' },
      { key: 'baseBytes', label: 'Base bytes', kind: 'bytes' },
      { key: 'headBytes', label: 'Head bytes', kind: 'bytes' },
      { key: 'bytesDelta', label: 'Δ bytes', kind: 'delta-bytes' },
      { key: 'bytesPct', label: 'Δ bytes %', kind: 'pct' },
    ],
    rows: kept.map((t) => [
      t.name,
      t.status === 'changed'
        ? t.bytesDelta > 0 || (t.bytesDelta === 0 && t.countDelta > 0)
          ? 'grew'
          : 'shrank'
        : t.status,
      t.base?.count ?? null,
      t.head?.count ?? null,
      t.countDelta,
      t.base?.bytes ?? null,
      t.head?.bytes ?? null,
      t.bytesDelta,
      t.bytesPct,
    ]),
    totalRows: all.length,
    sort: { column: 7, descending: true },
    facet: 1,
  };
}
