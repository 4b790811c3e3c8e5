/** Plain-text phrases for findings and verdicts, shared by the markdown and terminal renderers. */
import type { Finding, Verdict } from '../rules/findings.js';
import type { CheckWords } from '../rules/kinds/kind.js';
import { kindOfCheck } from '../rules/kinds/index.js';

export const VERDICT_ICON: Record<Verdict, string> = {
  pass: '✅',
  fail: '❌',
  warn: '⚠️',
  inconclusive: '❔',
};
export const STATUS_ICON: Record<Finding['status'], string> = { fail: '❌', warn: '⚠️', inconclusive: '❔' };

/** The words of a finding's check, from the rule kind that made it. */
function wordsOf(f: Finding): CheckWords | undefined {
  return kindOfCheck(f.check)?.describe[f.check];
}

export function checkLabel(f: Finding): string {
  if (f.check === 'suppression-expired') return 'expired suppression';
  return wordsOf(f)?.label(f) ?? f.check;
}

/** "+4,000 (1,000 → 5,000, +400%)" for growth; "5,000" for absolute and new-type checks. */
export function actualText(f: Finding): string {
  if (f.check === 'suppression-expired')
    return f.suppressionExpires ? `expired ${f.suppressionExpires}` : 'expired';
  return wordsOf(f)?.actual(f) ?? '';
}

export function limitText(f: Finding): string {
  return wordsOf(f)?.limit(f) ?? '';
}

export function countsPhrase(fail: number, warn: number, inconclusive: number): string {
  const parts: string[] = [];
  if (fail) parts.push(`${fail} error${fail === 1 ? '' : 's'}`);
  if (warn) parts.push(`${warn} warning${warn === 1 ? '' : 's'}`);
  if (inconclusive) parts.push(`${inconclusive} inconclusive`);
  return parts.join(', ');
}
