import type { Finding, GateOutcome, Status } from '../rules/findings.js';
import { actualText, checkLabel, countsPhrase, limitText } from './describe.js';
import { shorten } from './escape.js';
/** Aligned plain-text tables for the terminal. */

export type Align = 'l' | 'r';

/** Control characters would corrupt the terminal; names are printed otherwise verbatim. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

export function textTable(header: string[], rows: string[][], align: Align[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        align[i] === 'r' ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Upper-case status words for terminal reports. */
export const STATUS_WORD: Record<Status, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  inconclusive: 'INCONCLUSIVE',
};

/** The first line of a terminal report: "heapgate check: FAIL — scenario s (3 errors)". */
export function verdictHeading(
  command: string,
  r: Pick<GateOutcome, 'verdict' | 'counts'>,
  scenario: string,
): string {
  const counts = countsPhrase(r.counts.fail, r.counts.warn, r.counts.inconclusive);
  return `heapgate ${command}: ${STATUS_WORD[r.verdict]} — scenario ${plain(scenario)}${counts ? ` (${counts})` : ''}`;
}

/** A finding's status cell; an inconclusive finding says what it would have been. */
export function statusWord(f: Finding): string {
  return f.status === 'inconclusive' && f.wouldBe ? `INCONCLUSIVE(${f.wouldBe})` : STATUS_WORD[f.status];
}

/** "rule-id (file:line)", and the other rules that made the same finding. */
export function ruleText(f: Finding): string {
  return [f.rule, ...(f.alsoBy ?? [])].map((r) => `${plain(r.id)} (${plain(r.file)}:${r.line})`).join(', ');
}

/** The findings table of a terminal report, indented; `extra` adds a column after the check (soak: the series). */
export function findingsTable(
  findings: readonly Finding[],
  subject: { header: string; width: number },
  extra?: { header: string; cell(f: Finding): string },
): string[] {
  const rows = findings.map((f) => [
    statusWord(f),
    plain(shorten(f.subject, subject.width)),
    checkLabel(f),
    ...(extra ? [extra.cell(f)] : []),
    actualText(f),
    limitText(f),
    ruleText(f),
  ]);
  const header = [
    'status',
    subject.header,
    'check',
    ...(extra ? [extra.header] : []),
    'actual',
    'limit',
    'rule',
  ];
  const align: Align[] = ['l', 'l', 'l', ...(extra ? (['l'] as Align[]) : []), 'r', 'r', 'l'];
  return textTable(header, rows, align).map((l) => `  ${l}`);
}
