/**
 * The parts of a gate report in markdown that `check` and `soak` share: the opening (marker,
 * verdict line, context, inconclusive reasons) and the findings table with its hints.
 */
import type { Finding, GateOutcome } from '../rules/findings.js';
import {
  BudgetedMarkdown,
  findingRuleCell,
  leadingFinding,
  renderTable,
  statusCell,
  type Align,
} from './budgetedMarkdown.js';
import { actualText, checkLabel, countsPhrase, limitText, VERDICT_ICON } from './describe.js';
import { code, escapeText } from './escape.js';

/** How one command words its verdicts. */
export interface VerdictWords {
  /** "heapgate", "heapgate soak". */
  title: string;
  /** "memory gate failed for" (followed by the scenario). */
  failed: string;
  /** "no memory regression in" (followed by the scenario). */
  passed: string;
  /** Between the leading finding's check and its actual value. */
  leadSeparator: string;
}

type Outcome = Pick<GateOutcome, 'verdict' | 'counts' | 'findings' | 'inconclusiveReasons'> & {
  scenario: string;
};

export function verdictLine(r: Outcome, words: VerdictWords): string {
  const scenario = code(r.scenario);
  const counts = countsPhrase(r.counts.fail, r.counts.warn, r.counts.inconclusive);
  const tail = leadingFinding(r.findings, words.leadSeparator);
  switch (r.verdict) {
    case 'fail':
      return `### ${VERDICT_ICON.fail} ${words.title}: ${words.failed} ${scenario}: ${counts}${tail}`;
    case 'warn':
      return `### ${VERDICT_ICON.warn} ${words.title}: passed with ${counts} for ${scenario}${tail}`;
    case 'inconclusive':
      return `### ${VERDICT_ICON.inconclusive} ${words.title}: inconclusive for ${scenario}${counts ? ` (${counts})` : ''} — ${escapeText(r.inconclusiveReasons[0] ?? 'see below')}`;
    case 'pass':
      return `### ${VERDICT_ICON.pass} ${words.title}: ${words.passed} ${scenario}`;
  }
}

/** Marker, verdict, what was compared, and why the result is inconclusive when it is. */
export function emitOpening(
  md: BudgetedMarkdown,
  marker: string,
  r: Outcome,
  words: VerdictWords,
  context: string,
): void {
  md.emit(marker);
  md.emit(verdictLine(r, words));
  md.emit('');
  md.emit(context);
  if (r.inconclusiveReasons.length > 0) {
    md.emit('');
    for (const reason of r.inconclusiveReasons) md.emit(`- ❔ ${escapeText(reason)}`);
  }
}

/** An extra column of the findings table (soak: the series as a sparkline). */
export interface FindingColumn {
  header: string;
  cell(f: Finding): string;
}

/** The findings table and the rules' hints. */
export function emitFindings(
  md: BudgetedMarkdown,
  findings: readonly Finding[],
  subject: string,
  extra?: FindingColumn,
  title = '#### Findings\n',
): void {
  md.emit('');
  const row = (f: Finding): string[] => [
    statusCell(f),
    code(f.subject),
    escapeText(checkLabel(f)),
    ...(extra ? [extra.cell(f)] : []),
    escapeText(actualText(f)),
    escapeText(limitText(f)),
    findingRuleCell(f),
  ];
  const align: Align[] = ['c', 'l', 'l', ...(extra ? (['l'] as Align[]) : []), 'r', 'r', 'l'];
  md.table(
    title,
    renderTable(
      ['', subject, 'Check', ...(extra ? [extra.header] : []), 'Actual', 'Limit', 'Rule'],
      findings.map(row),
      align,
    ),
  );
  md.hints(findings);
}

/** Hidden first line by which a report is found and updated in place; check and soak differ in `kind`. */
export function gateMarker(kind: 'report' | 'soak', scenario: string): string {
  return `<!-- heapgate:${kind} scenario=${scenario.replace(/[^A-Za-z0-9._/-]/g, '_')} -->`;
}

/** A budgeted document whose footer names the tool, what the report covers and where the full report is. */
export function gateDocument(
  tool: string,
  covers: string,
  artifact: string,
  maxChars?: number,
): BudgetedMarkdown {
  return new BudgetedMarkdown(
    artifact,
    `\n<sub>${escapeText(tool)} · ${covers} · full report: ${escapeText(artifact)}</sub>\n`,
    maxChars,
  );
}
