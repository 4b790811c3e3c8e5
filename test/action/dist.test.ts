/** The committed bundle is what the sources build to (a runner executes dist/, not the sources). */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { run } from '../support/run.js';

it('dist/ is up to date with the sources', async () => {
  const r = await run(process.execPath, [join(repoRoot, 'scripts', 'build-action.mjs'), '--check']);
  expect(r.status, `${r.stderr}${r.stdout}`).toBe(0);
  expect(r.stdout).toContain('dist/ is up to date');
});
