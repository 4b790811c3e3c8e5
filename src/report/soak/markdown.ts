/**
 * `heapgate soak` as GitHub markdown (job summary, artifact): the verdict, the findings with a
 * sparkline each, a mermaid chart per offending type, its GC-root evidence, then the growing types.
 * Kept within a character budget (65,536 by default) by dropping whole rows and blocks, lowest
 * priority last in the document first, with a note saying where the rest is.
 */
import type { Finding } from '../../rules/findings.js';
import type { SeriesTrend, SoakHistory, SoakReport, TypeTrendReport } from '../../soak/report.js';
import { hoursText } from '../../soak/trend.js';
import { renderTable, type Align, type BudgetedMarkdown } from '../budgetedMarkdown.js';
import { STATUS_ICON } from '../describe.js';
import { code, escapeText } from '../escape.js';
import { evidenceBlock } from '../evidenceMarkdown.js';
import { emitFindings, emitOpening, gateDocument, gateMarker, type VerdictWords } from '../gateMarkdown.js';
import { formatBytes, formatInt, formatP, rateText } from '../numbers.js';
import { byteScale, MAX_SERIES, mermaidLineChart } from './mermaid.js';
import { sparkline } from './sparkline.js';

const SOAK_WORDS: VerdictWords = {
  title: 'heapgate soak',
  failed: 'memory keeps growing in',
  passed: 'no type keeps growing in',
  leadSeparator: ':',
};

export interface SoakMarkdownOptions {
  maxChars?: number;
  /** Name of the full report artifact mentioned when something is cut. */
  artifact?: string;
  /** Rows in the visible "growing types" table. */
  top?: number;
  /** Charts drawn (one per offending type). */
  charts?: number;
  /** Links to SVG charts (per type name), e.g. files in the report artifact. */
  svgLinks?: ReadonlyMap<string, string>;
}

/** Hidden first line, distinct from the check report's, so a soak report never replaces a PR gate comment. */
export function soakMarker(scenario: string): string {
  return gateMarker('soak', scenario);
}

export function renderSoakMarkdown(r: SoakReport, opts: SoakMarkdownOptions = {}): string {
  const artifact = opts.artifact ?? 'the heapgate-soak.json report';
  const md = gateDocument(r.tool, `${formatInt(r.types.length)} changing types`, artifact, opts.maxChars);

  const trendOf = (subject: string): TypeTrendReport | undefined =>
    subject === 'total' ? { name: 'total', ...r.totals } : r.types.find((t) => t.name === subject);
  const values = (f: Finding): number[] | undefined => {
    const t = trendOf(f.subject);
    return t ? t[f.metric ?? 'count'].values : undefined;
  };

  emitOpening(md, soakMarker(r.scenario), r, SOAK_WORDS, contextLine(r));

  if (r.findings.length > 0) {
    emitFindings(md, r.findings, 'Type', {
      header: 'Series',
      cell: (f) => {
        const v = values(f);
        return v ? sparkline(v) : '';
      },
    });

    // One chart and one evidence block per offending type, in finding order.
    const labels = r.series.points.filter((p) => !p.warmup).map((p) => p.label);
    const shown = new Set<string>();
    let charts = 0;
    for (const f of r.findings) {
      if (f.check !== 'trend-slope' && f.check !== 'trend-grows') continue;
      if (shown.has(f.subject)) continue;
      shown.add(f.subject);
      const t = trendOf(f.subject);
      if (t && charts < (opts.charts ?? 5)) {
        const block = typeChart(t, labels, f.metric ?? 'count', opts.svgLinks?.get(t.name));
        if (md.emit(block)) charts++;
      }
      for (const ev of f.evidence ?? []) {
        if (
          !md.emit(
            `\n${evidenceBlock(ev, Math.max(1, f.evidenceWanted), STATUS_ICON[f.status], f.fingerprint)}`,
          )
        )
          break;
      }
    }
  }

  if (r.history) emitHistory(md, r.history);

  const growing = r.types.filter((t) => t.count.slopePerRound > 0 || t.bytes.slopePerRound > 0);
  const top = growing.slice(0, opts.top ?? 10);
  const perHour = r.series.spanHours !== undefined && r.series.spanHours > 0;
  if (top.length > 0) {
    md.emit('');
    md.table(
      `#### ${growing.length > top.length ? `Top ${top.length} of ${formatInt(growing.length)}` : formatInt(growing.length)} growing type${growing.length === 1 ? '' : 's'}\n`,
      renderTable(
        trendHeader(r, perHour),
        top.map((t) => trendRow(t, perHour)),
        trendAlign(perHour),
      ),
    );
  }
  if (r.types.length > top.length) {
    md.details(
      `All ${formatInt(r.types.length)} types that changed between snapshots`,
      renderTable(
        trendHeader(r, perHour),
        r.types.map((t) => trendRow(t, perHour)),
        trendAlign(perHour),
      ),
    );
  }
  md.suppressedAndRules(r.suppressed, r.rules, 'Type', 'trend rule');
  return md.finish();
}

