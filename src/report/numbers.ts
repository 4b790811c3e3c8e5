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
