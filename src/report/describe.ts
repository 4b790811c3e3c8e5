/** Plain-text phrases for findings and verdicts, shared by the markdown and terminal renderers. */
import type { Finding, Verdict } from '../rules/findings.js';
import { formatInt, metricValue, signedBytes, signedMetric, signedPct } from './numbers.js';

export const VERDICT_ICON: Record<Verdict, string> = {
  pass: '✅',
  fail: '❌',
  warn: '⚠️',
  inconclusive: '❔',
};
export const STATUS_ICON: Record<Finding['status'], string> = { fail: '❌', warn: '⚠️', inconclusive: '❔' };

export function checkLabel(f: Finding): string {
  switch (f.check) {
    case 'max-count':
      return 'max count';
    case 'max-bytes':
      return 'max bytes';
    case 'growth':
      return f.metric === 'bytes' ? 'bytes growth' : 'count growth';
    case 'new-type':
      return 'new type';
    case 'suppression-expired':
      return 'expired suppression';
    case 'trend-slope':
      return f.metric === 'bytes' ? 'bytes trend' : 'count trend';
    case 'trend-grows':
      return 'grows every round';
  }
}

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

function trendActual(f: Finding): string {
  const m = f.metric ?? 'count';
  const t = f.trend;
  const span =
    f.base !== undefined && f.head !== undefined
      ? `${metricValue(m, f.base)} → ${metricValue(m, f.head)}`
      : '';
  if (f.check === 'trend-grows') {
    const rounds = `rose in ${f.actual ?? 0} round${f.actual === 1 ? '' : 's'} in a row`;
    return span ? `${rounds} (${span})` : rounds;
  }
  const rate = f.actual !== undefined && t ? rateText(m, f.actual, t.per) : '';
  const p = t ? `p=${formatP(t.pIncreasing)}` : '';
  const details = [span, p].filter(Boolean).join(', ');
  return details ? `${rate} (${details})` : rate;
}

/** p-values as people read them: "0.0014", "<0.0001". */
export function formatP(p: number): string {
  if (p < 0.0001) return '<0.0001';
  return p >= 0.01 ? p.toFixed(2) : p.toPrecision(2);
}

/** "+4,000 (1,000 → 5,000, +400%)" for growth; "5,000" for absolute and new-type checks. */
export function actualText(f: Finding): string {
  if (f.check === 'suppression-expired')
    return f.suppressionExpires ? `expired ${f.suppressionExpires}` : 'expired';
  if (f.check === 'trend-slope' || f.check === 'trend-grows') return trendActual(f);
  if (f.actual === undefined || f.metric === undefined) return '';
  const m = f.metric;
  if (f.check === 'growth' && f.base !== undefined && f.head !== undefined) {
    return `${signedMetric(m, f.actual)} (${metricValue(m, f.base)} → ${metricValue(m, f.head)}, ${signedPct(f.pct ?? null)})`;
  }
  const unit = m === 'count' ? ' objects' : '';
  return `${metricValue(m, f.actual)}${unit}${f.check === 'new-type' ? ' (not in baseline)' : ''}`;
}

export function limitText(f: Finding): string {
  if (f.limit === undefined || f.metric === undefined) return '';
  if (f.check === 'trend-grows') return `< ${f.limit + 1} rounds in a row`;
  if (f.check === 'trend-slope')
    return `≤ ${rateText(f.metric, f.limit, f.trend?.per ?? 'round').replace(/^[±]/, '+')}`;
  // A growth allowance is never negative: "+0", not "±0".
  return f.check === 'growth'
    ? `≤ +${metricValue(f.metric, f.limit)}`
    : `≤ ${metricValue(f.metric, f.limit)}`;
}

export function countsPhrase(fail: number, warn: number, inconclusive: number): string {
  const parts: string[] = [];
  if (fail) parts.push(`${fail} error${fail === 1 ? '' : 's'}`);
  if (warn) parts.push(`${warn} warning${warn === 1 ? '' : 's'}`);
  if (inconclusive) parts.push(`${inconclusive} inconclusive`);
  return parts.join(', ');
}
