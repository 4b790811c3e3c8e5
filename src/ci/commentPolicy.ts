/** Whether to create, edit or leave the pull request comment, per the `comment` mode. */
import type { Verdict } from '../rules/findings.js';

export type CommentMode = 'always' | 'on-change' | 'on-failure' | 'off';

export type CommentAction =
  { kind: 'create' } | { kind: 'update'; id: number } | { kind: 'skip'; reason: string };

export interface CommentDecisionInput {
  mode: CommentMode;
  verdict: Verdict;
  /** The comment this scenario posted before, found by its hidden marker. */
  existing?: { id: number; body: string };
  body: string;
}

/**
 * An existing comment is always brought up to date (a stale failure must not outlive its fix),
 * unless the mode is off; an identical body is never re-sent, so re-runs notify nobody.
 * New comments are created when the mode asks for one:
 * - always: every run;
 * - on-change: when anything needs attention (a finding of any kind);
 * - on-failure: only when the gate fails.
 */
export function decideComment(input: CommentDecisionInput): CommentAction {
  const { mode, verdict, existing, body } = input;
  if (mode === 'off') return { kind: 'skip', reason: 'comment is off' };
  if (existing) {
    if (normalise(existing.body) === normalise(body))
      return { kind: 'skip', reason: 'the existing comment is already up to date' };
    return { kind: 'update', id: existing.id };
  }
  const wanted =
    mode === 'always' ||
    (mode === 'on-change' && verdict !== 'pass') ||
    (mode === 'on-failure' && verdict === 'fail');
  return wanted
    ? { kind: 'create' }
    : { kind: 'skip', reason: `comment is ${mode} and the result is ${verdict}` };
}

/**
 * Ends the line that links a comment to its run's HTML report. The link names the run, so it
 * changes on every run: bodies are compared without it, and identical results keep the comment
 * (whose link then opens an identical report of an earlier run).
 */
export const REPORT_LINK_MARK = '<!-- heapgate:report-link -->';

/** GitHub may hand bodies back with CRLF line ends. */
function normalise(body: string): string {
  return body
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => !line.endsWith(REPORT_LINK_MARK))
    .join('\n')
    .trimEnd();
}
