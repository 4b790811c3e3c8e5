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
    const plain = await check(within, ['--rules', 'builtin:default', '--no-noise']);
    expect(plain.code, plain.stderr).toBe(1);
    const calibrated = await check(within, ['--rules', 'builtin:default', '--rules', rulesOut, '--no-noise']);
    expect(calibrated.code, calibrated.stderr).toBe(0);
    expect(calibrated.report.suppressed.map((f) => f.subject)).toEqual(['App.Buffers']);

    // +1,200: beyond the measured noise too.
    const beyond = writeBaseline('beyond', {
      'App.Buffers': { count: [1600], bytes: [1e4] },
      'App.Steady': steady,
    });
    const fails = await check(beyond, ['--rules', 'builtin:default', '--rules', rulesOut, '--no-noise']);
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

describe('check with a baseline of several clean runs uses its noise model', () => {
  const head = (count: number, steadyCount = 7) =>
    writeBaseline(`head-${count}-${steadyCount}`, {
      'App.Buffers': { count: [count], bytes: [1e4] },
      'App.Steady': { count: [steadyCount], bytes: [steadyCount * 24] },
    });

  it('growth within the measured noise passes; the report says what the model came from', async () => {
    // +1,000 over the median 400: beyond builtin:default's +500, within the tolerance 1,134.
    const r = await check(head(1400), ['--rules', 'builtin:default']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.findings).toEqual([]);
    expect(r.report.meta.baseline.noise).toEqual({ runs: 5, confidence: 0.99, movingTypes: 1 });
    const text = await runCli(['check', head(1400), '--baseline', base, '--rules', 'builtin:default']);
    expect(text.stdout).toMatch(/noise model: 5 clean runs, 99% confidence, 1 type move/);
  });

  it('growth beyond it fails, and the finding gives the bound that decided', async () => {
    const r = await check(head(1600), ['--rules', 'builtin:default']);
    expect(r.code, r.stderr).toBe(1);
    const growth = r.report.findings.filter((f) => f.check === 'growth' && f.metric === 'count');
    expect(growth.map((f) => [f.subject, f.actual, f.limit, f.noise])).toEqual([
      ['App.Buffers', 1200, 1134, { tolerance: 1134, runs: 5, confidence: 0.99 }],
    ]);
    const md = await runCli([
      'check',
      head(1600),
      '--baseline',
      base,
      '--rules',
      'builtin:default',
      '--format',
      'md',
    ]);
    expect(md.stdout).toContain('≤ +1,134 (measured noise, 5 clean runs, 99%)');
  });

  it('a type that never moved keeps its rule limit exactly', async () => {
    // App.Steady was 7 in every run: no noise allowance, so +600 fails on the rule's +500.
    const r = await check(head(400, 607), ['--rules', 'builtin:default']);
    expect(r.code, r.stderr).toBe(1);
    const f = r.report.findings.find((x) => x.subject === 'App.Steady' && x.metric === 'count');
    expect([f?.limit, f?.noise]).toEqual([500, { tolerance: 0, runs: 5, confidence: 0.99 }]);
  });

  it('--confidence changes the tolerance as the normal model says', async () => {
    // z(0.90) = 1.2816; σ = 1.4826 · 300; ⌈z σ √(1 + 1/5)⌉ = 625 > max − median = 600.
    const sigma = 1.4826 * 300;
    const expected = Math.ceil(1.2815515655 * sigma * Math.sqrt(1 + 1 / 5));
    expect(expected).toBe(625);
    const r = await check(head(1400), ['--rules', 'builtin:default', '--confidence', '0.9']);
    expect(r.code, r.stderr).toBe(1);
    const f = r.report.findings.find((x) => x.subject === 'App.Buffers' && x.metric === 'count');
    expect([f?.actual, f?.limit, f?.noise?.tolerance]).toEqual([1000, expected, expected]);
  });

  it('a baseline of two runs has no noise model', async () => {
    const two = writeBaseline('two', { 'App.Buffers': { count: [100, 1000], bytes: [1e4, 1e4] } });
    const r = await runCli([
      'check',
      head(1600),
      '--baseline',
      two,
      '--rules',
      'builtin:default',
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.meta.baseline.noise).toBeUndefined();
    expect(r.code).toBe(1);
  });
});
