/** The HTML report of `heapgate soak`: built from the soak result (the JSON report's model). */
import type { SoakReport, TypeTrendReport } from '../../soak/report.js';
import { countsPhrase } from '../describe.js';
import { htmlFinding, type StepFacts } from './findings.js';
import {
  HTML_LIMITS,
  HTML_REPORT_SCHEMA_VERSION,
  type HtmlChart,
  type HtmlReport,
  type HtmlTable,
} from './model.js';

export interface SoakHtmlContext {
  stepFacts?: StepFacts;
}

export function soakHtmlReport(report: SoakReport, ctx: SoakHtmlContext = {}): HtmlReport {
  const counts = countsPhrase(report.counts.fail, report.counts.warn, report.counts.inconclusive);
  const analysed = report.series.points.filter((p) => !p.warmup);
  const labels = analysed.map((p) => p.label);
  const notes = [...report.inconclusiveReasons];
  const flagged = new Set(report.findings.flatMap((f) => f.types));
  const charts: HtmlChart[] = [
    { title: 'Whole heap — objects', unit: 'count', labels, values: report.totals.count.values },
    { title: 'Whole heap — bytes', unit: 'bytes', labels, values: report.totals.bytes.values },
  ];
  const chartTypes = [
    ...report.types.filter((t) => flagged.has(t.name)),
    ...report.types.filter((t) => !flagged.has(t.name) && t.count.slopePerRound > 0),
  ].slice(0, HTML_LIMITS.charts - charts.length);
  for (const t of chartTypes)
    charts.push({
      title: `${t.name} — objects`,
      unit: 'count',
      labels,
      values: t.count.values,
      flagged: flagged.has(t.name),
    });
  const table = trendTable(report.types);
  if (table.totalRows > table.rows.length)
    notes.push(
      `The type table holds the ${table.rows.length.toLocaleString('en-US')} fastest-growing of ${table.totalRows.toLocaleString('en-US')} changing types, to keep this page small.`,
    );
  const span = report.series.spanHours;
  return {
    schemaVersion: HTML_REPORT_SCHEMA_VERSION,
    kind: 'soak',
    title: `heapgate soak — ${report.scenario}`,
    tool: report.tool,
    generatedAt: report.generatedAt,
    verdict: report.verdict,
    headline:
      report.verdict === 'pass'
        ? 'No type keeps growing.'
        : `${counts || 'No findings'}; fails on ${report.failOn}.`,
    facts: [
      { label: 'Scenario', value: report.scenario },
      {
        label: 'Snapshots',
        value: `${report.series.points.length} (${report.series.analysed} analysed after ${report.series.points.length - report.series.analysed} warm-up)`,
      },
      ...(span !== undefined
        ? [{ label: 'Span', value: `${span.toFixed(2)} h between the first and last analysed snapshot` }]
        : []),
      { label: 'Rules', value: report.meta.rulesFiles.join(', ') },
      ...(report.meta.evidenceFrom ? [{ label: 'Evidence from', value: report.meta.evidenceFrom }] : []),
    ],
    notes,
    findings: report.findings.map((f) => htmlFinding(f, ctx.stepFacts)),
    suppressed: report.suppressed.map((f) => htmlFinding(f, ctx.stepFacts)),
    charts,
    table,
  };
}

function trendTable(types: readonly TypeTrendReport[]): HtmlTable {
  const kept = types.slice(0, HTML_LIMITS.tableRows);
  return {
    title: 'Types that changed during the run',
    columns: [
      { key: 'type', label: 'Type', kind: 'text' },
      { key: 'firstCount', label: 'First count', kind: 'count' },
      { key: 'lastCount', label: 'Last count', kind: 'count' },
      { key: 'countSlope', label: 'Count / round', kind: 'number' },
      { key: 'bytesSlope', label: 'Bytes / round', kind: 'number' },
      { key: 'rising', label: 'Rose in last', kind: 'count' },
      { key: 'p', label: 'Mann–Kendall p', kind: 'number' },
      { key: 'lastBytes', label: 'Last bytes', kind: 'bytes' },
      { key: 'projected', label: 'Projected count', kind: 'count' },
    ],
    rows: kept.map((t) => [
      t.name,
      t.count.first,
      t.count.last,
      t.count.slopePerRound,
      t.bytes.slopePerRound,
      t.count.rising,
      t.count.mannKendall.pIncreasing,
      t.bytes.last,
      t.count.projected ?? null,
    ]),
    totalRows: types.length,
    sort: { column: 3, descending: true },
  };
}
