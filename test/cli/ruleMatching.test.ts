/**
 * Rule patterns run against type names from the snapshot under test, so a rules file must not be
 * able to make `check` hang: regexes run on RE2 (linear time), globs on a matcher without
 * backtracking. `/re/flags` is a regex with supported flags or an error, never a literal name.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { runCli } from '../support/cli.js';
import { writeGcdump } from '../support/gcdumpWriter.js';

let dir: string;
let snap: string;
const HOSTILE = 'a'.repeat(41) + '!';
const NAMES = [HOSTILE, 'MyApp.Banana', 'aaaaaaaaaab', 'System.String'];

beforeAll(async () => {
  // Built first, so the time limits below measure the check, not the compiler.
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'heapgate-rule-match-'));
  snap = join(dir, 'names.gcdump');
  writeFileSync(
    snap,
    writeGcdump({
      types: [
        { name: 'UNDEFINED', size: 0 },
        { name: '[.NET Roots]', size: 0 },
        ...NAMES.map((name) => ({ name, size: 32 })),
      ],
      nodes: [
        { type: 1, children: NAMES.map((_, i) => i + 1) },
        ...NAMES.map((_, i) => ({ type: i + 2, address: 0x10000 + i * 0x100 })),
      ],
      root: 0,
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `check` of the snapshot against itself with one rule: every type it matches fails (max-count 0). */
async function checkWithMatch(match: string) {
  const rules = join(dir, 'rules.yml');
  writeFileSync(
    rules,
    `version: 1\nrules:\n  - id: r\n    match: ${JSON.stringify(match)}\n    max-count: 0\n`,
  );
  const started = Date.now();
  const r = await runCli(
    ['check', snap, '--baseline', snap, '--rules', rules, '--format', 'json', '--no-evidence'],
    {
      timeoutMs: 30_000,
    },
  );
  const ms = Date.now() - started;
  const failed =
    r.code === 1
      ? (JSON.parse(r.stdout) as { findings: Array<{ subject: string }> }).findings
          .map((f) => f.subject)
          .sort()
      : [];
  return { ...r, ms, failed, rules };
}

describe('patterns that would backtrack for minutes finish at once', () => {
  it('/(a+)+$/ against a 41-character name', async () => {
    const r = await checkWithMatch('/(a+)+$/');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.failed).toEqual(['MyApp.Banana']);
    expect(r.ms).toBeLessThan(15_000);
  });

  it('a 10-star glob against the same name', async () => {
    const r = await checkWithMatch('*a*a*a*a*a*a*a*a*a*a*b');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.failed).toEqual(['aaaaaaaaaab']);
    expect(r.ms).toBeLessThan(15_000);
  });
});

describe('/regex/flags', () => {
  it('i is supported', async () => {
    const r = await checkWithMatch('/system\\.string$/i');
    expect(r.code).toBe(1);
    expect(r.failed).toEqual(['System.String']);
  });

  it('g is an error naming file, line and column, not a literal type name', async () => {
    const r = await checkWithMatch('/String$/g');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${r.rules}:4:12`);
    expect(r.stderr).toMatch(/flag 'g' in \/String\$\/g/);
  });

  it('syntax RE2 does not have is an error', async () => {
    const r = await checkWithMatch('/(a)\\1/');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid regex: .*RE2 syntax/);
  });
});
