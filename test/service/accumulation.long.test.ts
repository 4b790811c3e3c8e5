/**
 * Long, real-process test: for each of OrdersService's ten seeded leaks (DI singletons and scopes,
 * an event's delegate list, IMemoryCache, static lists, IOptionsMonitor change callbacks, a
 * DiagnosticListener, an unbounded channel, SemaphoreSlim waiters, System.Timers.Timer per order),
 * the real `heapgate check` names the accumulation point and its owner in the first evidence line —
 * in JSON and in the terminal text — on a .gcdump collected by the real `heapgate collect` under
 * autocannon load.
 *
 * Each run sends 2,000 requests (a third place an order; each leak keeps one object per order); the
 * baseline is one clean run. Runs go two at a time. HEAPGATE_SKIP_LONG=1 leaves this file out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortTypeName } from '../../src/graph/accumulation.js';
import type { CheckReport } from '../../src/report/checkReport.js';
import { ensureBuilt } from '../support/built.js';
import { runCli } from '../support/cli.js';
import {
  buildOrdersService,
  collectServiceRun,
  FRAMEWORK_LEAKS,
  LEAK_ACCUMULATION,
  SERVICE_LEAKS,
  type AnyServiceLeak,
} from '../support/ordersService.js';

const LAST = 'round-3';
const RULES = ['--rules', 'builtin:default', '--rules', 'builtin:dotnet-leak-patterns'];
const LEAKS: readonly AnyServiceLeak[] = [...SERVICE_LEAKS, ...FRAMEWORK_LEAKS];
const skip = process.env.HEAPGATE_SKIP_LONG === '1';

let dir: string;
let baseline: string;
const heads = new Map<AnyServiceLeak, string>();

async function pool(jobs: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

beforeAll(async () => {
  if (skip) return;
  await Promise.all([ensureBuilt(), buildOrdersService()]);
  dir = mkdtempSync(join(tmpdir(), 'heapgate-accumulation-'));
  let clean = '';
  await pool(
    [
      async () => {
        clean = (await collectServiceRun(join(dir, 'clean'))).files[LAST];
      },
      ...LEAKS.map((leak) => async () => {
        const { files, seconds } = await collectServiceRun(join(dir, leak), { leak });
        process.stderr.write(`OrdersService run ${leak}: ${seconds.toFixed(0)} s\n`);
        heads.set(leak, files[LAST]);
      }),
    ],
    // One service at a time: two under load on two cores time requests out, and the driver
    // rightly fails a run with a failed request.
    1,
  );
  baseline = join(dir, 'orders.json');
  const rec = await runCli(['baseline', 'record', clean, '--scenario', 'orders', '--out', baseline]);
  expect(rec.code, rec.stderr).toBe(0);
}, 3_600_000);

afterAll(() => {
  if (dir !== undefined && process.env.HEAPGATE_KEEP_TEST_FILES !== '1')
    rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)(
  '[long, real processes] OrdersService: the first evidence line names the accumulation point',
  () => {
    it.each(LEAKS)(
      '%s',
      async (leak) => {
        const want = LEAK_ACCUMULATION[leak];
        const head = heads.get(leak) ?? '';
        const json = await runCli(['check', head, '--baseline', baseline, ...RULES, '--format', 'json'], {
          timeoutMs: 300_000,
        });
        expect(json.code, json.stderr).toBe(1);
        const report = JSON.parse(json.stdout) as CheckReport;
        const finding = report.findings.find((f) => f.status === 'fail' && f.subject === want.type);
        expect(
          finding,
          `no error finding for ${want.type}; failing: ${report.findings.map((f) => f.subject).join(', ')}`,
        ).toBeDefined();
        const ev = finding?.evidence?.find((e) => e.type === want.type);
        const point = ev?.accumulation?.[0];
        expect(point, `no accumulation point for ${want.type}`).toBeDefined();
        if (!ev || !point) return;
        // Every leaked instance is in that one structure (one per order; the app documents the holder).
        expect(point.count / ev.instances).toBeGreaterThan(0.9);
        expect(point.count).toBeGreaterThanOrEqual(500);
        expect({
          kind: point.kind,
          holder: point.holder.type,
          field: point.holder.field,
          owner: point.owner?.type,
          reachedFrom: point.reachedFrom,
        }).toEqual({
          kind: want.kind,
          holder: want.holder,
          field: want.field,
          owner: want.owner,
          reachedFrom: want.reachedFrom,
        });
        if (want.via !== undefined) expect(point.holder.via).toBe(want.via);
        // The full root path stays available below it, and root paths that only enter the same
        // structure from other roots (the timer list from three statics) are one cluster.
        expect(ev.clusters.length).toBeGreaterThan(0);
        expect(ev.clusters[0].count).toBeGreaterThanOrEqual(point.count);

        // The shipped rule for this framework shape fails the framework type, and its message and
        // the type's own first evidence line name the same accumulation point.
        if (want.rule) {
          const { id, subject } = want.rule;
          const mine = report.findings.filter(
            (f) => f.subject === subject && [f.rule.id, ...(f.alsoBy ?? []).map((r) => r.id)].includes(id),
          );
          expect(
            mine.map((f) => f.status),
            `${id} did not fail ${subject}`,
          ).toContain('fail');
          const holderName = shortTypeName(want.holder).replace(/<.*$/, '');
          expect(mine.map((f) => f.message ?? '').join(' ')).toContain(holderName);
          const own = report.findings
            .filter((f) => f.subject === subject)
            .flatMap((f) => f.evidence ?? [])
            .find((e) => e.type === subject)?.accumulation?.[0];
          expect(own?.holder.type).toBe(want.holder);
        }

        // The terminal report: the first evidence line under the type is this point.
        const text = await runCli(['check', head, '--baseline', baseline, ...RULES, '--format', 'text'], {
          timeoutMs: 300_000,
        });
        expect(text.code, text.stderr).toBe(1);
        const lines = text.stdout.split('\n');
        const at = lines.findIndex((l) => l.startsWith(`  - ${want.type}`));
        expect(at, text.stdout).toBeGreaterThanOrEqual(0);
        let i = at + 1;
        while (lines[i]?.startsWith('    hint ')) i++;
        let first = lines[i] ?? '';
        for (let j = i + 1; lines[j]?.startsWith('        ') && !lines[j].trimStart().startsWith('->'); j++)
          first += ` ${lines[j].trim()}`;
        expect(first).toMatch(new RegExp(`^    [\\d,]+ x ${want.type.replace(/\./g, '\\.')} held by `));
        expect(first).toContain(`reached from ${want.reachedFrom}`);
        const holderBase = shortTypeName(want.holder).replace(/<.*$/, '');
        expect(first).toContain(holderBase);
      },
      600_000,
    );
  },
);
