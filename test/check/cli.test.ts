import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { collectScenarioSnapshots } from '../support/scenario.js';
import { ensureBuilt } from '../support/built.js';

let dir: string;
let steady: string;
let leak: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'heapgate-check-cli-'));
  steady = (await collectScenarioSnapshots('steady', { checkpoints: ['round-3'] }))['round-3'];
  leak = (await collectScenarioSnapshots('static-list', { checkpoints: ['round-3'] }))['round-3'];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('heapgate baseline', () => {
  it('records, shows, and never silently overwrites', async () => {
    const out = join(dir, 'baselines', 'steady.json');
    const rec = await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', out]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toMatch(/^recorded .*steady\.json: scenario 'steady', 1 sample, \d+ types/);
    const b = JSON.parse(readFileSync(out, 'utf8'));
    expect(b).toMatchObject({
      schemaVersion: 1,
      scenario: 'steady',
      estimated: false,
      samples: [{ format: 'gcdump', creationTool: 'dotnet-gcdump' }],
    });

    const again = await runCli(['baseline', 'record', leak, '--scenario', 'steady', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds a baseline');
    expect(again.stderr).toMatch(/HeapgateScenarios\.Leaks\.LeakedOrder \(new\)/); // what would change
    expect(again.stderr).toContain('pass --force to replace it');

    const other = await runCli([
      'baseline',
      'record',
      leak,
      '--scenario',
      'static-list',
      '--out',
      out,
      '--force',
    ]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("is the baseline of scenario 'steady', not 'static-list'");
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(b);

    const forced = await runCli([
      'baseline',
      'record',
      steady,
      steady,
      '--scenario',
      'steady',
      '--out',
      out,
      '--force',
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).samples).toHaveLength(2);

    const withRetained = join(dir, 'retained.json');
    expect(
      (
        await runCli([
          'baseline',
          'record',
          steady,
          '--scenario',
          'steady',
          '--out',
          withRetained,
          '--retained',
        ])
      ).code,
    ).toBe(0);
    const rb = JSON.parse(readFileSync(withRetained, 'utf8'));
    const entries = Object.values(rb.types) as { bytes: number; retained: number }[];
    expect(entries.every((e) => Number.isInteger(e.retained) && e.retained >= 0)).toBe(true);
    expect(entries.some((e) => e.retained > e.bytes)).toBe(true); // holders retain more than themselves

    const show = await runCli(['baseline', 'show', out]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('scenario    steady');
    expect(show.stdout).toContain('System.String');
  });

  it('--dry-run prints the change as a unified diff and writes nothing', async () => {
    const out = join(dir, 'baselines', 'dry.json');
    const fresh = await runCli([
      'baseline',
      'record',
      steady,
      '--scenario',
      'dry',
      '--out',
      out,
      '--dry-run',
    ]);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toMatch(/^--- .*dry\.json\t\(new file\)$/m);
    expect(() => readFileSync(out)).toThrow();

    expect((await runCli(['baseline', 'record', steady, '--scenario', 'dry', '--out', out])).code).toBe(0);
    const before = readFileSync(out, 'utf8');
    const change = await runCli(['baseline', 'record', leak, '--scenario', 'dry', '--out', out, '--dry-run']);
    expect(change.code, change.stderr).toBe(0);
    // The leaked type is a new line in the file; nothing was written.
    expect(change.stdout).toMatch(/^\+\s+"HeapgateScenarios\.Leaks\.LeakedOrder": \{"count": 4000,/m);
    expect(readFileSync(out, 'utf8')).toBe(before);
  });

  it('refuses to overwrite a file that is not a baseline', async () => {
    const out = join(dir, 'notes.json');
    writeFileSync(out, '{"my": "notes"}');
    const r = await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', out]);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('{"my": "notes"}');
  });
});

describe('heapgate check (CLI contract)', () => {
  it('exit 2 with file:line:col for a bad rules file, before loading snapshots', async () => {
    const rules = join(dir, 'bad.yml');
    writeFileSync(rules, 'rules:\n  - match: "*"\n    max-growht: { count: 0 }\n');
    const r = await runCli(['check', 'does-not-exist.gcdump', '--baseline', 'x.json', '--rules', rules]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`heapgate: ${rules}:3:5: unknown key 'max-growht' (did you mean 'max-growth'?)\n`);
  });

  it('exit 2 for a missing snapshot and for a baseline of another scenario', async () => {
    const missing = await runCli(['check', join(dir, 'nope.gcdump'), '--scenario', 'steady', '--no-record']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.gcdump: no such file');
    const base = join(dir, 'other.json');
    expect((await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', base])).code).toBe(
      0,
    );
    const wrong = await runCli(['check', steady, '--baseline', base, '--scenario', 'cache']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("this baseline is for scenario 'steady', not 'cache'");
  });

  it('first run: records the missing baseline, reports inconclusive, exits 0', async () => {
    const base = join(dir, 'first', 'steady.json');
    const r = await runCli(['check', leak, '--baseline', base, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('inconclusive');
    expect(j.meta.baseline).toMatchObject({ missing: true, recordedTo: base });
    expect(JSON.parse(readFileSync(base, 'utf8')).scenario).toBe('steady');
    // The second run has a baseline and passes against itself.
    const second = await runCli(['check', leak, '--baseline', base]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^heapgate check: PASS/);
  });

  it('writes the report to --output and honours --fail-on never', async () => {
    const base = join(dir, 'fo.json');
    await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', base]);
    const md = join(dir, 'out', 'report.md');
    const r = await runCli([
      'check',
      leak,
      '--baseline',
      base,
      '--format',
      'md',
      '--output',
      md,
      '--fail-on',
      'never',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('heapgate check: fail');
    expect(readFileSync(md, 'utf8')).toMatch(/^<!-- heapgate:report scenario=steady -->\n### ❌/);
  });

  it('diff compares a baseline with a snapshot', async () => {
    const base = join(dir, 'diff.json');
    await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', base]);
    const r = await runCli(['diff', base, leak, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.base.format).toBe('baseline');
    expect(
      j.types.find((t: { name: string }) => t.name === 'HeapgateScenarios.Leaks.LeakedOrder'),
    ).toMatchObject({ status: 'new', countDelta: 4000 });
    const text = await runCli(['diff', steady, leak, '--top', '3']);
    expect(text.stdout).toContain('HeapgateScenarios.Leaks.LeakedOrder (new)');
  });
});
