import { describe, expect, it } from 'vitest';
import { graphAnalysis } from '../../src/graph/analysis.js';
import { allRootPaths, buildRootPathTree, pathTo } from '../../src/graph/rootPaths.js';
import { buildReverseEdges } from '../../src/graph/reverseEdges.js';
import { describePath, toRetentionPath } from '../../src/graph/retentionPath.js';
import type { HeapGraph } from '../../src/model/snapshot.js';
import { GraphBuilder } from '../support/graphBuilder.js';

/** A string held by a local (short path) and by a static through an array (longer path). */
function cacheAndLocal() {
  const b = new GraphBuilder();
  const locals = b.pseudo('[local vars]', b.root); // listed before the statics on purpose
  const statics = b.pseudo('[static vars]', b.root);
  const field = b.pseudo('[static var MyApp.Cache.Instance]', statics);
  const cache = b.object('MyApp.Cache', 24, field);
  const array = b.object('System.String[]', 40, cache);
  const text = b.object('System.String', 30, array);
  b.edge(locals, text);
  const onlyLocal = b.object('System.Object', 24, locals);
  return { b, locals, statics, field, cache, array, text, onlyLocal, snapshot: b.build() };
}

describe('root paths', () => {
  it('prefers a static root over a shorter stack-local path', () => {
    const g = cacheAndLocal();
    const tree = buildRootPathTree(g.snapshot);
    expect(pathTo(tree, g.b.root, g.text)).toEqual([g.b.root, g.statics, g.field, g.cache, g.array, g.text]);
    expect(pathTo(tree, g.b.root, g.onlyLocal)).toEqual([g.b.root, g.locals, g.onlyLocal]);
  });

  it('prefers stack locals over handles and the finalizer queue', () => {
    const b = new GraphBuilder();
    const other = b.pseudo('[other roots]', b.root);
    const fin = b.pseudo('[finalizer Handles]', other);
    const holder = b.object('System.Threading.TimerHolder', 24, fin);
    const locals = b.pseudo('[local vars]', b.root);
    const list = b.object('List<X>', 32, locals);
    const x = b.object('X', 24, holder);
    b.edge(list, x);
    const tree = buildRootPathTree(b.build());
    expect(pathTo(tree, b.root, x)).toEqual([b.root, locals, list, x]);
  });

  it('is a plain shortest path within one tier, children in record order', () => {
    const b = new GraphBuilder();
    const statics = b.pseudo('[static vars]', b.root);
    const f1 = b.pseudo('[static var A.f]', statics);
    const f2 = b.pseudo('[static var B.g]', statics);
    const a = b.object('A', 24, f1);
    const a2 = b.object('A2', 24, a);
    const c = b.object('C', 24, f2);
    const x = b.object('X', 24, a2);
    b.edge(c, x); // shorter: statics → B.g → C → X
    const y = b.object('Y', 24, c);
    b.edge(a, y); // equally short through A.f (first in record order)
    const tree = buildRootPathTree(b.build());
    expect(pathTo(tree, b.root, x)).toEqual([b.root, statics, f2, c, x]);
    expect(pathTo(tree, b.root, y)).toEqual([b.root, statics, f1, a, y]);
  });

  it('returns null for unreachable nodes and survives cycles and self-edges', () => {
    const b = new GraphBuilder();
    const locals = b.pseudo('[local vars]', b.root);
    const a = b.object('A', 24, locals);
    const c = b.object('C', 24, a);
    b.edge(c, a).edge(c, c);
    const lost = b.object('Lost', 24);
    b.edge(lost, a);
    const snapshot = b.build();
    const tree = buildRootPathTree(snapshot);
    expect(pathTo(tree, b.root, lost)).toBeNull();
    expect(tree.reachable).toBe(4);
    expect(describePath(toRetentionPath(snapshot, pathTo(tree, b.root, c) ?? []), true)).toBe(
      'stack local → A (0x10000) → C (0x10100)',
    );
  });

  it('lists one path per distinct root with --all, shortest first, bounded', () => {
    const g = cacheAndLocal();
    const a = graphAnalysis(g.snapshot);
    const paths = allRootPaths(g.snapshot, a.tree(), a.reverse(), g.text, { limit: 10 });
    expect(paths).toEqual([
      [g.b.root, g.locals, g.text],
      [g.b.root, g.statics, g.field, g.cache, g.array, g.text],
    ]);
    expect(allRootPaths(g.snapshot, a.tree(), a.reverse(), g.text, { limit: 1 })).toHaveLength(1);
  });

  it('builds the referrer index like a naive scan', () => {
    const g = cacheAndLocal();
    const graph = g.snapshot.graph as HeapGraph;
    const rev = buildReverseEdges(graph);
    for (let v = 0; v < graph.nodeCount; v++) {
      const naive: number[] = [];
      for (let u = 0; u < graph.nodeCount; u++) {
        for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++)
          if (graph.edgeTarget[e] === v) naive.push(u);
      }
      expect(Array.from(rev.source.subarray(rev.firstRef[v], rev.firstRef[v + 1]))).toEqual(naive);
    }
  });
});
