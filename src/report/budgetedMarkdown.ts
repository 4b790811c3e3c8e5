/**
 * A markdown document written within a character budget (GitHub's 65,536 for comments): lines,
 * tables and collapsed tables go in while they fit, whole rows are dropped otherwise, and the
 * document always ends with a note pointing to the full artifact when anything was cut.
 * Shared by the check and soak reports.
 */
import { markdownTable } from 'markdown-table';
import type { Finding, RuleOutcome } from '../rules/findings.js';
import { Budget, GITHUB_COMMENT_LIMIT, size } from './budget.js';
import { actualText, checkLabel, STATUS_ICON } from './describe.js';
import { code, escapeText } from './escape.js';
import { formatInt } from './numbers.js';

export type Align = 'l' | 'r' | 'c';

/** A markdown table as lines: header, delimiter, one line per row. */
export function renderTable(header: string[], rows: string[][], align: Align[]): string[] {
  return markdownTable([header, ...rows], { alignDelimiters: false, align }).split('\n');
}

export class BudgetedMarkdown {
  private readonly budget: Budget;
  private readonly out: string[] = [];
  private readonly reserve: number;
  private readonly cutNote: string;
  private cut = false;

  constructor(
    private readonly artifact: string,
    private readonly footer: string,
    maxChars = GITHUB_COMMENT_LIMIT,
  ) {
    this.budget = new Budget(maxChars);
    this.cutNote = `\n> [!NOTE]\n> This report was shortened to fit GitHub's comment limit; see ${escapeText(artifact)} for everything.\n`;
    this.reserve = size(footer) + size(this.cutNote) + 2;
  }

  /** Adds a line (or block) if it fits; returns false, and remembers the cut, if not. */
  emit(text: string): boolean {
    if (!this.budget.fits(text + '\n', this.reserve)) {
      this.cut = true;
      return false;
    }
    this.budget.take(text + '\n');
    this.out.push(text);
    return true;
  }

  private moreRows(n: number): string {
    return `\n_…${formatInt(n)} more row${n === 1 ? '' : 's'} in ${escapeText(this.artifact)}._`;
  }

  /** Table rows in order while they fit, then a note with how many were left out; returns rows written. */
  table(heading: string, lines: string[]): number {
    const rows = lines.length - 2;
    if (rows <= 0) return 0;
    const note = this.moreRows(rows);
    if (!this.budget.fits(`${heading}\n${lines[0]}\n${lines[1]}\n${lines[2]}\n`, this.reserve + size(note))) {
      this.cut = true;
      return 0;
    }
    this.emit(heading);
    this.emit(`${lines[0]}\n${lines[1]}`);
    let written = 0;
    for (const line of lines.slice(2)) {
      if (!this.budget.fits(line + '\n', this.reserve + size(note))) break;
      this.emit(line);
      written++;
    }
    if (written < rows) {
      this.cut = true;
      this.emit(note);
    }
    return written;
  }

  /** A collapsed table, opened only when its summary, header, first row and closing tag all fit. */
  details(summary: string, lines: string[]): void {
    const open = `\n<details><summary>${summary}</summary>\n`;
    const close = '\n</details>';
    const first = `${open}\n\n${lines[0]}\n${lines[1]}\n${lines[2] ?? ''}\n${close}\n`;
    if (lines.length < 3 || !this.budget.fits(first, this.reserve + size(this.moreRows(lines.length)))) {
      if (lines.length >= 3) this.cut = true;
      return;
    }
    this.emit(open);
    this.budget.take(close + '\n'); // the closing tag is paid for up front, so it always fits
    this.table('', lines);
    this.out.push(close);
  }

  /** One hint per rule: every finding of a rule shares it. */
  hints(findings: readonly Finding[]): void {
    const hints = new Map<string, string>();
    for (const f of findings) if (f.hint && !hints.has(f.rule.id)) hints.set(f.rule.id, f.hint);
    if (hints.size > 0) this.emit('');
    for (const [id, hint] of hints) if (!this.emit(`- 💡 ${code(id)}: ${escapeText(hint)}`)) break;
  }

  /** The collapsed tables every report ends with: suppressed findings, then each rule's outcome. */
  suppressedAndRules(
    suppressed: readonly Finding[],
    rules: readonly RuleOutcome[],
    subject: string,
    ruleWord: string,
  ): void {
    if (suppressed.length > 0) {
      this.details(
        `${formatInt(suppressed.length)} suppressed finding${suppressed.length === 1 ? '' : 's'}`,
        renderTable(
          [subject, 'Check', 'Actual', 'Reason', 'Expires'],
          suppressed.map((f) => [
            code(f.subject),
            checkLabel(f),
            escapeText(actualText(f)),
            escapeText(f.suppressedBy?.reason ?? ''),
            escapeText(f.suppressedBy?.expires ?? '—') + (f.suppressedBy?.expired ? ' (expired)' : ''),
          ]),
          ['l', 'l', 'r', 'l', 'l'],
        ),
      );
    }
    if (rules.length > 0) {
      this.details(
        `${rules.length} ${ruleWord}${rules.length === 1 ? '' : 's'} evaluated`,
        renderTable(
          ['', 'Rule', 'Severity', 'Types matched', 'Findings'],
          rules.map((o) => [
            o.status === 'pass' ? '✅' : STATUS_ICON[o.status],
            ruleCell(o.rule),
            o.severity,
            formatInt(o.matchedTypes),
            formatInt(o.findings),
          ]),
          ['c', 'l', 'l', 'r', 'r'],
        ),
      );
    }
  }

  /** The document: everything that fit, the cut note if anything did not, and the footer. */
  finish(): string {
    const out = [...this.out];
    if (this.cut) out.push(this.cutNote.trimEnd());
    out.push(this.footer.trimEnd());
    return out.join('\n') + '\n';
  }
}

export function ruleCell(rule: { id: string; file: string; line: number }): string {
  return `${code(rule.id)} <sub>${escapeText(`${rule.file}:${rule.line}`)}</sub>`;
}

/** The status cell of a finding row: an inconclusive finding says what it would have been. */
export function statusCell(f: Finding): string {
  return f.status === 'inconclusive' && f.wouldBe
    ? `${STATUS_ICON.inconclusive} (would ${f.wouldBe})`
    : STATUS_ICON[f.status];
}

/** The rule cell of a finding row, with the rule's message under it. */
export function findingRuleCell(f: Finding): string {
  const rules = [f.rule, ...(f.alsoBy ?? [])].map(ruleCell).join(', ');
  return `${rules}${f.message ? `<br>${escapeText(f.message)}` : ''}`;
}

/** " — `Type` check actual" for the verdict line: the finding that matters most. */
export function leadingFinding(findings: readonly Finding[], sep: string): string {
  const lead = findings.find((f) => f.status === 'fail') ?? findings[0];
  return lead && lead.check !== 'suppression-expired'
    ? ` — ${code(lead.subject)} ${escapeText(checkLabel(lead))}${sep} ${escapeText(actualText(lead))}`
    : '';
}
