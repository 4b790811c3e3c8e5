/**
 * File globs for the `snapshots` input: `*` and `?` within a path segment, `**` across folders.
 * Patterns are relative to the working directory; matches come back sorted, so head order (and the
 * report) does not depend on the file system.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export function expandGlobs(patterns: readonly string[], cwd: string): string[] {
  const found = new Set<string>();
  for (const pattern of patterns) for (const f of expandOne(pattern, cwd)) found.add(f);
  return [...found].sort();
}

function expandOne(pattern: string, cwd: string): string[] {
  const normalised = pattern.replace(/\\/g, '/');
  const parts = normalised.split('/');
  // The literal leading folders are the root of the walk.
  const literal: string[] = [];
  while (parts.length > 1 && !/[*?[]/.test(parts[0])) literal.push(parts.shift() as string);
  const rootText = literal.join('/') || (isAbsolute(normalised) ? '/' : '.');
  const root = isAbsolute(rootText) ? rootText : resolve(cwd, rootText);
  if (parts.length === 1 && !/[*?[]/.test(parts[0]))
    return existsFile(join(root, parts[0])) ? [join(root, parts[0])] : [];
  const re = toRegExp(parts.join('/'));
  return walk(root).filter((f) => re.test(relative(root, f).split(sep).join('/')));
}

function toRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders.
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Files under `root`, iteratively; dot-folders such as .git are skipped. */
function walk(root: string): string[] {
  const files: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') stack.push(full);
      } else if (e.isFile()) files.push(full);
    }
  }
  return files;
}

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
