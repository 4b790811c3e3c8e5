/**
 * `heapgate soak` as GitHub markdown (job summary, artifact): the verdict, the findings with a
 * sparkline each, a mermaid chart per offending type, its GC-root evidence, then the growing types.
 * Kept within a character budget (65,536 by default) by dropping whole rows and blocks, lowest
 * priority last in the document first, with a note saying where the rest is.
 */
import { markdownTable } from 'markdown-table';
import type { Finding } from '../../rules/findings.js';
import type { SeriesTrend, SoakReport, TypeTrendReport } from '../../soak/report.js';
import { Budget, GITHUB_COMMENT_LIMIT, size } from '../budget.js';
import {
  actualText,
  checkLabel,
  countsPhrase,
  formatP,
  limitText,
  rateText,
  STATUS_ICON,
  VERDICT_ICON,
} from '../describe.js';
import { code, escapeText } from '../escape.js';
import { evidenceBlock } from '../evidenceMarkdown.js';
import { formatBytes, formatInt } from '../numbers.js';
import { byteScale, MAX_SERIES, mermaidLineChart } from './mermaid.js';
import { sparkline } from './sparkline.js';

type Align = 'l' | 'r' | 'c';

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
  return `<!-- heapgate:soak scenario=${scenario.replace(/[^A-Za-z0-9._/-]/g, '_')} -->`;
}

export function renderSoakMarkdown(r: SoakReport, opts: SoakMarkdownOptions = {}): string {
  const artifact = opts.artifact ?? 'the heapgate-soak.json report';
  const budget = new Budget(opts.maxChars ?? GITHUB_COMMENT_LIMIT);
  const out: string[] = [];
  let cut = false;
  const footer = `\n<sub>${escapeText(r.tool)} · ${formatInt(r.types.length)} changing types · full report: ${escapeText(artifact)}</sub>\n`;
  const cutNote = `\n> [!NOTE]\n> This report was shortened to fit; see ${escapeText(artifact)} for everything.\n`;
  const reserve = size(footer) + size(cutNote) + 2;
  const emit = (text: string): boolean => {
    if (!budget.fits(text + '\n', reserve)) {
      cut = true;
      return false;
    }
    budget.take(text + '\n');
    out.push(text);
    return true;
  };
  const render = (header: string[], rows: string[][], align: Align[]) =>
    markdownTable([header, ...rows], { alignDelimiters: false, align }).split('\n');
  const moreNote = (n: number) =>
    `\n_…${formatInt(n)} more row${n === 1 ? '' : 's'} in ${escapeText(artifact)}._`;
  const table = (heading: string, lines: string[]): void => {
    const rows = lines.length - 2;
    if (rows <= 0) return;
    const note = moreNote(rows);
    if (!budget.fits(`${heading}\n${lines.slice(0, 3).join('\n')}\n`, reserve + size(note))) {
      cut = true;
      return;
    }
    if (heading) emit(heading);
    emit(`${lines[0]}\n${lines[1]}`);
    let written = 0;
    for (const line of lines.slice(2)) {
      if (!budget.fits(line + '\n', reserve + size(note))) break;
      emit(line);
      written++;
    }
    if (written < rows) {
      cut = true;
      emit(note);
    }
  };
  const details = (summary: string, lines: string[]): void => {
    const open = `\n<details><summary>${summary}</summary>\n`;
    const close = '\n</details>';
    if (
      lines.length < 3 ||
      !budget.fits(
        `${open}\n${lines.slice(0, 3).join('\n')}\n${close}\n`,
        reserve + size(moreNote(lines.length)),
      )
    ) {
      if (lines.length >= 3) cut = true;
      return;
    }
    emit(open);
    budget.take(close + '\n');
    table('', lines);
    out.push(close);
  };

  const trendOf = (subject: string): TypeTrendReport | undefined =>
    subject === 'total' ? { name: 'total', ...r.totals } : r.types.find((t) => t.name === subject);
  const values = (f: Finding): number[] | undefined => {
    const t = trendOf(f.subject);
    return t ? t[f.metric ?? 'count'].values : undefined;
  };

  emit(soakMarker(r.scenario));
  emit(verdictLine(r));
  emit('');
  emit(contextLine(r));
  if (r.inconclusiveReasons.length > 0) {
    emit('');
    for (const reason of r.inconclusiveReasons) emit(`- ❔ ${escapeText(reason)}`);
  }

  if (r.findings.length > 0) {
    emit('');
    table(
      '#### Findings\n',
      render(
        ['', 'Type', 'Check', 'Series', 'Actual', 'Limit', 'Rule'],
        r.findings.map((f) => findingRow(f, values(f))),
        ['c', 'l', 'l', 'l', 'r', 'r', 'l'],
      ),
    );
    const hints = new Map<string, string>();
    for (const f of r.findings) if (f.hint && !hints.has(f.rule.id)) hints.set(f.rule.id, f.hint);
    if (hints.size > 0) emit('');
    for (const [id, hint] of hints) if (!emit(`- 💡 ${code(id)}: ${escapeText(hint)}`)) break;

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
        if (emit(block)) charts++;
      }
      for (const ev of f.evidence ?? []) {
        if (!emit(`\n${evidenceBlock(ev, Math.max(1, f.evidenceWanted), STATUS_ICON[f.status])}`)) break;
      }
    }
  }

  const growing = r.types.filter((t) => t.count.slopePerRound > 0 || t.bytes.slopePerRound > 0);
  const top = growing.slice(0, opts.top ?? 10);
  const perHour = r.series.spanHours !== undefined && r.series.spanHours > 0;
  if (top.length > 0) {
    emit('');
    table(
      `#### ${growing.length > top.length ? `Top ${top.length} of ${formatInt(growing.length)}` : formatInt(growing.length)} growing type${growing.length === 1 ? '' : 's'}\n`,
      render(
        trendHeader(r, perHour),
        top.map((t) => trendRow(t, perHour)),
        trendAlign(perHour),
      ),
    );
  }
  if (r.types.length > top.length) {
    details(
      `All ${formatInt(r.types.length)} types that changed between snapshots`,
      render(
        trendHeader(r, perHour),
        r.types.map((t) => trendRow(t, perHour)),
        trendAlign(perHour),
      ),
    );
  }
  if (r.suppressed.length > 0) {
    details(
      `${formatInt(r.suppressed.length)} suppressed finding${r.suppressed.length === 1 ? '' : 's'}`,
      render(
        ['Type', 'Check', 'Actual', 'Reason', 'Expires'],
        r.suppressed.map((f) => [
          code(f.subject),
          checkLabel(f),
          escapeText(actualText(f)),
          escapeText(f.suppressedBy?.reason ?? ''),
          escapeText(f.suppressedBy?.expires ?? '—') + (f.suppressedBy?.expired ? ' (expired)' : ''),
        ]),
        ['l', 'l', 'r', 'l', 'l'],
      ),
    );
  }
  if (r.rules.length > 0) {
    details(
      `${r.rules.length} trend rule${r.rules.length === 1 ? '' : 's'} evaluated`,
      render(
        ['', 'Rule', 'Severity', 'Types matched', 'Findings'],
        r.rules.map((o) => [
          o.status === 'pass' ? '✅' : STATUS_ICON[o.status],
          ruleCell(o.rule),
          o.severity,
          formatInt(o.matchedTypes),
          formatInt(o.findings),
        ]),
        ['c', 'l', 'l', 'r', 'r'],
      ),
    );
  }

  if (cut) out.push(cutNote.trimEnd());
  out.push(footer.trimEnd());
  return out.join('\n') + '\n';
}

