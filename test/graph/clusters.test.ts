import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphAnalysis } from '../../src/graph/analysis.js';
import { buildTypeEvidence, retainedByType } from '../../src/graph/evidence.js';
import { pathTo } from '../../src/graph/rootPaths.js';
import type { HeapGraph } from '../../src/model/snapshot.js';
import { NodeFlag } from '../../src/model/snapshot.js';
import { stripSizeBucket } from '../../src/model/typeNames.js';
import { GraphBuilder } from '../support/graphBuilder.js';

const DICT = 'System.Collections.Generic.Dictionary<System.Int32,MyApp.Order>';
const ENTRIES = 'Entry<System.Int32,MyApp.Order>[]';

/** 5 orders in a static dictionary (entries array in a size bucket), 2 on the stack, 1 lost. */
function orders() {
  const b = new GraphBuilder();
  const statics = b.pseudo('[static vars]', b.root);
  const field = b.pseudo(`[static var ${DICT}.s_items]`, statics);
  const dict = b.object(DICT, 80, field);
  const entries = b.object(`${ENTRIES} (Bytes > 10K)`, 12000, dict);
  const held = [];
  for (let i = 0; i < 5; i++) {
    const o = b.object('MyApp.Order', 48, entries);
    b.object('System.Byte[]', 100, o);
    held.push(o);
  }
  const locals = b.pseudo('[local vars]', b.root);
  const onStack = [b.object('MyApp.Order', 48, locals), b.object('MyApp.Order', 48, locals)];
  const lost = b.object('MyApp.Order', 48);
  return { b, snapshot: b.build(), dict, entries, held, onStack, lost };
}

