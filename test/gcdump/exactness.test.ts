import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/snapshot/load.js';
import {
  collectScenarioSnapshots,
  expectedLeakCount,
  LEAKED_TYPE,
  type LeakScenarioName,
  type ScenarioName,
} from '../support/scenario.js';
import { gcdumpReport } from '../support/tools.js';
import { gcdumpNameAsCanonical, gcdumpReportText } from '../support/referenceText.js';
import { runCli } from '../support/cli.js';

/** `dotnet-gcdump report`, read by the test-only reader (independent of heapgate's report reader). */
function parseReference(text: string) {
  const ref = gcdumpReportText(text);
  return {
    bytes: ref.heapBytes,
    nodes: ref.heapObjects,
    counts: canonicalCounts(ref.counts),
    rows: ref.rows.length,
  };
}

/** Counts by canonical name (the reader's names and heapgate's may differ only in spelling). */
function canonicalCounts(counts: Iterable<[string, number]>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, count] of counts) {
    const key = gcdumpNameAsCanonical(name);
    out.set(key, (out.get(key) ?? 0) + count);
  }
  return out;
}

const SCENARIOS: ScenarioName[] = ['steady', 'static-list', 'event-handler', 'timer', 'cache'];

describe.each(SCENARIOS)('heapgate stat is exact against dotnet-gcdump report: %s', (scenario) => {
  it('matches every type count and the totals, in both the lean and the graph reader', async () => {
    const files = await collectScenarioSnapshots(scenario, { rounds: 2, checkpoints: ['round-2'] });
    const file = files['round-2'];
    const ref = parseReference(await gcdumpReport(file));
    expect(ref.rows).toBeGreaterThan(20);

    const lean = await loadSnapshot(file, { graph: false });
    const scan = await loadSnapshot(file, { graph: false, unreachable: true });
    const full = await loadSnapshot(file);
    for (const snap of [lean, scan, full]) {
      const mine = canonicalCounts(snap.stats.map((s) => [s.name, s.count]));
      expect(mine).toEqual(ref.counts);
      // True per-type totals add up to the file's heap size, which the reference prints first.
      expect(snap.stats.reduce((a, s) => a + s.bytes, 0)).toBe(ref.bytes);
      expect(snap.totals.bytes).toBe(ref.bytes);
      expect(snap.totals.objects).toBe([...ref.counts.values()].reduce((a, b) => a + b, 0));
    }
    // The reference's "GC Heap objects" counts every node: objects, root pseudo-nodes and undefined nodes.
    expect(full.graph!.nodeCount).toBe(ref.nodes);
    expect(lean.stats).toEqual(full.stats);
    expect(scan.stats).toEqual(full.stats);
    expect(scan.totals).toEqual(full.totals);
    expect(lean.totals).toEqual({ objects: full.totals.objects, bytes: full.totals.bytes });

    if (scenario !== 'steady') {
      const leak = scenario as LeakScenarioName;
      expect(mine(lean, LEAKED_TYPE[leak])).toBe(expectedLeakCount(leak, 'round-2'));
    }
  });
});

function mine(snap: Awaited<ReturnType<typeof loadSnapshot>>, type: string): number | undefined {
  return snap.stats.find((s) => s.name === type)?.count;
}

describe('heapgate stat on a real snapshot, through the CLI', () => {
  it('prints the leaked type with its exact count and true bytes, and --json follows the documented shape', async () => {
    const file = (await collectScenarioSnapshots('static-list', { rounds: 2, checkpoints: ['round-2'] }))[
      'round-2'
    ];
    const text = await runCli(['stat', file, '--type', 'LeakedOrder']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^format\s+gcdump \(written by dotnet-gcdump\)$/m);
    expect(text.stdout).toMatch(/^pointer size\s+8 bytes/m);
    expect(text.stdout).toMatch(/^\s*3,000\s+[\d,]+\s+HeapgateScenarios\.Leaks\.LeakedOrder$/m);

    const res = await runCli(['stat', file, '--json', '--top', '5', '--min-bytes', '1KB']);
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as {
      format: string;
      totals: { objects: number; bytes: number; unreachableObjects: number };
      types: { name: string; count: number; bytes: number }[];
      meta: Record<string, unknown>;
    };
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'format', 'totals', 'types', 'meta']);
    expect(doc.format).toBe('gcdump');
    expect(doc.types).toHaveLength(5);
    expect(doc.types.every((t) => t.bytes >= 1024)).toBe(true);
    expect([...doc.types].sort((a, b) => b.bytes - a.bytes)).toEqual(doc.types);
    expect(doc.meta).toMatchObject({ estimated: false, pointerSize: 8, creationTool: 'dotnet-gcdump' });
    const ref = parseReference(await gcdumpReport(file));
    expect(doc.totals.bytes).toBe(ref.bytes);
  });
});

describe('heapgate stat --retained', () => {
  it('adds retained bytes from the dominator tree: the cache dictionary retains its entries', async () => {
    const res = await runCli(['stat', 'examples/leaky-cache.gcdump', '--retained', '--json']);
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as {
      types: { name: string; count: number; bytes: number; retained: number }[];
    };
    const byName = new Map(doc.types.map((t) => [t.name, t]));
    const dict = byName.get(
      'System.Collections.Generic.Dictionary<System.Int32,HeapgateScenarios.Leaks.CacheEntry>',
    )!;
    const entries = byName.get('Entry<System.Int32,HeapgateScenarios.Leaks.CacheEntry>[]')!;
    const leaked = byName.get('HeapgateScenarios.Leaks.CacheEntry')!;
    expect(leaked.count).toBe(3000);
    expect(dict.retained).toBeGreaterThanOrEqual(dict.bytes + entries.bytes + leaked.bytes);
    expect(leaked.retained).toBeGreaterThanOrEqual(leaked.bytes);
    // Rows are ordered by retained bytes when --retained is given.
    expect([...doc.types].sort((a, b) => b.retained - a.retained).map((t) => t.name)).toEqual(
      doc.types.map((t) => t.name),
    );
  });
});
