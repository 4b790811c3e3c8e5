/**
 * A last guard on comment size: the report renderer already budgets its output, but a body that
 * still exceeds GitHub's limit would make the API call fail and lose the comment altogether.
 */
import { GITHUB_COMMENT_LIMIT, size } from '../report/budget.js';

export function fitComment(body: string, note: string, limit = GITHUB_COMMENT_LIMIT): string {
  if (size(body) <= limit) return body;
  const tail = `\n\n> [!NOTE]\n> ${note}\n`;
  const room = limit - size(tail);
  // Cut whole lines, then drop any partial code fence or details block cleanly by closing it.
  const lines = body.split('\n');
  const kept: string[] = [];
  let used = 0;
  let fence = false;
  let details = 0;
  const closers = () => (fence ? 4 : 0) + details * 12;
  for (const line of lines) {
    const cost = size(line) + 1;
    if (used + cost + closers() + 16 > room) break;
    kept.push(line);
    used += cost;
    if (/^\s*```/.test(line)) fence = !fence;
    if (/<details>/.test(line)) details++;
    if (/<\/details>/.test(line)) details = Math.max(0, details - 1);
  }
  if (fence) kept.push('```');
  for (let i = 0; i < details; i++) kept.push('</details>');
  return kept.join('\n') + tail;
}
