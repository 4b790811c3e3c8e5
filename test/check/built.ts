/**
 * The CLI tests run bin/heapgate.js, which loads build/. Rebuild (once, under a lock shared by
 * parallel workers) when any source file is newer than the build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/cli.js';
import { withDirLock } from '../support/lock.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export async function ensureBuilt(): Promise<void> {
  const stamp = join(repoRoot, 'build', 'cli', 'main.js');
  const fresh = () => existsSync(stamp) && statSync(stamp).mtimeMs >= newestMtime(join(repoRoot, 'src'));
  if (fresh()) return;
  // .heapgate-tmp/ is git-ignored scratch space.
  mkdirSync(join(repoRoot, '.heapgate-tmp'), { recursive: true });
  await withDirLock(join(repoRoot, '.heapgate-tmp', 'build.lock'), async () => {
    if (fresh()) return;
    // tsc emits even when some other file has a type error; the CLI paths under test still run.
    spawnSync(
      process.execPath,
      [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      { cwd: repoRoot, stdio: 'ignore' },
    );
  });
  if (!existsSync(stamp)) throw new Error('npm run build did not produce build/cli/main.js');
}
