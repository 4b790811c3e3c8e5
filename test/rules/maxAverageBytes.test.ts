/**
 * `max-average-bytes` — a rule kind added as one file in src/rules/kinds/ and one registry line:
 * parsed, evaluated by check, worded in every report, and accepted by the Action's report mode.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResultFile } from '../../action/resultFile.js';
import { runCli } from '../support/cli.js';

const TYPE = 'Entry<System.Int32,HeapgateScenarios.Leaks.CacheEntry>[]';

function rules(limit: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapgate-avg-'));
  const file = join(dir, 'rules.yml');
  writeFileSync(
    file,
    `version: 1\nrules:\n  - id: big-arrays\n    match: '*[]'\n    max-average-bytes: ${limit}\n    new-types: allow\n`,
  );
  return file;
}

async function check(limit: string) {
  return runCli([
    'check',
    'examples/leaky-cache.gcdump',
    '--baseline',
    'baselines/example.json',
    '--rules',
    rules(limit),
    '--json',
  ]);
}

describe('max-average-bytes', () => {
  it('fails the array types whose instances average more than the limit, with the average as stat computes it', async () => {
    const stat = await runCli(['stat', 'examples/leaky-cache.gcdump', '--json', '--type', '*[]']);
    const arrays = (JSON.parse(stat.stdout) as { types: { name: string; count: number; bytes: number }[] })
      .types;
    const over = arrays.filter((t) => t.bytes / t.count > 16 * 1024).map((t) => t.name);
    expect(over).toContain(TYPE);

    const r = await check('16KB');
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as {
      findings: { subject: string; check: string; actual: number; limit: number }[];
    };
    expect(json.findings.map((f) => f.subject).sort()).toEqual([...over].sort());
    for (const f of json.findings) {
      const t = arrays.find((a) => a.name === f.subject)!;
      expect(f).toMatchObject({ check: 'max-average-bytes', limit: 16384 });
      expect(f.actual).toBeCloseTo(t.bytes / t.count, 6);
    }
    // The Action's report mode reads this result file, check and all.
    const parsed = parseResultFile(r.stdout);
    expect(parsed.ok, parsed.ok ? '' : parsed.problem).toBe(true);
  });

  it('passes when every average is within the limit, and reads in text as an average size', async () => {
    expect((await check('1MB')).code).toBe(0);
    const text = await runCli([
      'check',
      'examples/leaky-cache.gcdump',
      '--baseline',
      'baselines/example.json',
      '--rules',
      rules('16KB'),
    ]);
    expect(text.stdout).toMatch(/average size\s+94\.9 KiB per object\s+≤ 16\.0 KiB/);
  });

  it('refuses a value that is not a size, at its position', async () => {
    const r = await runCli([
      'check',
      'examples/leaky-cache.gcdump',
      '--baseline',
      'baselines/example.json',
      '--rules',
      rules('big'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rules\.yml:5:24: .*'big' is not a size/);
  });
});
