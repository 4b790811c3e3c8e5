/**
 * Which recorded baseline a run compares with: the one recorded at the pull request's merge-base,
 * else the newest ancestor of it that has one. Never "the latest recording", which may include
 * changes the pull request does not have.
 */

export interface CandidateCommit {
  sha: string;
  /** Commits between this one and the merge-base (0 = the merge-base itself). */
  distance: number;
}

export interface Recorded<T> {
  commit: string;
  item: T;
}

export interface BaselineChoice<T> {
  item: T;
  commit: string;
  distance: number;
}

/** The first candidate (in order) that has a recording; when one commit has several, the newest wins. */
export function chooseBaseline<T extends { createdAt?: string }>(
  candidates: readonly CandidateCommit[],
  recorded: readonly Recorded<T>[],
): BaselineChoice<T> | undefined {
  const byCommit = new Map<string, T>();
  for (const r of recorded) {
    const prev = byCommit.get(r.commit);
    if (prev === undefined || (r.item.createdAt ?? '') > (prev.createdAt ?? ''))
      byCommit.set(r.commit, r.item);
  }
  for (const c of candidates) {
    const item = byCommit.get(c.sha);
    if (item !== undefined) return { item, commit: c.sha, distance: c.distance };
  }
  return undefined;
}

/** "the merge-base abc1234567" / "abc1234567, 3 commits before the merge-base". */
export function describeChoice(
  choice: { commit: string; distance: number },
  anchor: 'merge-base' | 'parent',
): string {
  const sha = choice.commit.slice(0, 10);
  if (anchor === 'parent')
    return choice.distance === 0
      ? `the parent commit ${sha}`
      : `${sha}, ${choice.distance} commit${choice.distance === 1 ? '' : 's'} before the parent`;
  return choice.distance === 0
    ? `the merge-base ${sha}`
    : `${sha}, the newest ancestor of the merge-base with a baseline (${choice.distance} commit${choice.distance === 1 ? '' : 's'} back)`;
}

/** "3 days old" from two ISO times; undefined when either is missing or unreadable. */
export function ageText(createdAt: string | undefined, now: Date): string | undefined {
  if (createdAt === undefined) return undefined;
  const t = Date.parse(createdAt);
  if (Number.isNaN(t)) return undefined;
  const hours = Math.max(0, (now.getTime() - t) / 3_600_000);
  if (hours < 1) return 'less than an hour old';
  if (hours < 48) return `${Math.floor(hours)} hour${Math.floor(hours) === 1 ? '' : 's'} old`;
  return `${Math.floor(hours / 24)} days old`;
}