describe('path clusters', () => {
  it('groups instances by root kind, field and holder chain, largest first', () => {
    const o = orders();
    const [ev] = buildTypeEvidence(o.snapshot, ['MyApp.Order'], { maxClusters: 5 });
    expect(ev.instances).toBe(8);
    expect(ev.bytes).toBe(8 * 48);
    expect(ev.clusters.map((c) => [c.signature, c.count, c.bytes])).toEqual([
      [`static field s_items → ${DICT} → ${ENTRIES} → MyApp.Order`, 5, 240],
      ['stack local → MyApp.Order', 2, 96],
      ['not reachable from roots → MyApp.Order', 1, 48],
    ]);
    const first = ev.clusters[0];
    expect(first.rootKind).toBe('static field');
    expect(first.rootName).toBe('s_items');
    expect(first.holders).toEqual([DICT, ENTRIES, 'MyApp.Order']);
    expect(first.sample.steps.map((s) => s.address)).toEqual(['0x10000', '0x10100', '0x10200']);
    // Retained by the type: each held order with its byte[]; the others alone.
    expect(ev.retainedBytes).toBe(5 * 148 + 2 * 48);
  });

  it('keeps a declaring class that differs from the held type in the static root name', () => {
    const b = new GraphBuilder();
    const statics = b.pseudo('[static vars]', b.root);
    const field = b.pseudo('[static var MyApp.Registry.s_items]', statics);
    b.object('MyApp.Item', 24, b.object('System.Collections.Generic.List<MyApp.Item>', 32, field));
    const [ev] = buildTypeEvidence(b.build(), ['MyApp.Item'], { maxClusters: 1 });
    expect(ev.clusters[0].rootName).toBe('MyApp.Registry.s_items');
    expect(ev.clusters[0].signature).toBe(
      'static field MyApp.Registry.s_items → System.Collections.Generic.List<MyApp.Item> → MyApp.Item',
    );
    expect(ev.clusters[0].sample.rootName).toBe('MyApp.Registry.s_items');
  });

  it('keeps only maxClusters and summarises the rest', () => {
    const [ev] = buildTypeEvidence(orders().snapshot, ['MyApp.Order'], { maxClusters: 1 });
    expect(ev.clusters).toHaveLength(1);
    expect(ev.omitted).toEqual({ clusters: 2, count: 3, bytes: 144 });
  });

  it('reports the retained delta against a baseline and unknown types as empty', () => {
    const o = orders();
    const ev = buildTypeEvidence(o.snapshot, ['MyApp.Order', 'Nope'], {
      maxClusters: 3,
      baseline: { retainedByType: new Map([['MyApp.Order', 100]]) },
    });
    expect(ev[0].retainedDelta).toBe(5 * 148 + 2 * 48 - 100);
    expect(ev[1]).toMatchObject({ type: 'Nope', instances: 0, clusters: [] });
    expect(retainedByType(o.snapshot).get(ENTRIES)).toBe(12000 + 5 * 148);
    expect(retainedByType(o.snapshot).has('[static vars]')).toBe(false);
  });

  it('folds a 1,000,000-node linked list into one cluster without recursion', () => {
    const n = 1_000_000;
    const b = new GraphBuilder();
    const statics = b.pseudo('[static vars]', b.root);
    let prev = b.pseudo('[static var MyApp.ChainNode.s_head]', statics);
    for (let i = 0; i < n; i++) prev = b.object('MyApp.ChainNode', 24, prev);
    const snapshot = b.build();
    const [ev] = buildTypeEvidence(snapshot, ['MyApp.ChainNode'], { maxClusters: 3 });
    expect(ev.clusters).toHaveLength(1);
    const c = ev.clusters[0];
    expect(c.count).toBe(n);
    expect(c.signature).toBe('static field s_head → MyApp.ChainNode ×n');
    expect(c.sample.steps).toHaveLength(1); // the head is the shallowest instance
    expect(ev.retainedBytes).toBe(24 * n);
    const a = graphAnalysis(snapshot);
    expect(a.retained()[a.graph.root]).toBe(24 * n);
    expect(a.dominators().idom[prev]).toBe(prev - 1);
    // The deepest node's own path folds the list into one step.
    const path = pathTo(a.tree(), a.graph.root, prev) as number[];
    expect(path).toHaveLength(n + 3);
  });

  it('agrees with naive per-instance path walking on random graphs', () => {
    const arb = fc.record({
      n: fc.integer({ min: 2, max: 30 }),
      edges: fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { maxLength: 80 }),
      types: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 }),
    });
    fc.assert(
      fc.property(arb, ({ n, edges, types }) => {
        const b = new GraphBuilder();
        const statics = b.pseudo('[static vars]', b.root);
        const locals = b.pseudo('[local vars]', b.root);
        const fields = [b.pseudo('[static var T0.a]', statics), b.pseudo('[static var T1.b]', statics)];
        const first = b.nodeCount;
        for (let i = 0; i < n; i++) b.object(types[i] === 3 ? 'T2 (Bytes > 1K)' : `T${types[i]}`, 10 + i);
        const node = (k: number) => first + (k % n);
        b.edge(fields[0], node(0)).edge(fields[1], node(1)).edge(locals, node(2));
        for (const [x, y] of edges) b.edge(node(x), node(y));
        const snapshot = b.build();
        const graph = snapshot.graph as HeapGraph;
        const a = graphAnalysis(snapshot);
        const names = snapshot.types.names;
        for (const type of ['T0', 'T1', 'T2']) {
          const naive = new Map<string, number>();
          for (let v = 0; v < graph.nodeCount; v++) {
            if (
              (graph.nodeFlags[v] & NodeFlag.Pseudo) !== 0 ||
              stripSizeBucket(names[graph.nodeType[v]]) !== type
            )
              continue;
            const path = pathTo(a.tree(), graph.root, v);
            let key = 'unreachable';
            if (path) {
              const parts: string[] = [];
              for (const u of path) {
                const name = stripSizeBucket(names[graph.nodeType[u]]);
                if ((graph.nodeFlags[u] & NodeFlag.Pseudo) === 0 && parts[parts.length - 1] === name)
                  continue;
                parts.push(name);
              }
              key = parts.join('/');
            }
            naive.set(key, (naive.get(key) ?? 0) + 1);
          }
          const [ev] = buildTypeEvidence(snapshot, [type], { maxClusters: 1000, accumulation: false });
          expect(ev.clusters.map((c) => c.count).sort()).toEqual([...naive.values()].sort());
          expect(ev.instances).toBe([...naive.values()].reduce((s, x) => s + x, 0));
        }
      }),
      { numRuns: 300 },
    );
  });
});
