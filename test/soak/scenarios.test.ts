/**
 * Soak mode end to end on the real LeakScenarios app through the real CLI (bin/heapgate.js), with
 * real dotnet-gcdump snapshots: `slow-leak` (3 SlowLeakItem per round, held by a static list) is
 * flagged within 6 rounds with the right holder; `steady` over the same rounds is not.
 * Oracles: the app's documented counts and LEAK_ROOT (test/support/scenario.ts).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoakReport } from '../../src/soak/report.js';
import { ensureBuilt } from '../support/built.js';
import { runCli } from '../support/cli.js';
import {
  collectScenarioSnapshots,
  expectedLeakCount,
  LEAK_ROOT,
  LEAKED_TYPE,
  scenarioAppDll,
} from '../support/scenario.js';

const ROUNDS = 6;
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'heapgate-soak-e2e-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function soakRun(scenario: 'slow-leak' | 'steady', extra: string[] = []) {
  const out = join(dir, scenario);
  const r = await runCli(
    [
      'soak',
      '--rounds',
      String(ROUNDS),
      '--out',
      out,
      '--format',
      'json',
      '--rules',
      'builtin:soak',
      '-q',
      ...extra,
      '--',
      'dotnet',
      scenarioAppDll(),
      scenario,
      '--rounds',
      '50', // the app would go on; --rounds 6 stops it
    ],
    { timeoutMs: 240_000 },
  );
  return { ...r, report: JSON.parse(r.stdout || '{}') as SoakReport, out };
}

describe('heapgate soak on the real app', () => {
  it('slow-leak fails within 6 rounds, naming SlowLeakItem and the static list that holds it', async () => {
    const { code, report, stderr, out } = await soakRun('slow-leak');
    expect(code, stderr).toBe(1);
    expect(report.verdict).toBe('fail');
    // warm-up + 6 rounds were collected, then the scenario was stopped.
    expect(report.series.points.map((p) => p.label)).toEqual([
      'warmup',
      ...Array.from({ length: ROUNDS }, (_, i) => `round-${i + 1}`),
    ]);
    expect(report.series.points.map((p) => p.warmup)).toEqual([true, ...Array<boolean>(ROUNDS).fill(false)]);
    expect(readdirSync(out).filter((f) => f.endsWith('.gcdump'))).toHaveLength(ROUNDS + 1);

    const lead = report.findings[0];
    expect(lead).toMatchObject({
      subject: LEAKED_TYPE['slow-leak'],
      status: 'fail',
      check: 'trend-grows',
      metric: 'count',
      base: expectedLeakCount('slow-leak', 'round-1'),
      head: expectedLeakCount('slow-leak', `round-${ROUNDS}`),
      actual: ROUNDS - 1,
    });
    const t = report.types.find((x) => x.name === LEAKED_TYPE['slow-leak']);
    expect(t?.count.values).toEqual(
      Array.from({ length: ROUNDS }, (_, i) => expectedLeakCount('slow-leak', `round-${i + 1}`)),
    );
    expect(t?.count.slopePerRound).toBe(3); // the app's --per-round default
    // The first evidence line names the holder: the static field and the list it holds.
    const cluster = lead.evidence?.[0]?.clusters[0];
    const root = LEAK_ROOT['slow-leak'];
    expect(cluster?.rootKind).toBe('static field');
    expect(cluster?.rootName).toMatch(new RegExp(`(^|\\.)${root.field}$`));
    expect(cluster?.holders[0]).toBe(root.holderType);
    expect(cluster?.count).toBe(expectedLeakCount('slow-leak', `round-${ROUNDS}`));
    expect(report.meta.evidenceFrom).toMatch(new RegExp(`round-${ROUNDS}\\.gcdump$`));
    // Nothing in the app but the leak (and its byte[] payloads) grows.
    const flagged = new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.subject));
    expect([...flagged].sort()).toEqual([LEAKED_TYPE['slow-leak'], 'System.Byte[]'].sort());
  });

  it('steady over the same rounds passes: no error finding', async () => {
    const { code, report, stderr } = await soakRun('steady');
    expect(code, stderr).toBe(0);
    expect(report.verdict).toBe('pass');
    expect(report.findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(report.series.analysed).toBe(ROUNDS);
  });

  it('markdown for an existing series: a chart, a sparkline, evidence; steady has no chart', async () => {
    const slow = await collectScenarioSnapshots('slow-leak', { rounds: ROUNDS });
    const manifest = join(slow.warmup, '..', 'heapgate-collect.json');
    const md = await runCli([
      'soak',
      '--snapshots',
      manifest,
      '--format',
      'md',
      '--rules',
      'builtin:soak',
      '--scenario',
      'slow-leak',
    ]);
    expect(md.code, md.stderr).toBe(1);
    expect(md.stdout).toContain('```mermaid\nxychart-beta');
    expect(md.stdout).toContain(
      `    line [${Array.from({ length: ROUNDS }, (_, i) => 3 * (i + 2)).join(', ')}]`,
    );
    expect(md.stdout).toContain('▁▂▄▅▇█');
    expect(md.stdout).toMatch(/held by static field <code>s&#95;items<\/code>/);

    const steady = await collectScenarioSnapshots('steady', { rounds: ROUNDS });
    // Files in shell-glob order (round-1 … warmup): the manifest next to them restores the run's order.
    const files = Object.values(steady).sort();
    const ok = await runCli(['soak', '--snapshots', ...files, '--format', 'md', '--rules', 'builtin:soak']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('### ✅ heapgate soak: no type keeps growing');
    expect(ok.stdout).toContain('after 1 warm-up snapshot (<code>warmup</code>)');
    expect(ok.stdout).not.toContain('```mermaid');
  });

  it('usage errors exit 2 with a clear message', async () => {
    const none = await runCli(['soak']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to soak/);
    const rules = join(dir, 'no-trend.yml');
    writeFileSync(rules, "rules:\n  - match: '*'\n    max-count: 5\n");
    const noTrend = await runCli(['soak', '--rules', rules, '--snapshots', rules]);
    expect(noTrend.code).toBe(2);
    expect(noTrend.stderr).toMatch(/has a 'trend:' block/);
    const bad = await runCli(['soak', '--rules', 'builtin:soak', '--snapshots', join(dir, 'missing.gcdump')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/missing\.gcdump: no such file/);
  });

  it('the JSON written to --output is the documented schema', async () => {
    const slow = await collectScenarioSnapshots('slow-leak', { rounds: ROUNDS });
    const output = join(dir, 'report.json');
    const r = await runCli([
      'soak',
      '--snapshots',
      join(slow.warmup, '..'),
      '--format',
      'json',
      '--output',
      output,
      '--rules',
      'builtin:soak',
      '--no-evidence',
    ]);
    expect(r.code).toBe(1);
    const json = JSON.parse(readFileSync(output, 'utf8')) as SoakReport;
    expect(json).toMatchObject({ schema: 'heapgate-soak', schemaVersion: 3, exitCode: 1, verdict: 'fail' });
    expect(json.findings[0].evidence).toBeUndefined();
  });
});
