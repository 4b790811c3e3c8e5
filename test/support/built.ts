/**
 * The CLI tests run bin/heapgate.js, which loads build/. Rebuild (once, under a lock shared by
 * parallel workers) when any source file is newer than the last successful build; a build that
 * fails fails the tests that need it, with the compiler's messages.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDirLock } from './lock.js';
import { run } from './run.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const scratch = join(repoRoot, '.heapgate-tmp');
/** Written after a build that tsc finished without errors (a failed tsc still emits files). */
const stamp = join(scratch, 'build.ok');
const entry = join(repoRoot, 'build', 'bundle', 'cli.cjs');

function fresh(): boolean {
  if (!existsSync(stamp) || !existsSync(entry)) return false;
  const inputs = Math.max(
    newestMtime(join(repoRoot, 'src')),
    statSync(join(repoRoot, 'tsconfig.json')).mtimeMs,
    statSync(join(repoRoot, 'tsconfig.build.json')).mtimeMs,
  );
  return statSync(stamp).mtimeMs >= inputs;
}

/** Runs tsc -p tsconfig.build.json in `root`; throws with tsc's output when it reports errors. */
export async function buildOrThrow(root = repoRoot): Promise<void> {
  const stamp = join(root, '.heapgate-tmp', 'build.ok');
  rmSync(stamp, { force: true });
  const tsc = await run(
    process.execPath,
    [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root },
  );
  if (tsc.status !== 0) {
    const output = `${tsc.stdout ?? ''}${tsc.stderr ?? ''}`.trim() || `signal ${tsc.signal}`;
    throw new Error(
      `npm run build failed (tsc exit ${tsc.status}); the CLI tests would run stale code:\n${output}`,
    );
  }
  if (!existsSync(join(root, 'build', 'cli', 'main.js')))
    throw new Error('npm run build did not produce build/cli/main.js');
  // bin/heapgate.js runs the bundle of the compiled CLI (the second step of npm run build).
  if (existsSync(join(root, 'build', 'cli', 'entry.js'))) {
    const bundle = await run(
      process.execPath,
      [join(repoRoot, 'scripts', 'bundle-cli.mjs'), '--root', root],
      { cwd: root },
    );
    if (bundle.status !== 0)
      throw new Error(`bundling the CLI failed:\n${`${bundle.stdout ?? ''}${bundle.stderr ?? ''}`.trim()}`);
  }
  mkdirSync(join(root, '.heapgate-tmp'), { recursive: true });
  writeFileSync(stamp, new Date().toISOString());
}

let built: Promise<void> | undefined;

/** Makes sure build/ holds a successful build of the current sources (once per worker). */
export function ensureBuilt(): Promise<void> {
  built ??= (async () => {
    if (fresh()) return;
    mkdirSync(scratch, { recursive: true });
    await withDirLock(join(scratch, 'build.lock'), async () => {
      if (!fresh()) await buildOrThrow();
    });
  })();
  return built;
}
