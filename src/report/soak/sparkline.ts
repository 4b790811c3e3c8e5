/** Unicode sparklines for table cells: the shape of a series at a glance, in one short string. */

const BARS = '▁▂▃▄▅▆▇█';

/**
 * One bar per value, scaled from the series' minimum to its maximum; a flat series is all low bars.
 * Longer series are sampled down to `width` evenly spaced points (first and last always kept).
 */
export function sparkline(values: readonly number[], width = 24): string {
  const n = values.length;
  if (n === 0) return '';
  const picked =
    n <= width
      ? values
      : Array.from({ length: width }, (_, i) => values[Math.round((i * (n - 1)) / (width - 1))]);
  let min = Infinity;
  let max = -Infinity;
  for (const v of picked) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const span = max - min;
  let out = '';
  for (const v of picked) {
    const level = span === 0 ? 0 : Math.round(((v - min) / span) * (BARS.length - 1));
    out += BARS[level];
  }
  return out;
}
