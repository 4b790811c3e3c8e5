/**
 * `heapgate calibrate` through the real CLI: bands from a baseline's samples, and a rules file that
 * lets a type that is noisier than builtin:default move within its measured noise, while growth
 * beyond that noise still fails the gate.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Calibration } from '../../src/calibrate/noise.js';
import type { CheckReport } from '../../src/report/checkReport.js';
import { ensureBuilt } from '../support/built.js';
import { runCli } from '../support/cli.js';

let dir: string;

function writeBaseline(name: string, types: Record<string, { count: number[]; bytes: number[] }>): string {
  const runs = Object.values(types)[0].count.length;
  const lower = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];
  const file = join(dir, `${name}.json`);
  const b = {
    schemaVersion: 1,
    scenario: 'svc',
    createdAt: '2026-01-01T00:00:00.000Z',
    tool: 'heapgate test',
    statistic: 'median',
    estimated: false,
    estimateReasons: [],
    samples: Array.from({ length: runs }, (_, i) => ({
      source: `run-${i}.gcdump`,
      format: 'gcdump',
      estimated: false,
      estimateReasons: [],
      totals: { objects: 100_000, bytes: 10_000_000 },
    })),
    totals: { objects: 100_000, bytes: 10_000_000 },
    types: Object.fromEntries(
      Object.entries(types).map(([t, s]) => [
        t,
        { count: lower(s.count), bytes: lower(s.bytes), ...(runs > 1 ? { samples: s } : {}) },
      ]),
    ),
  };
  writeFileSync(file, JSON.stringify(b, null, 2));
  return file;
}

const steady = { count: [7, 7, 7, 7, 7], bytes: [168, 168, 168, 168, 168] };
let base: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'heapgate-calibrate-'));
  // App.Buffers: median 400, MAD 300 -> calibrated tolerance 1,134 at 99% (test/calibrate/noise.test.ts)
  base = writeBaseline('base', {
    'App.Buffers': { count: [100, 700, 400, 1000, 50], bytes: [1e4, 1e4, 1e4, 1e4, 1e4] },
    'App.Steady': steady,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(head: string, rules: string[]) {
  const r = await runCli(['check', head, '--baseline', base, ...rules, '--format', 'json']);
  return { ...r, report: JSON.parse(r.stdout || '{}') as CheckReport };
}

describe('heapgate calibrate', () => {
  it('prints the bands as JSON and writes a rules file that the gate uses', async () => {
    const rulesOut = join(dir, 'calibrated.yml');
    const r = await runCli(['calibrate', base, '--json', '--rules-out', rulesOut]);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout) as Calibration;
    expect(c).toMatchObject({ schemaVersion: 1, scenario: 'svc', runs: 5, confidence: 0.99, steadyTypes: 1 });
    expect(c.moving.map((t) => [t.name, t.count.tolerance, t.count.detectable])).toEqual([
      ['App.Buffers', 1134, 1135],
    ]);

    // +1,000 Buffers: beyond the default's 500, within the measured noise.
    const within = writeBaseline('within', {
      'App.Buffers': { count: [1400], bytes: [1e4] },
      'App.Steady': steady,
    });
    const plain = await check(within, ['--rules', 'builtin:default']);
    expect(plain.code, plain.stderr).toBe(1);
    const calibrated = await check(within, ['--rules', 'builtin:default', '--rules', rulesOut]);
    expect(calibrated.code, calibrated.stderr).toBe(0);
    expect(calibrated.report.suppressed.map((f) => f.subject)).toEqual(['App.Buffers']);

    // +1,200: beyond the measured noise too.
    const beyond = writeBaseline('beyond', {
      'App.Buffers': { count: [1600], bytes: [1e4] },
      'App.Steady': steady,
    });
    const fails = await check(beyond, ['--rules', 'builtin:default', '--rules', rulesOut]);
    expect(fails.code, fails.stderr).toBe(1);
    expect(
      fails.report.findings.filter((f) => f.status === 'fail').map((f) => [f.subject, f.rule.id]),
    ).toEqual([['App.Buffers', 'calibrated-1']]);
  });

  it('text output names the noisy type', async () => {
    const r = await runCli(['calibrate', base]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/5 clean runs, 99\.0% confidence/);
    expect(r.stdout).toMatch(/App\.Buffers \(!\)\s+50–1,000\s+300\s+\+1,135/);
  });

  it('a baseline of one run is a usage error (exit 2, one line)', async () => {
    const one = writeBaseline('one', { 'App.Steady': { count: [7], bytes: [168] } });
    const r = await runCli(['calibrate', one]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/several clean runs/);
  });
});
