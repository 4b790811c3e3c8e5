/**
 * One pull request comment for several scenarios (a job matrix, or several scenarios of one
 * workflow run): a verdict line per scenario on top, then each scenario's full report folded, each
 * cut to its share of GitHub's 65,536-character limit so the whole always fits.
 */
import type { Verdict } from '../rules/findings.js';
import { GITHUB_COMMENT_LIMIT, size } from './budget.js';
import type { CheckReport } from './checkReport.js';
import { VERDICT_ICON } from './describe.js';
import { code, escapeText } from './escape.js';
import { gateMarker, verdictLine } from './gateMarkdown.js';
import { CHECK_WORDS, renderCheckMarkdown } from './markdown.js';
import { formatBytes, signedPct } from './numbers.js';

/** The aggregate comment's hidden first line: one per pull request, whatever the scenarios. */
export const AGGREGATE_MARKER = gateMarker('report', '*aggregate*');

const ORDER: Verdict[] = ['fail', 'warn', 'inconclusive', 'pass'];

export interface AggregateOptions {
  /** Where each scenario's full report is, for the note when its section is cut. */
  artifactOf(scenario: string): string;
  /** The whole comment's budget (default: GitHub's limit). */
  maxChars?: number;
  /** A last line (the link to the run's reports), kept within the budget. */
  footer?: string;
}

export function worstVerdict(reports: readonly Pick<CheckReport, 'verdict'>[]): Verdict {
  return ORDER.find((v) => reports.some((r) => r.verdict === v)) ?? 'pass';
}

export function renderAggregateMarkdown(reports: readonly CheckReport[], opts: AggregateOptions): string {
  // Failing scenarios first, then by name, so the top of the comment is what needs attention.
  const sorted = [...reports].sort(
    (a, b) => ORDER.indexOf(a.verdict) - ORDER.indexOf(b.verdict) || (a.scenario < b.scenario ? -1 : 1),
  );
  const verdict = worstVerdict(sorted);
  const failed = sorted.filter((r) => r.verdict === 'fail').length;
  const title =
    failed > 0
      ? `${failed} of ${sorted.length} scenario${sorted.length === 1 ? '' : 's'} failed the memory gate`
      : verdict === 'pass'
        ? `no memory regression in ${sorted.length} scenario${sorted.length === 1 ? '' : 's'}`
        : `${sorted.length} scenario${sorted.length === 1 ? '' : 's'}, none failed`;
  const row = (r: CheckReport): string => {
    const line = verdictLine(r, CHECK_WORDS).replace(/^### \S+ heapgate: /, '');
    const t = r.diff.totals;
    const heap = r.meta.baseline.missing
      ? formatBytes(t.head.bytes)
      : `${formatBytes(t.base.bytes)} → ${formatBytes(t.head.bytes)} (${signedPct(t.bytesPct)})`;
    return `| ${VERDICT_ICON[r.verdict]} | ${code(r.scenario)} | ${line} | ${escapeText(heap)} |`;
  };
  // Passing scenarios share one row when there are many: the table must fit, whatever the matrix.
  const passing = sorted.filter((r) => r.verdict === 'pass');
  const rows =
    passing.length > 10
      ? [
          ...sorted.filter((r) => r.verdict !== 'pass').map(row),
          `| ${VERDICT_ICON.pass} | ${passing.length} scenarios | ${passing.map((r) => code(r.scenario)).join(', ')} | |`,
        ]
      : sorted.map(row);
  const budget = (opts.maxChars ?? GITHUB_COMMENT_LIMIT) - 2_000;
  let tableBytes = 0;
  const kept: string[] = [];
  for (const [i, r] of rows.entries()) {
    tableBytes += size(r) + 1;
    if (tableBytes > budget) {
      kept.push(`| | … ${rows.length - i} more rows | see the run's report artifacts | |`);
      break;
    }
    kept.push(r);
  }
  const head = [
    AGGREGATE_MARKER,
    `### ${VERDICT_ICON[verdict]} heapgate: ${title}`,
    '',
    '| | Scenario | Result | Heap |',
    '| :-: | :- | :- | -: |',
    ...kept,
    '',
  ].join('\n');
  const footer = opts.footer ? `\n${opts.footer}\n` : '';
  const limit = (opts.maxChars ?? GITHUB_COMMENT_LIMIT) - size(head) - size(footer);
  // Each scenario's section gets an equal share; the wrapper lines cost about 120 characters.
  const share = Math.floor(limit / Math.max(1, sorted.length)) - 160;
  const sections = sorted.map((r) => {
    const body = renderCheckMarkdown(r, {
      artifact: opts.artifactOf(r.scenario),
      maxChars: Math.max(share, 400),
    })
      .replace(/^<!--.*?-->\n/, '')
      .replace(/^### .*\n/, '');
    return `<details${r.verdict === 'fail' ? ' open' : ''}><summary>${VERDICT_ICON[r.verdict]} ${code(r.scenario)}</summary>\n\n${body.trim()}\n\n</details>\n`;
  });
  let out = `${head}\n${sections.join('\n')}`;
  // Scenarios so many that even the shortest sections overflow: keep the table, drop sections from the end.
  while (size(out) + size(footer) > (opts.maxChars ?? GITHUB_COMMENT_LIMIT) && sections.length > 0) {
    // Many scenarios: their sections are shares too small to read; keep the table only.
    sections.pop();
    out = `${head}\n${sections.join('\n')}\n_The other scenarios' reports are in their artifacts._\n`;
  }
  return out + footer;
}
