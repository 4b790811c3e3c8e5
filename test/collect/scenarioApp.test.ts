import { describe, expect, it } from 'vitest';
import {
  collectScenarioSnapshots,
  expectedLeakCount,
  LEAKED_TYPE,
  withScenario,
  type LeakScenarioName,
} from '../support/scenario.js';
import { gcdumpReport } from '../support/tools.js';
import { reportCounts, reportTotalObjects } from '../support/referenceText.js';

// The app's documented known counts, checked with the reference tool (dotnet-gcdump report).

const LEAKS: LeakScenarioName[] = ['static-list', 'event-handler', 'timer', 'cache', 'slow-leak'];

describe('LeakScenarios known counts (dotnet-gcdump report as the oracle)', () => {
  it.each(LEAKS)('%s: the leaked type has (1 + r) × K instances at every checkpoint', async (name) => {
    const perRound = name === 'slow-leak' ? 3 : 250;
    const files = await collectScenarioSnapshots(name, { rounds: 2, perRound });
    expect(Object.keys(files)).toEqual(['warmup', 'round-1', 'round-2']);
    for (const [label, file] of Object.entries(files)) {
      const counts = reportCounts(await gcdumpReport(file));
      expect(counts.get(LEAKED_TYPE[name]), `${name} at ${label}`).toBe(
        expectedLeakCount(name, label, perRound),
      );
    }
  });

  it('timer: every leaked payload keeps its Timer, its closure and the runtime timer entry alive', async () => {
    const files = await collectScenarioSnapshots('timer', { rounds: 2, perRound: 250 });
    const counts = reportCounts(await gcdumpReport(files['round-2']));
    expect(counts.get('System.Threading.Timer')).toBe(750);
    expect(counts.get('System.Threading.TimerQueueTimer')).toBeGreaterThanOrEqual(750);
  });

  it('default per-round counts are the documented ones (1000, and 3 for slow-leak)', async () => {
    const files = await collectScenarioSnapshots('static-list', { rounds: 1, checkpoints: ['round-1'] });
    expect(reportCounts(await gcdumpReport(files['round-1'])).get(LEAKED_TYPE['static-list'])).toBe(2000);
    const slow = await collectScenarioSnapshots('slow-leak', { rounds: 1, checkpoints: ['round-1'] });
    expect(reportCounts(await gcdumpReport(slow['round-1'])).get(LEAKED_TYPE['slow-leak'])).toBe(6);
  });

  it('steady: after the warm-up snapshot no type count changes from round to round', async () => {
    // The first collection in a process makes the runtime build EventSource/reflection caches;
    // the warm-up snapshot absorbs that, as a soak analysis that skips warm-up rounds does.
    const files = await collectScenarioSnapshots('steady', { rounds: 3 });
    const rounds = await Promise.all(
      ['round-1', 'round-2', 'round-3'].map(async (l) => reportCounts(await gcdumpReport(files[l]))),
    );
    expect(rounds[0].get('HeapgateScenarios.Steady.WorkItem')).toBe(64);
    expect(Object.fromEntries(rounds[1])).toEqual(Object.fromEntries(rounds[0]));
    expect(Object.fromEntries(rounds[2])).toEqual(Object.fromEntries(rounds[0]));
  });

  it('slow-leak: only SlowLeakItem (and its byte[] state) grows between rounds', async () => {
    const files = await collectScenarioSnapshots('slow-leak', { rounds: 3 });
    const r1 = reportCounts(await gcdumpReport(files['round-1']));
    const r3 = reportCounts(await gcdumpReport(files['round-3']));
    const grown = new Map(
      [...r3]
        .filter(([type, count]) => count !== (r1.get(type) ?? 0))
        .map(([type, count]) => [type, count - (r1.get(type) ?? 0)]),
    );
    // Two rounds × 3 items, each with its 16-byte state array.
    expect(Object.fromEntries(grown)).toEqual({
      'HeapgateScenarios.Leaks.SlowLeakItem': 6,
      'System.Byte[]': 6,
    });
  });

  it('snapshots are cached for the whole test run, in the folder global setup created', async () => {
    const first = await collectScenarioSnapshots('cache', {
      rounds: 1,
      perRound: 5,
      checkpoints: ['round-1'],
    });
    const again = await collectScenarioSnapshots('cache', {
      rounds: 1,
      perRound: 5,
      checkpoints: ['round-1'],
    });
    expect(again).toEqual(first);
    const cacheDir = process.env.HEAPGATE_TEST_CACHE_DIR;
    expect(cacheDir).toMatch(/heapgate-test-cache-/);
    expect(first['round-1'].startsWith(cacheDir!)).toBe(true);
    const other = await collectScenarioSnapshots('cache', {
      rounds: 1,
      perRound: 6,
      checkpoints: ['round-1'],
    });
    expect(other['round-1']).not.toBe(first['round-1']);
  });

  it('chain: exactly M ChainNode objects at the single "ready" checkpoint', async () => {
    const files = await collectScenarioSnapshots('chain', { objects: 200_000 });
    expect(Object.keys(files)).toEqual(['ready']);
    expect(reportCounts(await gcdumpReport(files.ready)).get('HeapgateScenarios.Graph.ChainNode')).toBe(
      200_000,
    );
  });

  it('big: builds at least M live objects quickly', async () => {
    const objects = 1_000_000;
    const started = Date.now();
    await withScenario('big', { objects }, async (s) => {
      expect(await s.checkpoint()).toBe('ready');
      const buildMs = Date.now() - started;
      expect(buildMs).toBeLessThan(30_000);
      const report = await gcdumpReport(await s.gcdump());
      expect(reportTotalObjects(report)).toBeGreaterThanOrEqual(objects);
      const counts = reportCounts(report);
      for (const type of ['Customer', 'Order', 'OrderLine', 'Product']) {
        expect(counts.get(`HeapgateScenarios.Big.${type}`), type).toBeGreaterThan(0);
      }
    });
  });
});
