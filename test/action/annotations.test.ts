/**
 * Annotations a reviewer can click: a broken rules file fails the bundled Action with one error
 * annotation per problem, carrying the file, line and column, and no stack trace; a finding is an
 * error (failing rule) or warning/notice (warn-severity rule) annotation on the line of the rule
 * that made it in the workspace's rules file, or without a file for a shipped rule set.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { ActionFixture, dumpheapStat, sha } from './fixture.js';

let fx: ActionFixture;
beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
  fx.github.commits = [sha('a1'), sha('a0')];
});
afterAll(async () => {
  await fx.stop();
});

it('rules-file problems become ::error file=…,line=…,col=… annotations', async () => {
  const head = join(fx.dir, 'head.txt');
  writeFileSync(head, dumpheapStat([['System.String', 1000, 64_000]]));
  // The runner's workspace is <run dir>/workspace; the rules file sits in a folder of it.
  const r = await fx.push(
    sha('a1'),
    { snapshots: head, rules: 'config/heapgate.yml' },
    {
      prepare: (workspace) => {
        mkdirSync(join(workspace, 'config'), { recursive: true });
        writeFileSync(
          join(workspace, 'config', 'heapgate.yml'),
          'version: 1\nrules:\n  - id: big\n    match: "*"\n    max-cuont: 10\n',
        );
      },
    },
  );
  expect(r.code).toBe(1);
  const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
  expect(errors.length).toBeGreaterThanOrEqual(1);
  for (const e of errors)
    expect(e).toMatch(
      /^::error title=heapgate%3A rules file,file=config\/heapgate\.yml,line=\d+,col=\d+::\S/,
    );
  expect(errors.join('\n')).toMatch(/line=5,col=5::.*max-cuont/);
  expect(r.stdout).not.toMatch(/^\s+at /m);
  expect(r.summary).toContain('heapgate could not complete');
});

it('mode: record writes a job summary: the scenario, the commit, the top types', async () => {
  const head = join(fx.dir, 'record.txt');
  writeFileSync(
    head,
    dumpheapStat([
      ['System.String', 1000, 64_000],
      ['Shop.<Orders>.Cache', 50, 4_000_000],
    ]),
  );
  const r = await fx.push(sha('a1'), { snapshots: head, mode: 'record', scenario: 'rec' });
  expect(r.code, r.stdout).toBe(0);
  expect(r.outputs.status).toBe('recorded');
  expect(r.summary).toContain(
    `### heapgate: baseline of <code>rec</code> for <code>${sha('a1').slice(0, 10)}</code>`,
  );
  expect(r.summary).toContain('Recorded as the heapgate-baseline-rec artifact');
  expect(r.summary).toContain('<code>Shop.&lt;Orders&gt;.Cache</code>');
  expect(r.summary.indexOf('Shop.&lt;Orders')).toBeLessThan(r.summary.indexOf('System.String'));
});

/** The workflow commands a step printed that annotate (error, warning, notice). */
function annotations(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^::(error|warning|notice)[ :]/.test(l));
}

/** 1-based line and column of `needle` in `text`. */
function position(text: string, needle: string): { line: number; col: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`${needle} not in the rules file`);
  return { line: line + 1, col: lines[line].indexOf(needle) + 1 };
}

