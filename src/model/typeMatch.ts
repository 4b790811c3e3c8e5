/** Type-name matching shared by CLI filters and rules. */

/** Converts a glob (`*` any run, `?` one character; everything else literal) to an anchored RegExp. */
export function globToRegExp(glob: string, flags = ''): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, flags);
}

/**
 * The `--type` filter: a glob when the pattern has `*` or `?`, else a substring (as SOS
 * `!DumpHeap -type` does). Case-insensitive, since users type names from memory.
 */
export function typeFilter(pattern: string): (name: string) => boolean {
  if (/[*?]/.test(pattern)) {
    const re = globToRegExp(pattern, 'i');
    return (name) => re.test(name);
  }
  const needle = pattern.toLowerCase();
  return (name) => name.toLowerCase().includes(needle);
}
