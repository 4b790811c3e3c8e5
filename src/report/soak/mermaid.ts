/**
 * Mermaid `xychart-beta` line charts, which GitHub renders inside ```mermaid fences in comments and
 * job summaries. Everything placed in a chart comes from heaps or scenario output, so it is reduced
 * to characters that can neither end the fence, start a mermaid directive (%%{…}%%), close a quoted
 * string, nor be read as HTML by the renderer.
 */

/** Longest title or label kept; names are shortened in the middle beyond it. */
const MAX_LABEL = 80;

/**
 * Text safe inside a quoted mermaid string: letters, digits and a few punctuation marks; `<` `>` of
 * generic names become ‹ › (the renderer would treat them as markup); everything else becomes `_`.
 */
export function mermaidText(text: string, max = MAX_LABEL): string {
  let s = text
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/[^\p{L}\p{N} .,_+\-‹›()[\]/']/gu, '_')
    .replace(/\s+/g, ' ')
    .trim();
  if (s.length > max) {
    const keep = Math.floor((max - 1) / 2);
    s = `${s.slice(0, keep)}…${s.slice(s.length - keep)}`;
  }
  return s || '_';
}

export interface LineChart {
  title: string;
  /** One label per point. */
  xLabels: readonly string[];
  /** Axis title, e.g. "objects" or "KiB". */
  yLabel: string;
  /** Up to MAX_SERIES lines, each as long as xLabels. */
  lines: ReadonlyArray<readonly number[]>;
}

/** xychart-beta has no legend: more lines than this cannot be told apart. */
export const MAX_SERIES = 5;
/** More categories than this crowd the axis; a numeric axis (1 … n) is used instead. */
const MAX_CATEGORIES = 16;
/** Longer series are sampled down (the chart is a picture, the numbers are in the JSON). */
const MAX_POINTS = 120;

/** The fenced ```mermaid block for a line chart. */
export function mermaidLineChart(chart: LineChart): string {
  const n = chart.xLabels.length;
  const idx =
    n <= MAX_POINTS
      ? [...Array(n).keys()]
      : Array.from({ length: MAX_POINTS }, (_, i) => Math.round((i * (n - 1)) / (MAX_POINTS - 1)));
  const lines = chart.lines.slice(0, MAX_SERIES).map((l) => idx.map((i) => l[i] ?? 0));
  let top = 0;
  for (const l of lines) for (const v of l) top = Math.max(top, v);
  const xAxis =
    idx.length <= MAX_CATEGORIES
      ? `x-axis [${idx.map((i) => `"${mermaidText(chart.xLabels[i], 24)}"`).join(', ')}]`
      : `x-axis "snapshot" 1 --> ${n}`;
  return [
    '```mermaid',
    'xychart-beta',
    `    title "${mermaidText(chart.title)}"`,
    `    ${xAxis}`,
    `    y-axis "${mermaidText(chart.yLabel, 24)}" 0 --> ${niceCeiling(top)}`,
    ...lines.map((l) => `    line [${l.map(number).join(', ')}]`),
    '```',
  ].join('\n');
}

/** Plain decimal text (never exponent notation, which mermaid does not parse). */
function number(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const r = Math.round(v * 10) / 10;
  return Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1);
}

/** A round axis maximum a little above the data: 21 -> 25, 3576 -> 4000, 0 -> 1. */
export function niceCeiling(v: number): number {
  if (!(v > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const c = step * mag;
    if (c >= v * 1.05) return Number(c.toPrecision(12));
  }
  return 10 * mag;
}

/** A unit that keeps byte values readable on the axis. */
export function byteScale(max: number): { unit: string; divisor: number } {
  if (max >= 1024 ** 3) return { unit: 'GiB', divisor: 1024 ** 3 };
  if (max >= 1024 ** 2) return { unit: 'MiB', divisor: 1024 ** 2 };
  if (max >= 1024) return { unit: 'KiB', divisor: 1024 };
  return { unit: 'bytes', divisor: 1 };
}