it('findings point at the rule in the workspace rules file, relative to working-directory', async () => {
  const rules = [
    'version: 1',
    'rules:',
    '  # fails: more Shop caches than allowed',
    '  - id: cache-cap',
    "    match: 'Shop.*'",
    '    max-count: 10',
    '    message: caches must be bounded',
    '    severity: error',
    '  - id: string-watch',
    '    match: System.String',
    '    max-count: 500',
    '    severity: warning',
    '  - id: byte-note',
    "    match: 'System.Byte[]'",
    '    max-count: 1',
    '    severity: notice',
    '',
  ].join('\n');
  // A type name from the analysed process with characters a workflow command must escape.
  const leaky = 'Shop.Cache<100%,key:value>';
  const base = join(fx.dir, 'findings-base.txt');
  writeFileSync(
    base,
    dumpheapStat([
      ['System.String', 1000, 64_000],
      ['System.Byte[]', 2, 200],
      [leaky, 4, 400],
    ]),
  );
  const head = join(fx.dir, 'findings-head.txt');
  writeFileSync(
    head,
    dumpheapStat([
      ['System.String', 1000, 64_000],
      ['System.Byte[]', 2, 200],
      [leaky, 40, 4_000],
    ]),
  );
  const r = await fx.push(
    sha('a1'),
    {
      snapshots: head,
      baseline: base,
      'working-directory': 'app',
      rules: 'config/heapgate.yml',
      scenario: 'cards',
      'record-baseline': 'false',
      comment: 'off',
    },
    {
      prepare: (workspace) => {
        mkdirSync(join(workspace, 'app', 'config'), { recursive: true });
        writeFileSync(join(workspace, 'app', 'config', 'heapgate.yml'), rules);
      },
    },
  );
  expect(r.code, r.stdout + r.stderr).toBe(1);
  const at = (id: string) => {
    const p = position(rules, `- id: ${id}`);
    // The rule's position is its mapping: the `id` key after the dash.
    return `file=app/config/heapgate.yml,line=${p.line},col=${p.col + 2}`;
  };
  const found = annotations(r.stdout);
  expect(found).toContain(
    `::error title=heapgate cards%3A rule cache-cap,${at('cache-cap')}::Shop.Cache<100%25,key:value>: max count 40 objects, limit ≤ 10 — caches must be bounded`,
  );
  expect(found).toContain(
    `::warning title=heapgate cards%3A rule string-watch,${at('string-watch')}::System.String: max count 1,000 objects, limit ≤ 500`,
  );
  expect(found).toContain(
    `::notice title=heapgate cards%3A rule byte-note,${at('byte-note')}::System.Byte[]: max count 2 objects, limit ≤ 1`,
  );
  // One annotation per finding, and the gate's own failure line, without a position.
  expect(found).toHaveLength(4);
  expect(found.filter((l) => l.startsWith('::error::heapgate: memory gate failed'))).toHaveLength(1);
});

it('a shipped rule set has no file in the repository: its findings are annotations without one', async () => {
  const r = await fx.push(
    sha('a1'),
    {
      snapshots: 'examples/leaky-cache.gcdump',
      baseline: 'baselines/example.json',
      scenario: 'example',
      'record-baseline': 'false',
      comment: 'off',
    },
    {
      prepare: (workspace) => {
        for (const dir of ['examples', 'baselines'])
          cpSync(join(repoRoot, dir), join(workspace, dir), { recursive: true });
      },
    },
  );
  expect(r.code, r.stdout + r.stderr).toBe(1);
  const findings = annotations(r.stdout).filter((l) =>
    l.startsWith('::error title=heapgate example%3A rule '),
  );
  expect(findings.length).toBe(Number(r.outputs.errors));
  expect(findings.length).toBeGreaterThan(0);
  for (const l of findings) expect(l).toMatch(/^::error title=heapgate example%3A rule [\w-]+::\S/);
  expect(findings.join('\n')).toMatch(/rule type-growth::.*CacheEntry/);
});

it('more findings than GitHub shows per step: the first ones, then how many more the summary has', async () => {
  const rules = "version: 1\nrules:\n  - id: cap\n    match: 'Many.*'\n    max-count: 1\n";
  const head = join(fx.dir, 'many.txt');
  writeFileSync(
    head,
    dumpheapStat(Array.from({ length: 14 }, (_, i): [string, number, number] => [`Many.T${i}`, 5, 500 + i])),
  );
  const r = await fx.push(
    sha('a1'),
    { snapshots: head, baseline: head, rules: 'heapgate.yml', 'record-baseline': 'false', comment: 'off' },
    { prepare: (workspace) => writeFileSync(join(workspace, 'heapgate.yml'), rules) },
  );
  expect(r.code, r.stdout + r.stderr).toBe(1);
  const errors = annotations(r.stdout).filter((l) => l.startsWith('::error'));
  // 8 findings, the "more" line and the gate's failure: GitHub shows 10 errors per step.
  expect(errors).toHaveLength(10);
  expect(errors.filter((l) => l.includes(',file=heapgate.yml,line=3,col=5::Many.T'))).toHaveLength(8);
  expect(errors).toContain(
    '::error title=heapgate default::… and 6 more failing findings: see the job summary',
  );
});
