/**
 * `heapgate ab` through the real CLI with real runs of the scenario app: base and head alternate,
 * each run gives a .gcdump, and the head runs are gated against a baseline of the base runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../src/baseline/schema.js';
import type { CheckReport } from '../../src/report/checkReport.js';
import { runCli } from '../support/cli.js';
import { expectedLeakCount, LEAKED_TYPE, scenarioAppDll } from '../support/scenario.js';

const scratch = mkdtempSync(join(tmpdir(), 'heapgate-ab-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const app = (args: string) => `dotnet "${scenarioAppDll()}" ${args}`;
const STEADY = app('steady --rounds 2');

async function ab(name: string, head: string, extra: string[] = []) {
  const out = join(scratch, name);
  const r = await runCli([
    'ab',
    '--base',
    STEADY,
    '--head',
    head,
    '--runs',
    '3',
    '--checkpoint',
    'round-2',
    '--out',
    out,
    '--rules',
    'builtin:default',
    '--format',
    'json',
    '-q',
    ...extra,
  ]);
  return { ...r, out, report: JSON.parse(r.stdout || '{}') as CheckReport };
}

describe('heapgate ab', () => {
  it('a leaking head fails against the base runs of the same job, with the runs in alternating order', async () => {
    const r = await ab('leak', app('cache --rounds 2 --per-round 300'));
    expect(r.code, r.stderr).toBe(1);
    const leaked = LEAKED_TYPE.cache;
    const finding = r.report.findings.find((f) => f.subject === leaked);
    expect(finding).toMatchObject({
      status: 'fail',
      check: 'new-type',
      head: expectedLeakCount('cache', 'round-2', 300),
    });
    expect(r.report.meta.ab).toEqual({
      runsPerSide: 3,
      order: ['base-1', 'head-1', 'head-2', 'base-2', 'base-3', 'head-3'],
    });
    // The runs happened in that order: each side's announcement line on stderr.
    const ran = [...r.stderr.matchAll(/^heapgate ab: run (\w+-\d)/gm)].map((m) => m[1]);
    expect(ran).toEqual(r.report.meta.ab?.order);
    expect(r.report.meta.head.sources).toEqual(
      [1, 2, 3].map((i) => join(r.out, `head-${i}`, 'round-2.gcdump')),
    );
    // The base side is kept as a baseline of three samples, the source of the noise model.
    const baseline = JSON.parse(readFileSync(join(r.out, 'baseline.json'), 'utf8')) as Baseline;
    expect(baseline.samples.map((s) => s.source)).toEqual(
      [1, 2, 3].map((i) => join(r.out, `base-${i}`, 'round-2.gcdump')),
    );
    expect(baseline.types[leaked]).toBeUndefined();
    expect(r.report.meta.baseline.noise).toMatchObject({ runs: 3, confidence: 0.99 });
  });

  it('the same build on both sides passes', async () => {
    const r = await ab('same', STEADY);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.findings.filter((f) => f.status === 'fail')).toEqual([]);
  });

  it('a run that fails is one error line naming the run (exit 2)', async () => {
    const r = await runCli([
      'ab',
      '--base',
      'exit 3',
      '--head',
      STEADY,
      '--runs',
      '1',
      '--out',
      join(scratch, 'bad'),
      '-q',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exit 3/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
