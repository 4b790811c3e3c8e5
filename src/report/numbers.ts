/** Signed deltas and percentages for reports, built on the shared formatters. */
import { formatBytes, formatInt } from './format.js';

export function signedInt(n: number): string {
  return `${n > 0 ? '+' : n < 0 ? '−' : '±'}${formatInt(Math.abs(n))}`;
}

export function signedBytes(n: number): string {
  return `${n > 0 ? '+' : n < 0 ? '−' : '±'}${formatBytes(Math.abs(n))}`;
}

/** null (growth from zero) renders as "new". */
export function signedPct(p: number | null): string {
  if (p === null) return 'new';
  if (p === 0) return '±0%';
  const abs = Math.abs(p);
  const digits = abs >= 100 ? 0 : 1;
  return `${p > 0 ? '+' : '−'}${abs.toFixed(digits)}%`;
}

export function metricValue(metric: 'count' | 'bytes', n: number): string {
  return metric === 'bytes' ? formatBytes(n) : formatInt(n);
}

export function signedMetric(metric: 'count' | 'bytes', n: number): string {
  return metric === 'bytes' ? signedBytes(n) : signedInt(n);
}

export { formatBytes, formatInt };

/** "+3/round" or "+1.2 MiB/hour". */
export function rateText(metric: 'count' | 'bytes', value: number, per: 'round' | 'hour'): string {
  const v =
    metric === 'bytes'
      ? signedBytes(value)
      : `${value > 0 ? '+' : value < 0 ? '−' : '±'}${formatRate(Math.abs(value))}`;
  return `${v}/${per}`;
}

/** Whole rates as integers, small ones with up to two decimals: "3", "0.33", "1,250". */
function formatRate(n: number): string {
  if (Number.isInteger(n) || n >= 100) return formatInt(Math.round(n));
  return n.toFixed(n >= 10 ? 1 : 2).replace(/\.?0+$/, '');
}

/** p-values as people read them: "0.0014", "<0.0001". */
export function formatP(p: number): string {
  if (p < 0.0001) return '<0.0001';
  return p >= 0.01 ? p.toFixed(2) : p.toPrecision(2);
}
