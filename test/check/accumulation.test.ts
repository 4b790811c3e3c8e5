/**
 * Real processes: the LeakScenarios app's leaks, snapshotted with the real dotnet-gcdump and gated by
 * the real CLI; the first evidence line of each leaked type names the structure the app documents
 * (a static List, a static event's delegate list, the runtime timer queue, a static Dictionary).
 * With a .gcdump as the baseline, the place that gained instances leads (quote-history); the
 * unbounded-channel rule fires on a real channel backlog and names the channel (outbox).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/report/checkReport.js';
import { ensureBuilt } from '../support/built.js';
import { runCli } from '../support/cli.js';
import { collectScenarioSnapshots, LEAKED_TYPE, type LeakScenarioName } from '../support/scenario.js';

const CHECKPOINT = 'round-3';
let dir: string;
let baseline: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'heapgate-accumulation-e2e-'));
  const steady = (await collectScenarioSnapshots('steady', { checkpoints: [CHECKPOINT] }))[CHECKPOINT];
  baseline = join(dir, 'steady.json');
  const rec = await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', baseline]);
  expect(rec.code, rec.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The app's documented holders (README of test/apps/LeakScenarios), as the first evidence line names them. */
const EXPECTED: Record<
  Exclude<LeakScenarioName, 'slow-leak'>,
  { kind: string; holder: string; field?: string; reachedFrom: string; line: string }
> = {
  'static-list': {
    kind: 'collection',
    holder: 'System.Collections.Generic.List<HeapgateScenarios.Leaks.LeakedOrder>',
    field: '_items',
    reachedFrom: 'static field s_orders',
    line: 'held by List<HeapgateScenarios.Leaks.LeakedOrder>._items (collection: 4,000 of 4,000 instances',
  },
  'event-handler': {
    kind: 'delegate invocation list',
    holder: 'System.EventHandler<System.Decimal>',
    field: '_invocationList',
    reachedFrom: 'static field PriceChanged',
    line: 'held by EventHandler<Decimal>._invocationList (delegate invocation list: 4,000 of 4,000 instances',
  },
  timer: {
    kind: 'timer list',
    holder: 'System.Threading.TimerQueue',
    field: '_shortTimers/_longTimers',
    reachedFrom: 'the runtime timer queues (static TimerQueue.Instances)',
    line: 'held by TimerQueue._shortTimers/_longTimers (timer list: 4,000 of 4,000 instances',
  },
  cache: {
    kind: 'collection',
    holder: 'System.Collections.Generic.Dictionary<System.Int32,HeapgateScenarios.Leaks.CacheEntry>',
    field: '_entries',
    reachedFrom: 'static field s_entries',
    line: 'held by Dictionary<Int32,HeapgateScenarios.Leaks.CacheEntry>._entries (collection: 4,000 of 4,000 instances',
  },
};

describe('LeakScenarios: the first evidence line names where the leak accumulates', () => {
  it.each(Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>)('%s', async (name) => {
    const want = EXPECTED[name];
    const snap = (await collectScenarioSnapshots(name, { checkpoints: [CHECKPOINT] }))[CHECKPOINT];
    const r = await runCli(['check', snap, '--baseline', baseline, '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as CheckReport;
    const type = LEAKED_TYPE[name];
    const ev = report.findings.flatMap((f) => f.evidence ?? []).find((e) => e.type === type);
    const point = ev?.accumulation?.[0];
    expect(point, `no accumulation point for ${type}`).toBeDefined();
    // (1 + 3) × 1,000 leaked at round-3 (the app's known count), all in the one structure.
    expect(point?.count).toBe(4000);
    expect({
      kind: point?.kind,
      holder: point?.holder.type,
      field: point?.holder.field,
      reachedFrom: point?.reachedFrom,
    }).toEqual({ kind: want.kind, holder: want.holder, field: want.field, reachedFrom: want.reachedFrom });
    expect(point?.summary).toContain(want.line);

    const text = await runCli(['check', snap, '--baseline', baseline, '--format', 'text']);
    const lines = text.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`  - ${type}`));
    let i = at + 1;
    while (lines[i]?.startsWith('    hint ')) i++;
    expect(lines[i]).toMatch(new RegExp(`^    4,000 x ${type.replace(/\./g, '\\.')} held by `));
  });
});

