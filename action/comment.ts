/** Upserting the one pull request comment per scenario, found again by the report's hidden marker. */
import { decideComment, type CommentMode } from '../src/ci/commentPolicy.js';
import { fitComment } from '../src/ci/fitComment.js';
import type { Verdict } from '../src/rules/findings.js';
import { httpStatus, type GitHubApi } from './github.js';

export type CommentOutcome =
  | { kind: 'created' | 'updated'; id: number }
  | { kind: 'skipped'; reason: string }
  /** The token may not comment (a fork's pull request, or missing `pull-requests: write`). */
  | { kind: 'forbidden'; status: number };

export interface UpsertInput {
  issue: number;
  marker: string;
  body: string;
  mode: CommentMode;
  verdict: Verdict;
  /** Mentioned when the body has to be cut. */
  fullReport: string;
}

export async function upsertComment(api: GitHubApi, input: UpsertInput): Promise<CommentOutcome> {
  const body = fitComment(
    input.body,
    `This comment was cut to fit GitHub's 65,536-character limit; the full report is in ${input.fullReport}.`,
  );
  try {
    const existing = input.mode === 'off' ? undefined : await api.findComment(input.issue, input.marker);
    const action = decideComment({
      mode: input.mode,
      verdict: input.verdict,
      body,
      ...(existing ? { existing } : {}),
    });
    switch (action.kind) {
      case 'skip':
        return { kind: 'skipped', reason: action.reason };
      case 'create':
        return { kind: 'created', id: await api.createComment(input.issue, body) };
      case 'update':
        await api.updateComment(action.id, body);
        return { kind: 'updated', id: action.id };
    }
  } catch (err) {
    const status = httpStatus(err);
    if (status === 403 || status === 404) return { kind: 'forbidden', status };
    throw err;
  }
}
