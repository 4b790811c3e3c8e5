/**
 * Exit codes of the real CLI: 2 for usage and input errors, 3 for internal errors (bugs), never a
 * Node stack trace unless HEAPGATE_DEBUG=1. Internal errors are provoked by loading a module into
 * the CLI's process (NODE_OPTIONS=--import) that breaks a built-in the command uses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { runCli } from '../support/cli.js';

let dir: string;
const STACK_LINE = /^\s+at .*\(?.*:\d+:\d+\)?$/m;

/** Writes a module that, loaded before the CLI, makes JSON.stringify misbehave in the given way. */
function fault(name: string, body: string): NodeJS.ProcessEnv {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `const original = JSON.stringify;\nJSON.stringify = function (...args) {\n${body}\n};\n`,
  );
  return { NODE_OPTIONS: `--import=${pathToFileURL(file).href}` };
}

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'heapgate-exit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('internal errors exit 3 with one line and a hint to report', () => {
  const cases: Array<[string, string]> = [
    ['thrown in a command', "throw new TypeError('injected fault');"],
    [
      'thrown later from an event',
      "setImmediate(() => { throw new TypeError('injected fault'); }); return original.apply(this, args);",
    ],
    [
      'an unhandled rejection',
      "Promise.reject(new TypeError('injected fault')); return original.apply(this, args);",
    ],
  ];
  for (const [what, body] of cases) {
    it(what, async () => {
      const env = fault(what.replace(/\W+/g, '-'), body);
      const r = await runCli(['stat', 'examples/steady.gcdump', '--json'], { env });
      expect(r.code, r.stderr).toBe(3);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toEqual([
        'heapgate: internal error: TypeError: injected fault',
        expect.stringMatching(
          /^heapgate: this is a bug in heapgate [\d.]+; please report it .*HEAPGATE_DEBUG=1/,
        ),
      ]);
      expect(r.stderr).not.toMatch(STACK_LINE);

      const debug = await runCli(['stat', 'examples/steady.gcdump', '--json'], {
        env: { ...env, HEAPGATE_DEBUG: '1' },
      });
      expect(debug.code).toBe(3);
      expect(debug.stderr).toContain('heapgate: internal error: TypeError: injected fault');
      expect(debug.stderr).toMatch(STACK_LINE);
    });
  }
});

describe('usage and input errors exit 2 with one line', () => {
  it('an output path that is a directory', async () => {
    const r = await runCli([
      'check',
      'examples/leaky-cache.gcdump',
      '--baseline',
      'baselines/example.json',
      '--output',
      dir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`heapgate: ${dir}: is a directory\n`);
  });

  it('the gate failing is exit 1, not an error', async () => {
    const r = await runCli(['check', 'examples/leaky-cache.gcdump', '--baseline', 'baselines/example.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^heapgate check: FAIL/);
  });
});
