/** The committed bundle is what the sources build to (a runner executes dist/, not the sources). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

it('dist/ is up to date with the sources', () => {
  let output = '';
  try {
    output = execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-action.mjs'), '--check'], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    expect.fail(`${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
  expect(output).toContain('dist/ is up to date');
});
