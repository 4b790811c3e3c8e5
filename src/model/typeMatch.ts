/** Type-name matching shared by CLI filters and rules. */

/**
 * A glob test: `*` is any run of characters, `?` is one character, everything else is literal;
 * anchored at both ends. Matched without regular expressions, in O(name × glob) time at worst
 * (a star only ever resumes from the last star seen), so no glob can blow up on a long name.
 */
export function globTest(glob: string, opts: { ignoreCase?: boolean } = {}): (name: string) => boolean {
  const fold = (s: string) => (opts.ignoreCase ? s.toLowerCase() : s);
  const pattern = Array.from(fold(glob));
  return (name) => {
    const folded = fold(name);
    // Code points, so `?` takes a whole character; plain indexing when there are no surrogate pairs.
    return globMatches(pattern, /[\uD800-\uDFFF]/.test(folded) ? Array.from(folded) : folded);
  };
}

function globMatches(p: ArrayLike<string>, s: ArrayLike<string>): boolean {
  let pi = 0;
  let si = 0;
  let star = -1;
  let resume = 0;
  while (si < s.length) {
    if (pi < p.length && p[pi] === '*') {
      star = pi++;
      resume = si;
    } else if (pi < p.length && (p[pi] === '?' || p[pi] === s[si])) {
      pi++;
      si++;
    } else if (star >= 0) {
      // Let the last star take one more character and try again from there.
      pi = star + 1;
      si = ++resume;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * The `--type` filter: a glob when the pattern has `*` or `?`, else a substring (as SOS
 * `!DumpHeap -type` does). Case-insensitive, since users type names from memory.
 */
export function typeFilter(pattern: string): (name: string) => boolean {
  if (/[*?]/.test(pattern)) return globTest(pattern, { ignoreCase: true });
  const needle = pattern.toLowerCase();
  return (name) => name.toLowerCase().includes(needle);
}