function contextLine(r: SoakReport): string {
  const analysed = r.series.points.filter((p) => !p.warmup);
  const warm = r.series.points.filter((p) => p.warmup);
  const range =
    analysed.length === 0
      ? ''
      : analysed.length === 1
        ? ` (${code(analysed[0].label)})`
        : ` (${code(analysed[0].label)} … ${code(analysed[analysed.length - 1].label)})`;
  const warmText =
    warm.length === 0
      ? ''
      : ` after ${warm.length} warm-up snapshot${warm.length === 1 ? '' : 's'} (${warm.map((p) => code(p.label)).join(', ')})`;
  const span = r.series.spanHours !== undefined ? `, over ${duration(r.series.spanHours)}` : '';
  const c = r.totals.count;
  const b = r.totals.bytes;
  const heap =
    analysed.length > 0
      ? ` Heap: ${formatInt(c.first)} → ${formatInt(c.last)} objects (${rateText('count', c.slopePerRound, 'round')}), ${formatBytes(b.first)} → ${formatBytes(b.last)} (${rateText('bytes', b.slopePerRound, 'round')}).`
      : '';
  const skipped = r.series.projectionSkipped ? ` ${escapeText(capitalise(r.series.projectionSkipped))}.` : '';
  return `Analysed ${formatInt(analysed.length)} snapshot${analysed.length === 1 ? '' : 's'}${range}${warmText}${span}.${heap}${skipped}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function typeChart(
  t: TypeTrendReport,
  labels: string[],
  metric: 'count' | 'bytes',
  svg: string | undefined,
): string {
  const s: SeriesTrend = t[metric];
  const scale = metric === 'bytes' ? byteScale(s.max) : { unit: 'objects', divisor: 1 };
  const chart = mermaidLineChart({
    title: `${t.name} - ${metric === 'bytes' ? 'bytes' : 'live objects'} per snapshot`,
    xLabels: labels,
    yLabel: scale.unit,
    lines: [s.values.map((v) => v / scale.divisor)].slice(0, MAX_SERIES),
  });
  const link = svg ? `\n\n[SVG chart](${encodeURI(svg)})` : '';
  return `\n**${code(t.name)}** — ${metric === 'bytes' ? 'bytes' : 'live objects'} per snapshot (${formatRange(s, metric)})\n\n${chart}${link}`;
}

function formatRange(s: SeriesTrend, metric: 'count' | 'bytes'): string {
  const v = (n: number) => (metric === 'bytes' ? formatBytes(n) : formatInt(n));
  return `${v(s.first)} → ${v(s.last)}, ${rateText(metric, s.slopePerRound, 'round')}`;
}

function trendHeader(r: SoakReport, perHour: boolean): string[] {
  return [
    'Type',
    'Count',
    'Count trend',
    'Bytes',
    'Slope',
    'p (rise)',
    ...(perHour ? ['Per hour', `In ${formatInt(r.series.projectHours)} h`] : []),
  ];
}

function trendAlign(perHour: boolean): Align[] {
  return ['l', 'r', 'l', 'r', 'r', 'r', ...(perHour ? (['r', 'r'] as Align[]) : [])];
}

function trendRow(t: TypeTrendReport, perHour: boolean): string[] {
  const c = t.count;
  const b = t.bytes;
  return [
    code(t.name),
    `${formatInt(c.first)} → ${formatInt(c.last)}`,
    sparkline(c.values),
    `${formatBytes(b.first)} → ${formatBytes(b.last)}`,
    `${escapeText(rateText('count', c.slopePerRound, 'round'))}<br>${escapeText(rateText('bytes', b.slopePerRound, 'round'))}`,
    formatP(c.mannKendall.pIncreasing),
    ...(perHour
      ? [
          c.slopePerHour !== undefined ? escapeText(rateText('count', c.slopePerHour, 'hour')) : '—',
          c.projected !== undefined
            ? `${formatInt(Math.round(c.projected))}<br>${formatBytes(Math.round(b.projected ?? 0))}`
            : '—',
        ]
      : []),
  ];
}

/** 0.0012 h -> "4.3 s", 0.5 -> "30 min", 26 -> "26 h". */
export const duration = hoursText;

/** Where each failing type began growing in the default branch's recorded baselines. */
function emitHistory(md: BudgetedMarkdown, h: SoakHistory): void {
  md.emit('');
  md.emit(
    `#### 📈 Where it began: ${h.commits} recorded baseline${h.commits === 1 ? '' : 's'} of ${code(h.scenario)} on the default branch`,
  );
  md.emit('');
  for (const t of h.types) {
    const b = t.began;
    md.emit(
      b
        ? `- ${code(t.name)} ${b.count > 0 ? 'rose' : 'fell'} by ${formatInt(Math.abs(Math.round(b.count)))} objects between ${code(b.before.commit.slice(0, 10))} (${escapeText(b.before.date.slice(0, 10))}) and ${code(b.after.commit.slice(0, 10))} (${escapeText(b.after.date.slice(0, 10))})`
        : `- ${code(t.name)}: no change of level in the recorded baselines (it began before them, or grows only within a run)`,
    );
  }
}
