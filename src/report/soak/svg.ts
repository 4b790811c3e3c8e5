/**
 * Self-contained SVG line charts of offending types, for report artifacts (mermaid is rendered only
 * on GitHub; an SVG opens anywhere). All text is XML-escaped; no scripts, no external references.
 */
import type { SoakReport } from '../../soak/report.js';
import { formatBytes, formatInt } from '../numbers.js';
import { niceCeiling } from './mermaid.js';

export interface SvgChart {
  /** File name (safe, unique within the report). */
  file: string;
  type: string;
  svg: string;
}

const W = 640;
const H = 300;
const PAD = { left: 64, right: 16, top: 40, bottom: 44 };

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u001f]/g, ' '); // eslint-disable-line no-control-regex
}

/** A line chart of one series with labelled first/last x ticks and a 0-based y axis. */
export function svgLineChart(
  title: string,
  labels: readonly string[],
  values: readonly number[],
  metric: 'count' | 'bytes',
): string {
  const n = values.length;
  const top = niceCeiling(Math.max(0, ...values));
  const pw = W - PAD.left - PAD.right;
  const ph = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n <= 1 ? pw / 2 : (i * pw) / (n - 1));
  const y = (v: number) => PAD.top + ph - (v / top) * ph;
  const fmt = (v: number) => (metric === 'bytes' ? formatBytes(v) : formatInt(v));
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = top * f;
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/><text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${xml(fmt(Math.round(v)))}</text>`;
  });
  const xTicks = (n <= 12 ? [...Array(n).keys()] : [0, Math.floor((n - 1) / 2), n - 1]).map(
    (i) =>
      `<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${xml(labels[i] ?? String(i + 1))}</text>`,
  );
  const dots = values.map(
    (v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="#8250df"/>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="13">${xml(title.length > 90 ? `${title.slice(0, 44)}…${title.slice(-44)}` : title)}</text>`,
    ...ticks,
    ...xTicks,
    `<polyline fill="none" stroke="#8250df" stroke-width="2" points="${points}"/>`,
    ...dots,
    '</svg>',
    '',
  ].join('\n');
}

/** One chart per type with a trend finding, in finding order. */
export function svgCharts(report: SoakReport): SvgChart[] {
  const labels = report.series.points.filter((p) => !p.warmup).map((p) => p.label);
  const out: SvgChart[] = [];
  const seen = new Set<string>();
  for (const f of report.findings) {
    if ((f.check !== 'trend-slope' && f.check !== 'trend-grows') || seen.has(f.subject)) continue;
    seen.add(f.subject);
    const t =
      f.subject === 'total'
        ? { name: 'total', ...report.totals }
        : report.types.find((x) => x.name === f.subject);
    if (!t) continue;
    const metric = f.metric ?? 'count';
    const stem = t.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
    out.push({
      file: `${String(out.length + 1).padStart(2, '0')}-${stem}.svg`,
      type: t.name,
      svg: svgLineChart(
        `${t.name}: ${metric === 'bytes' ? 'bytes' : 'live objects'} per snapshot`,
        labels,
        t[metric].values,
        metric,
      ),
    });
  }
  return out;
}
