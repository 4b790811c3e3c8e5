/** Plain-text phrases for findings and verdicts, shared by the markdown and terminal renderers. */
import type { Finding, Verdict } from '../rules/findings.js';
import { metricValue, signedMetric, signedPct } from './numbers.js';

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
  }
}

/** "+4,000 (1,000 → 5,000, +400%)" for growth; "5,000" for absolute and new-type checks. */
export function actualText(f: Finding): string {
  if (f.check === 'suppression-expired')
    return f.suppressionExpires ? `expired ${f.suppressionExpires}` : 'expired';
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
  // A growth allowance is never negative: "+0", not "±0".
  return f.check === 'growth'
    ? `≤ +${metricValue(f.metric, f.limit)}`
    : `≤ ${metricValue(f.metric, f.limit)}`;
}

/** One sentence naming subject, check, actual and limit. */
export function findingSentence(f: Finding): string {
  if (f.check === 'suppression-expired') return f.message ?? 'suppression expired';
  const would =
    f.status === 'inconclusive' && f.wouldBe
      ? ` (would ${f.wouldBe === 'fail' ? 'fail' : 'warn'} with exact data)`
      : '';
  return `${f.subject}: ${checkLabel(f)} ${actualText(f)}, limit ${limitText(f)}${would}`;
}

export function countsPhrase(fail: number, warn: number, inconclusive: number): string {
  const parts: string[] = [];
  if (fail) parts.push(`${fail} error${fail === 1 ? '' : 's'}`);
  if (warn) parts.push(`${warn} warning${warn === 1 ? '' : 's'}`);
  if (inconclusive) parts.push(`${inconclusive} inconclusive`);
  return parts.join(', ');
}
