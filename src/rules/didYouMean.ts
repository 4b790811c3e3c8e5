/** "did you mean" suggestions for misspelt keys. */

/** Levenshtein distance; keys are short, so the O(n*m) table is fine. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

// maxCount, max_count and MAX-COUNT all mean max-count.
const fold = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');

/** The closest candidate within a third of the key's length (at least 2 edits), else undefined. */
export function didYouMean(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = fold(key) === fold(c) ? 0 : editDistance(key.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return bestDist <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}
