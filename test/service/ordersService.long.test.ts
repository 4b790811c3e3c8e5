/**
 * Long, real-process test: the OrdersService ASP.NET Core app (EF Core + SQLite, IHttpClientFactory
 * to a second loopback service, IMemoryCache, a BackgroundService, JSON logging) under autocannon
 * load, snapshotted by the real `heapgate collect` at the driver's checkpoints and gated by the real
 * `heapgate check` with the shipped rules.
 *
 * - A baseline is recorded from BASELINE_RUNS clean runs; CHECKED_CLEAN_RUNS further clean runs
 *   checked against it raise no error finding (no false alarm).
 * - Each leak switch alone fails the gate, naming the type it leaks (the app's documented type),
 *   with the object that holds it on the first evidence path.
 *
 * Each run sends 2,000 requests (500 warm-up + 3 rounds of 500); a third of them place an order,
 * and each leak retains at most one object per request. Runs go two at a time. Set
 * HEAPGATE_SKIP_LONG=1 to leave this file out of a quick local run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/report/checkReport.js';
import { ensureBuilt } from '../support/built.js';
import { runCli } from '../support/cli.js';
import {
  buildOrdersService,
  collectServiceRun,
  SERVICE_LEAK,
  SERVICE_LEAKS,
  type ServiceLeak,
  type ServiceRunOptions,
} from '../support/ordersService.js';

const BASELINE_RUNS = 3;
const CHECKED_CLEAN_RUNS = 2;
const LAST = 'round-3';
const RULES = ['--rules', 'builtin:default', '--rules', 'builtin:dotnet-leak-patterns'];
const skip = process.env.HEAPGATE_SKIP_LONG === '1';

let dir: string;
let baseline: string;
const clean: string[] = [];
const leaked = new Map<ServiceLeak, string>();

/** Runs the jobs at most `limit` at a time (the service, its upstream and autocannon per run). */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

async function run(name: string, options: ServiceRunOptions = {}): Promise<string> {
  const { files, seconds } = await collectServiceRun(join(dir, name), options);
  process.stderr.write(`OrdersService run ${name}: ${seconds.toFixed(0)} s\n`);
  return files[LAST];
}

async function check(head: string): Promise<{ code: number; report: CheckReport; stderr: string }> {
  const r = await runCli(['check', head, '--baseline', baseline, ...RULES, '--format', 'json'], {
    timeoutMs: 300_000,
  });
  return { code: r.code, report: JSON.parse(r.stdout || '{}') as CheckReport, stderr: r.stderr };
}

beforeAll(async () => {
  if (skip) return;
  await Promise.all([ensureBuilt(), buildOrdersService()]);
  dir = mkdtempSync(join(tmpdir(), 'heapgate-orders-'));
  const cleanRuns = BASELINE_RUNS + CHECKED_CLEAN_RUNS;
  const jobs: Array<() => Promise<void>> = [
    ...Array.from({ length: cleanRuns }, (_, i) => async () => {
      clean[i] = await run(`clean-${i + 1}`);
    }),
    ...SERVICE_LEAKS.map((leak) => async () => {
      leaked.set(leak, await run(leak, { leak }));
    }),
  ];
  await pool(jobs, 2);
  baseline = join(dir, 'baselines', 'orders.json');
  const rec = await runCli([
    'baseline',
    'record',
    ...clean.slice(0, BASELINE_RUNS),
    '--scenario',
    'orders',
    '--out',
    baseline,
  ]);
  expect(rec.code, rec.stderr).toBe(0);
}, 3_600_000);

afterAll(() => {
  if (dir !== undefined && process.env.HEAPGATE_KEEP_TEST_FILES !== '1')
    rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('[long, real processes] OrdersService under load', () => {
  it(`${CHECKED_CLEAN_RUNS} clean runs against a baseline of ${BASELINE_RUNS}: no error finding`, async () => {
    for (const head of clean.slice(BASELINE_RUNS)) {
      const { code, report, stderr } = await check(head);
      const errors = report.findings.filter((f) => f.status === 'fail');
      expect(
        errors.map((f) => `${f.subject}: ${f.check} ${f.base} -> ${f.head}`),
        stderr,
      ).toEqual([]);
      expect(code, stderr).toBe(0);
    }
  }, 600_000);

  it.each(SERVICE_LEAKS)(
    'leak %s fails the gate, naming the leaked type and its holder',
    async (leak) => {
      const { code, report, stderr } = await check(leaked.get(leak) ?? '');
      expect(code, stderr).toBe(1);
      expect(report.verdict).toBe('fail');
      const { type, holder } = SERVICE_LEAK[leak];
      const finding = report.findings.find((f) => f.status === 'fail' && f.subject === type);
      expect(
        finding,
        `no error finding for ${type}; failing: ${report.findings.map((f) => f.subject).join(', ')}`,
      ).toBeDefined();
      // The evidence's first cluster holds the instances through the object that accumulates them.
      const cluster = finding?.evidence?.[0]?.clusters[0];
      expect(cluster?.holders).toContain(holder);
    },
    300_000,
  );
});
