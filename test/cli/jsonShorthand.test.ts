/** `--json` is `--format json` for the gate commands, as it is for stat, diff and roots. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { CHECK_REPORT_SCHEMA_VERSION } from '../../src/report/checkReport.js';

const CHECK = [
  'check',
  'examples/leaky-cache.gcdump',
  '--baseline',
  'baselines/example.json',
  '--no-evidence',
];

describe('--json on check', () => {
  it('prints the same report as --format json', async () => {
    const short = await runCli([...CHECK, '--json']);
    const long = await runCli([...CHECK, '--format', 'json']);
    expect(short.code).toBe(1);
    const strip = (text: string) => ({ ...(JSON.parse(text) as object), generatedAt: '' });
    expect(strip(short.stdout)).toEqual(strip(long.stdout));
    expect(JSON.parse(short.stdout)).toMatchObject({
      schemaVersion: CHECK_REPORT_SCHEMA_VERSION,
      verdict: 'fail',
    });
  });

  it('with another --format is a usage error', async () => {
    const r = await runCli([...CHECK, '--json', '--format', 'md']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'--json' cannot be used with option '--format/);
  });
});
