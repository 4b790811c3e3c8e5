/**
 * End to end on the real LeakScenarios app: a baseline from a clean `steady` run gates each leak
 * scenario (the real CLI, real dotnet-gcdump snapshots), and repeated clean runs raise no error.
 * Oracles: the app's documented leaked types and counts (test/support/scenario.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/report/checkReport.js';
import { runCli } from '../support/cli.js';
import {
  collectScenarioSnapshots,
  expectedLeakCount,
  LEAKED_TYPE,
  withScenario,
  type LeakScenarioName,
} from '../support/scenario.js';
import { ensureBuilt } from '../support/built.js';

const RULES = ['--rules', 'builtin:default', '--rules', 'builtin:dotnet-leak-patterns'];
const CHECKPOINT = 'round-3';
let dir: string;
let baseline: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'heapgate-check-e2e-'));
  const steady = (await collectScenarioSnapshots('steady', { checkpoints: [CHECKPOINT] }))[CHECKPOINT];
  baseline = join(dir, 'baselines', 'steady.json');
  const rec = await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', baseline]);
  expect(rec.code, rec.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(
  snapshots: string[],
  extra: string[] = [],
): Promise<{ code: number; report: CheckReport; stderr: string }> {
  const r = await runCli([
    'check',
    ...snapshots,
    '--baseline',
    baseline,
    ...RULES,
    '--format',
    'json',
    ...extra,
  ]);
  return { code: r.code, report: JSON.parse(r.stdout || '{}') as CheckReport, stderr: r.stderr };
}

describe('leak scenarios fail the gate', () => {
  const leaks: LeakScenarioName[] = ['static-list', 'event-handler', 'timer', 'cache'];
  it.each(leaks)('%s', async (name) => {
    const snap = (await collectScenarioSnapshots(name, { checkpoints: [CHECKPOINT] }))[CHECKPOINT];
    const { code, report, stderr } = await check([snap]);
    expect(code, stderr).toBe(1);
    expect(report.verdict).toBe('fail');
    const leaked = LEAKED_TYPE[name];
    const finding = report.findings.find((f) => f.status === 'fail' && f.subject === leaked);
    expect(
      finding,
      `no failing finding for ${leaked}: ${report.findings.map((f) => f.subject).join(', ')}`,
    ).toBeDefined();
    // The steady baseline has none of the leaked type: its growth is the app's documented count.
    expect(finding).toMatchObject({
      check: 'new-type',
      metric: 'count',
      actual: expectedLeakCount(name, CHECKPOINT),
      severity: 'error',
    });
    expect(report.findings[0].subject).toBe(leaked); // the leaked type leads the report, not its strings
    // Evidence from the real object graph: every leaked instance is accounted for by the clusters.
    const ev = finding?.evidence?.[0];
    expect(ev?.instances).toBe(expectedLeakCount(name, CHECKPOINT));
    expect(ev?.clusters.length).toBeGreaterThan(0);
    expect(ev?.clusters[0].sample.steps.at(-1)?.address).toMatch(/^0x[0-9a-f]+$/);
    // New in this run, so all it retains is what fixing the leak frees.
    expect(ev?.retainedDelta).toBe(ev?.retainedBytes);
    expect(ev?.retainedBytes).toBeGreaterThanOrEqual(ev?.bytes ?? Infinity);

    const md = await runCli(['check', snap, '--baseline', baseline, ...RULES, '--format', 'md']);
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(
      new RegExp(`Why <code>${leaked.replace(/\./g, '\\.')}</code> is alive: .* · fixing this frees ~`),
    );
    expect(md.stdout.split('\n')[1]).toContain(
      `<code>${leaked}</code> new type ${expectedLeakCount(name, CHECKPOINT).toLocaleString('en-US')} objects`,
    );
  });

  it('the timer leak is also named by the leak-pattern rules', async () => {
    const snap = (await collectScenarioSnapshots('timer', { checkpoints: [CHECKPOINT] }))[CHECKPOINT];
    const { report } = await check([snap]);
    const timer = report.findings.find(
      (f) => f.rule.id === 'timer-accumulation' && f.subject === 'System.Threading.Timer',
    );
    expect(timer).toMatchObject({ status: 'fail', actual: expectedLeakCount('timer', CHECKPOINT) });
  });
});

describe('clean runs', () => {
  it('ten repeated clean steady runs raise no error finding under the shipped rules', async () => {
    const snaps: string[] = [];
    for (let i = 0; i < 10; i++) {
      const file = join(dir, `steady-run-${i}.gcdump`);
      await withScenario('steady', {}, async (s) => {
        while ((await s.checkpoint()) !== CHECKPOINT) s.continue();
        await s.gcdump(file);
      });
      snaps.push(file);
    }
    const noise: string[] = [];
    for (const snap of snaps) {
      const { code, report, stderr } = await check([snap]);
      expect(code, stderr).toBe(0);
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(['pass', 'warn']).toContain(report.verdict);
      const moved = report.diff.types.filter((t) => t.countDelta !== 0);
      noise.push(
        `${moved.length} types moved, max |Δcount| ${Math.max(0, ...moved.map((t) => Math.abs(t.countDelta)))}`,
      );
    }
    // Several clean runs combined by median pass as well.
    const combined = await check(snaps.slice(0, 3));
    expect(combined.code).toBe(0);
    expect(combined.report.meta.head.combined).toBe('median');
    process.stderr.write(`steady run-to-run noise vs baseline: ${noise.join('; ')}\n`);
  }, 600_000);
});
