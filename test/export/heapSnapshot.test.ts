/**
 * `heapgate export --format heapsnapshot`, read back by an independent heap-snapshot parser
 * (v8-heapsnapshot from npm): per-type counts and self sizes must equal `heapgate stat --json` on
 * the same file in both directions, the roots must sit under a synthetic root as V8 lays them out,
 * and objects must keep their retainers.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSnapshotFromFile, type Node, type Snapshot } from 'v8-heapsnapshot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../support/cli.js';
import { writeGcdump } from '../support/gcdumpWriter.js';
import {
  collectScenarioSnapshots,
  expectedLeakCount,
  LEAK_ROOT,
  LEAKED_TYPE,
  type LeakScenarioName,
} from '../support/scenario.js';
import { ODD_NAMES, exportGraph } from './fixtures.js';

interface StatJson {
  totals: { objects: number; bytes: number; unreachableObjects: number; unreachableBytes: number };
  types: { name: string; count: number; bytes: number }[];
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'heapgate-export-'));
  writeFileSync(join(dir, 'odd.gcdump'), writeGcdump(exportGraph()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exportAndStat(input: string, name: string): Promise<{ snap: Snapshot; stat: StatJson }> {
  const out = join(dir, `${name}.heapsnapshot`);
  const r = await runCli(['export', '--format', 'heapsnapshot', input, '--output', out]);
  expect(r.stderr).toMatch(/^heapgate export: .*heapsnapshot \([\d,]+ bytes, [\d,]+ objects\)\n/);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('');
  const s = await runCli(['stat', input, '--unreachable', '--json']);
  expect(s.code).toBe(0);
  return { snap: await parseSnapshotFromFile(out), stat: JSON.parse(s.stdout) as StatJson };
}

/** Per type name: instances and bytes of the objects (nodes DevTools counts: object nodes with a size). */
function typeTotals(snap: Snapshot): Map<string, { count: number; bytes: number }> {
  const totals = new Map<string, { count: number; bytes: number }>();
  for (const node of snap.nodes) {
    if (node.type !== 'object' || node.self_size === 0) continue;
    const row = totals.get(node.name) ?? { count: 0, bytes: 0 };
    row.count++;
    row.bytes += node.self_size;
    totals.set(node.name, row);
  }
  return totals;
}

function expectSameTypes(snap: Snapshot, stat: StatJson): void {
  const exported = typeTotals(snap);
  const stated = new Map(stat.types.map((t) => [t.name, { count: t.count, bytes: t.bytes }]));
  expect(stat.types.length).toBeGreaterThan(0);
  // Both directions, named, so a failure says which type is missing where.
  expect([...stated.keys()].filter((n) => !exported.has(n))).toEqual([]);
  expect([...exported.keys()].filter((n) => !stated.has(n))).toEqual([]);
  for (const [name, row] of stated) expect({ name, ...exported.get(name) }).toEqual({ name, ...row });
}

