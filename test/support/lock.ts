/**
 * A cross-process lock on a directory name (mkdir is atomic), so concurrent vitest workers and
 * concurrent test runs build the scenario app, or collect the same cached snapshot, only once.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `fn` while holding the lock `lockDir`; a lock whose owner died, or that is older than `staleMs`, is taken over. */
export async function withDirLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  staleMs = 10 * 60_000,
): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'owner'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (isStale(lockDir, staleMs)) rmSync(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function isStale(lockDir: string, staleMs: number): boolean {
  try {
    if (Date.now() - statSync(lockDir).mtimeMs > staleMs) return true;
    const owner = Number(readFileSync(join(lockDir, 'owner'), 'utf8'));
    if (!Number.isInteger(owner) || owner <= 0) return false; // being written right now
    process.kill(owner, 0);
    return false;
  } catch (err) {
    // ESRCH from process.kill: the owner is gone. ENOENT: the lock vanished meanwhile; retry.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
