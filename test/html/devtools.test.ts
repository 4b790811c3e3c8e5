/**
 * Exports opened by Chromium's own DevTools: the headless browser's bundled HeapSnapshotWorker loads
 * `heapgate export` output of the scenario app's .gcdumps without an error, its Summary view equals
 * `heapgate stat --json` type by type (both directions), its Comparison view's deltas equal the
 * difference of the two stats, and its Retainers view leads from a leaked object to its static field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { repoRoot, runCli } from '../support/cli.js';
import { writeGcdump } from '../support/gcdumpWriter.js';
import { exportGraph } from '../export/fixtures.js';
import { launchBrowser } from './browser.js';
import { DevToolsHeapSnapshots, type Aggregate } from './devtools.js';

vi.setConfig({ testTimeout: 240_000 });

interface StatJson {
  totals: { objects: number; unreachableObjects: number };
  types: { name: string; count: number; bytes: number }[];
}

let dir: string;
let browser: Browser;
let devtools: DevToolsHeapSnapshots;
const stats = new Map<string, StatJson>();
const snapshots = new Map<string, number>();

async function exportAndLoad(name: string, input: string): Promise<void> {
  const out = join(dir, `${name}.heapsnapshot`);
  const r = await runCli(['export', input, '--format', 'heapsnapshot', '--output', out]);
  expect(r.code).toBe(0);
  const s = await runCli(['stat', input, '--unreachable', '--json']);
  expect(s.code).toBe(0);
  stats.set(name, JSON.parse(s.stdout) as StatJson);
  snapshots.set(name, await devtools.load(out));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heapgate-devtools-'));
  writeFileSync(join(dir, 'odd.gcdump'), writeGcdump(exportGraph()));
  browser = await launchBrowser();
  devtools = await DevToolsHeapSnapshots.open(browser);
  await exportAndLoad('steady', join(repoRoot, 'examples/steady.gcdump'));
  await exportAndLoad('leaky', join(repoRoot, 'examples/leaky-cache.gcdump'));
  await exportAndLoad('odd', join(dir, 'odd.gcdump'));
  // The same heap after a GC that moved one object (App.Unreachable) and nothing else.
  const moved = exportGraph();
  moved.nodes[13].address = 0x7f0000030000;
  writeFileSync(join(dir, 'moved.gcdump'), writeGcdump(moved));
  await exportAndLoad('moved', join(dir, 'moved.gcdump'));
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

function statRows(name: string): Map<string, { count: number; self: number }> {
  return new Map(stats.get(name)!.types.map((t) => [t.name, { count: t.count, self: t.bytes }]));
}

function summaryRows(summary: Map<string, Aggregate>): Map<string, { count: number; self: number }> {
  return new Map([...summary.values()].map((a) => [a.name, { count: a.count, self: a.self }]));
}

describe('Chrome DevTools opens heapgate exports', () => {
  it('loads every export without an error; the only warning is the unreachable objects the .gcdump has', () => {
    // DevTools warns about nodes no root reaches; the .gcdump has them too (stat counts them).
    const expected = [...stats.entries()]
      .filter(([, s]) => s.totals.unreachableObjects > 0)
      .map(([, s]) =>
        expect.stringMatching(
          new RegExp(`^console.warn: Heap snapshot: ${s.totals.unreachableObjects} nodes are unreachable`),
        ),
      );
    expect(devtools.problems).toEqual(expected);
  });

  it.each(['steady', 'leaky', 'odd', 'moved'])(
    'Summary of %s equals heapgate stat, type by type',
    async (name) => {
      const summary = summaryRows(await devtools.summary(snapshots.get(name)!));
      const stat = statRows(name);
      expect(stat.size).toBeGreaterThan(0);
      expect([...stat.keys()].filter((n) => !summary.has(n))).toEqual([]);
      expect([...summary.keys()].filter((n) => !stat.has(n))).toEqual([]);
      for (const [type, row] of stat) expect({ type, ...summary.get(type) }).toEqual({ type, ...row });
    },
  );

  it('Summary gives reachable objects a distance from the roots and retained sizes', async () => {
    const summary = await devtools.summary(snapshots.get('leaky')!);
    const entry = summary.get('HeapgateScenarios.Leaks.CacheEntry')!;
    expect(entry.distance).toBeGreaterThan(1);
    expect(entry.distance).toBeLessThan(20);
    expect(entry.maxRet).toBeGreaterThan(entry.self);
  });

  it('Comparison of leaky against steady: per-type deltas equal the difference of the stats', async () => {
    const diff = await devtools.comparison(snapshots.get('steady')!, snapshots.get('leaky')!);
    const base = statRows('steady');
    const head = statRows('leaky');
    const expected = new Map<string, { countDelta: number; sizeDelta: number }>();
    for (const type of new Set([...base.keys(), ...head.keys()])) {
      const b = base.get(type) ?? { count: 0, self: 0 };
      const h = head.get(type) ?? { count: 0, self: 0 };
      expected.set(type, { countDelta: h.count - b.count, sizeDelta: h.self - b.self });
    }
    for (const [type, d] of diff) {
      expect({ type, countDelta: d.countDelta, sizeDelta: d.sizeDelta }).toEqual({
        type,
        ...expected.get(type),
      });
      expect(d.addedCount - d.removedCount).toBe(d.countDelta);
    }
    // DevTools lists the types that changed; every type whose count or size changed is among them.
    const changed = [...expected].filter(([, e]) => e.countDelta !== 0 || e.sizeDelta !== 0).map(([t]) => t);
    expect(changed.filter((t) => !diff.has(t))).toEqual([]);
    const leak = diff.get('HeapgateScenarios.Leaks.CacheEntry')!;
    expect({ added: leak.addedCount, removed: leak.removedCount }).toEqual({ added: 3000, removed: 0 });
  });

  it('Comparison matches objects by address: only the moved object shows as deleted and new', async () => {
    const diff = await devtools.comparison(snapshots.get('odd')!, snapshots.get('moved')!);
    const changes = [...diff.values()]
      .filter((d) => d.addedCount > 0 || d.removedCount > 0)
      .map((d) => ({ name: d.name, added: d.addedCount, removed: d.removedCount, countDelta: d.countDelta }));
    expect(changes).toEqual([{ name: 'App.Unreachable', added: 1, removed: 1, countDelta: 0 }]);
  });

  it('Retainers: a leaked CacheEntry leads to the static field s_entries', async () => {
    const id = snapshots.get('leaky')!;
    const entry = (await devtools.summary(id)).get('HeapgateScenarios.Leaks.CacheEntry')!;
    const byArray = await devtools.retainers(id, entry.idxs[0]);
    expect(byArray.map((e) => [e.type, e.node.name])).toEqual([
      ['element', 'Entry<System.Int32,HeapgateScenarios.Leaks.CacheEntry>[]'],
    ]);
    const byDictionary = await devtools.retainers(id, byArray[0].node.nodeIndex);
    const dictionary =
      'System.Collections.Generic.Dictionary<System.Int32,HeapgateScenarios.Leaks.CacheEntry>';
    expect(byDictionary.map((e) => e.node.name)).toEqual([dictionary]);
    const holders = await devtools.retainers(id, byDictionary[0].node.nodeIndex);
    expect(holders.map((e) => [e.type, e.name, e.node.name])).toContainEqual([
      'property',
      `${dictionary}.s_entries`,
      `[static var ${dictionary}.s_entries]`,
    ]);
  });
});