/** Nodes the synthetic root reaches, following every edge. */
function reachable(snap: Snapshot): Set<Node> {
  const seen = new Set<Node>([snap.nodes[0]]);
  const queue = [snap.nodes[0]];
  while (queue.length > 0)
    for (const e of queue.pop()!.out_edges)
      if (!seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
  return seen;
}

function expectV8Layout(snap: Snapshot, stat: StatJson): void {
  const root = snap.nodes[0];
  expect({ type: root.type, name: root.name, id: root.id }).toEqual({ type: 'synthetic', name: '', id: 1 });
  expect(root.out_edges.map((e) => [e.type, e.to.type, e.to.name])).toEqual([
    ['element', 'synthetic', '(GC roots)'],
  ]);
  const gcRoots = root.out_edges[0].to;
  expect(gcRoots.out_edges.length).toBeGreaterThan(0);
  for (const e of gcRoots.out_edges) expect(e.to.type).toBe('synthetic');
  // Ids are unique and fit DevTools' 32-bit arrays; objects have odd ids as V8's do.
  const ids = new Set(snap.nodes.map((n) => n.id));
  expect(ids.size).toBe(snap.nodes.length);
  for (const n of snap.nodes) {
    expect(n.id).toBeLessThanOrEqual(0xffffffff);
    if (n.type === 'object') expect(n.id % 2).toBe(1);
  }
  const objects = snap.nodes.filter((n) => n.type === 'object' && n.self_size > 0);
  const seen = reachable(snap);
  const unreachable = objects.filter((n) => !seen.has(n));
  expect({
    objects: objects.length,
    bytes: objects.reduce((s, n) => s + n.self_size, 0),
    unreachableObjects: unreachable.length,
    unreachableBytes: unreachable.reduce((s, n) => s + n.self_size, 0),
  }).toEqual(stat.totals);
}

describe('heapgate export --format heapsnapshot', () => {
  it('exports the leaking scenario app: types equal stat, the leak keeps its retainers', async () => {
    const { snap, stat } = await exportAndStat(join(repoRoot, 'examples/leaky-cache.gcdump'), 'leaky');
    expectSameTypes(snap, stat);
    expectV8Layout(snap, stat);
    // Retainers: a leaked CacheEntry is held by the entries array of a dictionary that the static
    // field s_entries holds, under the static-variable roots, under (GC roots), under the root.
    const retainers = (n: Node): string[] =>
      n.in_edges.map((e) => `${e.type}:${String(e.name)} <- ${e.from.type}:${e.from.name}`);
    const dictionary =
      'System.Collections.Generic.Dictionary<System.Int32,HeapgateScenarios.Leaks.CacheEntry>';
    const entry = snap.nodes.find((n) => n.name === 'HeapgateScenarios.Leaks.CacheEntry')!;
    expect(retainers(entry)).toEqual([
      expect.stringMatching(
        /^element:\d+ <- object:Entry<System\.Int32,HeapgateScenarios\.Leaks\.CacheEntry>\[\]$/,
      ),
    ]);
    const dict = entry.in_edges[0].from.in_edges[0].from;
    expect(dict.name).toBe(dictionary);
    expect(retainers(dict)).toContain(
      `property:${dictionary}.s_entries <- synthetic:[static var ${dictionary}.s_entries]`,
    );
    const chain: string[] = [];
    let n = dict.in_edges.find((e) => e.type === 'property')!.from;
    for (; n.in_edges.length > 0 && chain.length < 10; n = n.in_edges[0].from) chain.push(n.name);
    expect(chain).toEqual([`[static var ${dictionary}.s_entries]`, '[static vars]', '(GC roots)']);
    expect(n).toBe(snap.nodes[0]);
  });

  it('exports the steady scenario app the same way', async () => {
    const { snap, stat } = await exportAndStat(join(repoRoot, 'examples/steady.gcdump'), 'steady');
    expectSameTypes(snap, stat);
    expectV8Layout(snap, stat);
  });

  it.each<LeakScenarioName>(['static-list', 'event-handler'])(
    'exports a fresh %s gcdump of the scenario app: types equal stat, the leak hangs from its static field',
    async (name) => {
      const file = (await collectScenarioSnapshots(name, { checkpoints: ['round-3'] }))['round-3'];
      const { snap, stat } = await exportAndStat(file, name);
      expectSameTypes(snap, stat);
      expectV8Layout(snap, stat);
      const leaked = new Set(snap.nodes.filter((n) => n.name === LEAKED_TYPE[name]));
      expect(leaked.size).toBe(expectedLeakCount(name, 'round-3'));
      // The static field's edge, named `<holder type>.<field>` as dotnet-gcdump names the root.
      const { holderType, field } = LEAK_ROOT[name];
      const edge = snap.edges.find((e) => e.type === 'property' && e.name === `${holderType}.${field}`);
      expect(edge?.from.type).toBe('synthetic');
      expect(edge?.to.name).toBe(holderType);
      // Every leaked object is reachable from the object that field holds.
      const seen = new Set<Node>([edge!.to]);
      const queue = [edge!.to];
      while (queue.length > 0)
        for (const e of queue.pop()!.out_edges)
          if (!seen.has(e.to)) {
            seen.add(e.to);
            queue.push(e.to);
          }
      expect([...leaked].filter((n) => !seen.has(n))).toEqual([]);
    },
  );

  it('merges size buckets, keeps odd names verbatim and undefined references as hidden nodes', async () => {
    const { snap, stat } = await exportAndStat(join(dir, 'odd.gcdump'), 'odd');
    expectSameTypes(snap, stat);
    expectV8Layout(snap, stat);
    const names = new Set(snap.nodes.map((n) => n.name));
    for (const name of ODD_NAMES) expect(names).toContain(name);
    expect(typeTotals(snap).get('System.Byte[]')).toEqual({ count: 3, bytes: 21_124 });
    // The undefined reference and the 0-byte node are there, as hidden nodes without a size.
    const array = snap.nodes.find((n) => n.name === 'System.Object[]')!;
    expect(array.out_edges.map((e) => [e.name, e.to.type])).toEqual([
      [0, 'object'],
      [1, 'object'],
      [2, 'object'],
      [3, 'object'],
      [4, 'hidden'],
      [5, 'hidden'],
    ]);
    const holder = snap.nodes.find((n) => n.name === '[static var App.Cache.s_items]')!;
    expect(holder.out_edges.map((e) => [e.type, e.name, e.to.name])).toEqual([
      ['property', 'App.Cache.s_items', 'System.Object[]'],
    ]);
  });

  it('writes to stdout without --output', async () => {
    const r = await runCli(['export', join(repoRoot, 'examples/steady.gcdump')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^heapgate export: stdout \(/);
    const doc = JSON.parse(r.stdout) as { snapshot: { node_count: number }; nodes: number[] };
    expect(doc.nodes.length).toBe(doc.snapshot.node_count * 7);
  });

  it('refuses statistics-only inputs and bad options with exit 2 and one line', async () => {
    const sos = join(repoRoot, 'test/fixtures/sos/dotnet-dump-stat.txt');
    const out = join(dir, 'sos.heapsnapshot');
    const r = await runCli(['export', sos, '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^heapgate: .*dotnet-dump-stat\.txt: has per-type statistics only \(sos-dumpheap\); a heap snapshot is an object graph, so export a \.gcdump/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.startsWith('sos.'))).toEqual([]);

    const missing = await runCli(['export', join(dir, 'nope.gcdump'), '--output', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.gcdump: no such file/);

    const toDir = await runCli(['export', join(repoRoot, 'examples/steady.gcdump'), '--output', dir]);
    expect(toDir.code).toBe(2);
    expect(toDir.stderr).toBe(`heapgate: ${dir}: is a directory\n`);

    const format = await runCli(['export', '--format', 'json', sos]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format.*json.*invalid|Allowed choices are heapsnapshot/);
  });

  it('says when a sampled snapshot is exported unscaled', async () => {
    const graph = exportGraph();
    graph.countMultipliers = graph.types.map(() => 2);
    graph.averageCountMultiplier = 2;
    const input = join(dir, 'sampled.gcdump');
    writeFileSync(input, writeGcdump(graph));
    const r = await runCli(['export', input, '--output', join(dir, 'sampled.heapsnapshot')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/note: the snapshot is an estimate \(the heap was sampled/);
  });
});