function verdictLine(r: SoakReport): string {
  const scenario = code(r.scenario);
  const counts = countsPhrase(r.counts.fail, r.counts.warn, r.counts.inconclusive);
  const lead = r.findings.find((f) => f.status === 'fail') ?? r.findings[0];
  const tail =
    lead && lead.check !== 'suppression-expired'
      ? ` — ${code(lead.subject)} ${escapeText(checkLabel(lead))}: ${escapeText(actualText(lead))}`
      : '';
  switch (r.verdict) {
    case 'fail':
      return `### ${VERDICT_ICON.fail} heapgate soak: memory keeps growing in ${scenario}: ${counts}${tail}`;
    case 'warn':
      return `### ${VERDICT_ICON.warn} heapgate soak: passed with ${counts} for ${scenario}${tail}`;
    case 'inconclusive':
      return `### ${VERDICT_ICON.inconclusive} heapgate soak: inconclusive for ${scenario}${counts ? ` (${counts})` : ''} — ${escapeText(r.inconclusiveReasons[0] ?? 'see below')}`;
    case 'pass':
      return `### ${VERDICT_ICON.pass} heapgate soak: no type keeps growing in ${scenario}`;
  }
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
  return `Analysed ${formatInt(analysed.length)} snapshot${analysed.length === 1 ? '' : 's'}${range}${warmText}${span}.${heap}`;
}

function findingRow(f: Finding, values: number[] | undefined): string[] {
  const rule = `${ruleCell(f.rule)}${f.message ? `<br>${escapeText(f.message)}` : ''}`;
  const status =
    f.status === 'inconclusive' && f.wouldBe
      ? `${STATUS_ICON.inconclusive} (would ${f.wouldBe})`
      : STATUS_ICON[f.status];
  return [
    status,
    code(f.subject),
    escapeText(checkLabel(f)),
    values ? sparkline(values) : '',
    escapeText(actualText(f)),
    escapeText(limitText(f)),
    rule,
  ];
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

function ruleCell(rule: { id: string; file: string; line: number }): string {
  return `${code(rule.id)} <sub>${escapeText(`${rule.file}:${rule.line}`)}</sub>`;
}

/** 0.0012 h -> "4.3 s", 0.5 -> "30 min", 26 -> "26 h". */
export function duration(hours: number): string {
  const s = hours * 3600;
  if (s < 90) return `${s.toFixed(1)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${hours.toFixed(hours < 10 ? 1 : 0)} h`;
}