describe('a baseline snapshot with an object graph: the place that grew leads', () => {
  it('quote-history: the history list that gained 3,000 leads, not the larger fixed catalog', async () => {
    const snaps = await collectScenarioSnapshots('quote-history', { checkpoints: ['warmup', CHECKPOINT] });
    const type = 'HeapgateScenarios.Leaks.PriceQuote';
    const first = (report: CheckReport) =>
      report.findings.flatMap((f) => f.evidence ?? []).find((e) => e.type === type);

    // The app's known counts: a catalog of 10 × 1,000 built before warmup, and a history of
    // 1,000 at warmup and (1 + 3) × 1,000 at round-3.
    const r = await runCli(['check', snaps[CHECKPOINT], '--baseline', snaps.warmup, '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.schemaVersion).toBe(4);
    const ev = first(report);
    expect(ev?.instances).toBe(14_000);
    const [lead, next] = ev?.accumulation ?? [];
    expect({ count: lead?.count, reachedFrom: lead?.reachedFrom, since: lead?.sinceBaseline }).toEqual({
      count: 4000,
      reachedFrom: 'static field s_served',
      since: { baseline: 1000, added: 3000 },
    });
    expect(lead?.summary).toContain('(collection: 4,000 of 14,000 instances, +3,000 since baseline)');
    expect({ count: next?.count, reachedFrom: next?.reachedFrom, since: next?.sinceBaseline }).toEqual({
      count: 10_000,
      reachedFrom: 'static field s_quotes',
      since: { baseline: 10_000, added: 0 },
    });
    const text = await runCli(['check', snaps[CHECKPOINT], '--baseline', snaps.warmup, '--format', 'text']);
    const lines = text.stdout.split('\n');
    let i = lines.findIndex((l) => l.startsWith(`  - ${type}`)) + 1;
    while (lines[i]?.startsWith('    hint ')) i++;
    expect(lines[i]).toMatch(
      /^ {4}4,000 x HeapgateScenarios\.Leaks\.PriceQuote held by .*\+3,000 since baseline/,
    );

    // The same baseline without a graph (recorded JSON): the structure holding most leads.
    const json = join(dir, 'quote-history.json');
    const rec = await runCli([
      'baseline',
      'record',
      snaps.warmup,
      '--scenario',
      'quote-history',
      '--out',
      json,
    ]);
    expect(rec.code, rec.stderr).toBe(0);
    const plain = await runCli(['check', snaps[CHECKPOINT], '--baseline', json, '--format', 'json']);
    expect(plain.code, plain.stderr).toBe(1);
    const old = first(JSON.parse(plain.stdout) as CheckReport)?.accumulation?.[0];
    expect({ count: old?.count, reachedFrom: old?.reachedFrom, since: old?.sinceBaseline }).toEqual({
      count: 10_000,
      reachedFrom: 'static field s_quotes',
      since: undefined,
    });
  });
});

describe('dotnet-leak-patterns: an unbounded channel nobody reads', () => {
  it('outbox: unbounded-channel-growth fires on the queue storage and names the channel as the accumulation point', async () => {
    const snaps = await collectScenarioSnapshots('outbox', { checkpoints: ['warmup', CHECKPOINT] });
    const json = join(dir, 'outbox.json');
    const rec = await runCli(['baseline', 'record', snaps.warmup, '--scenario', 'outbox', '--out', json]);
    expect(rec.code, rec.stderr).toBe(0);
    const r = await runCli([
      'check',
      snaps[CHECKPOINT],
      '--baseline',
      json,
      '--rules',
      'builtin:default',
      '--rules',
      'builtin:dotnet-leak-patterns',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as CheckReport;
    const message = 'HeapgateScenarios.Leaks.OutboxMessage';
    const channel = `System.Threading.Channels.UnboundedChannel<${message}>`;

    // The app's known backlog: 100,000 messages at warmup, (1 + 3) × 100,000 at round-3. The
    // channel's ConcurrentQueue keeps them in segments of 32, 64, 128, … slots: the fewest n with
    // 32 × (2^n − 1) slots for them, one Slot<T>[] array each.
    const segments = (items: number) => Math.ceil(Math.log2(items / 32 + 1));
    const storage = `Slot<${message}>[]`;
    const rule = report.findings.find(
      (f) => f.rule.id === 'unbounded-channel-growth' && f.subject === storage,
    );
    expect(
      rule,
      `unbounded-channel-growth did not flag ${storage}: ${report.findings.map((f) => `${f.rule.id} ${f.subject}`).join('; ')}`,
    ).toBeDefined();
    expect(rule?.status).toBe('warn');
    expect(report.diff.types.find((t) => t.name === storage)).toMatchObject({
      base: { count: segments(100_000) },
      head: { count: segments(400_000) },
    });
    expect(rule?.message).toContain('UnboundedChannel<T>._items');
    const own = rule?.evidence?.find((e) => e.type === storage)?.accumulation?.[0];
    expect({ kind: own?.kind, holder: own?.holder.type, field: own?.holder.field }).toEqual({
      kind: 'channel',
      holder: channel,
      field: '_items',
    });
    expect(own?.reachedFrom).toBe('static field s_channel');

    // The messages themselves: the first evidence line names the same channel.
    const ev = report.findings.flatMap((f) => f.evidence ?? []).find((e) => e.type === message);
    expect(ev?.instances).toBe(400_000);
    const point = ev?.accumulation?.[0];
    expect({ kind: point?.kind, holder: point?.holder.type, field: point?.holder.field }).toEqual({
      kind: 'channel',
      holder: channel,
      field: '_items',
    });
    expect((point?.count ?? 0) / 400_000).toBeGreaterThan(0.9);
  });
});
