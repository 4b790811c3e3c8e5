import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDominatorTree } from '../../src/graph/dominators.js';
import { retainedByGroup, retainedSizes, topRetainers } from '../../src/graph/retained.js';
import { buildReverseEdges } from '../../src/graph/reverseEdges.js';
import type { HeapGraph } from '../../src/model/snapshot.js';
import { snapshotFromEdges } from '../support/graphBuilder.js';

/** Nodes reachable from the root when `removed` is taken out of the graph (naive, set based). */
function reachableWithout(graph: HeapGraph, removed: number): Set<number> {
  const seen = new Set<number>();
  if (removed === graph.root) return seen;
  const stack = [graph.root];
  seen.add(graph.root);
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (let e = graph.firstEdge[v]; e < graph.firstEdge[v + 1]; e++) {
      const c = graph.edgeTarget[e];
      if (c !== removed && !seen.has(c)) {
        seen.add(c);
        stack.push(c);
      }
    }
  }
  return seen;
}

/** Reference: d dominates n iff n is unreachable from the root once d is removed. */
function naiveDominators(graph: HeapGraph) {
  const reachable = reachableWithout(graph, -1);
  const dominated = new Map<number, Set<number>>(); // d -> nodes it dominates (itself included)
  for (const d of reachable) {
    const rest = reachableWithout(graph, d);
    dominated.set(d, new Set([...reachable].filter((n) => !rest.has(n))));
  }
  const idom = new Int32Array(graph.nodeCount).fill(-1);
  for (const n of reachable) {
    if (n === graph.root) continue;
    // The immediate dominator is the strict dominator dominated by all the others: the one
    // dominating the fewest nodes.
    let best = -1;
    for (const [d, set] of dominated) {
      if (d !== n && set.has(n) && (best < 0 || set.size < (dominated.get(best) as Set<number>).size))
        best = d;
    }
    idom[n] = best;
  }
  return { reachable, dominated, idom };
}

// Dense enough that most nodes are reachable and have several referrers (the cases where
// semidominators and immediate dominators differ); a few root edges keep the root useful.
const randomGraph = fc
  .integer({ min: 1, max: 14 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      rootEdges: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 3 }),
      other: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 4 }),
      sizes: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: n, maxLength: n }),
    }),
  )
  .map(({ n, rootEdges, other, sizes }) => ({
    n,
    edges: [...rootEdges.map((t): [number, number] => [0, t]), ...other],
    sizes,
  }));

describe('dominator tree', () => {
  it('matches the naive reference on random graphs (cycles, self-edges, duplicates, unreachable)', () => {
    fc.assert(
      fc.property(randomGraph, ({ n, edges, sizes }) => {
        const graph = snapshotFromEdges(n, edges, sizes).graph as HeapGraph;
        const dom = buildDominatorTree(graph, buildReverseEdges(graph));
        const ref = naiveDominators(graph);
        expect(Array.from(dom.idom)).toEqual(Array.from(ref.idom));
        expect(dom.reachable).toBe(ref.reachable.size);

        const retained = retainedSizes(graph, dom);
        for (let v = 0; v < n; v++) {
          const set = ref.dominated.get(v);
          const expected = set ? [...set].reduce((s, x) => s + graph.nodeSize[x], 0) : 0;
          expect(retained[v]).toBe(expected);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('gives retained sizes that add up', () => {
    fc.assert(
      fc.property(randomGraph, ({ n, edges, sizes }) => {
        const graph = snapshotFromEdges(n, edges, sizes).graph as HeapGraph;
        const dom = buildDominatorTree(graph, buildReverseEdges(graph));
        const retained = retainedSizes(graph, dom);
        let reachableBytes = 0;
        for (let i = 0; i < dom.reachable; i++) reachableBytes += graph.nodeSize[dom.order[i]];
        expect(retained[graph.root]).toBe(reachableBytes);
        const childSum = new Float64Array(n);
        for (let v = 0; v < n; v++) {
          expect(retained[v]).toBeGreaterThanOrEqual(
            dom.idom[v] >= 0 || v === graph.root ? graph.nodeSize[v] : 0,
          );
          if (dom.idom[v] >= 0) childSum[dom.idom[v]] += retained[v];
        }
        for (let i = 0; i < dom.reachable; i++) {
          const v = dom.order[i];
          expect(childSum[v] + graph.nodeSize[v]).toBe(retained[v]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('retains per type the union of the members dominator subtrees', () => {
    fc.assert(
      fc.property(randomGraph, ({ n, edges, sizes }) => {
        const snapshot = snapshotFromEdges(n, edges, sizes);
        const graph = snapshot.graph as HeapGraph;
        const dom = buildDominatorTree(graph, buildReverseEdges(graph));
        const retained = retainedSizes(graph, dom);
        const ref = naiveDominators(graph);
        // Group = type index; the root's type gets no group.
        const groupOf = new Int32Array(snapshot.types.names.length).fill(-1);
        snapshot.types.names.forEach((name, t) => {
          const m = /^T(\d)$/.exec(name);
          if (m) groupOf[t] = Number(m[1]);
        });
        const byGroup = retainedByGroup(graph, dom, retained, groupOf, 3);
        for (let g = 0; g < 3; g++) {
          const union = new Set<number>();
          for (const [d, set] of ref.dominated) {
            if (d !== graph.root && groupOf[graph.nodeType[d]] === g) for (const x of set) union.add(x);
          }
          expect(byGroup[g]).toBe([...union].reduce((s, x) => s + graph.nodeSize[x], 0));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists the top retainers largest first, skipping the root and links of a same-type run', () => {
    const edges: [number, number][] = [
      [0, 1],
      [1, 2],
      [2, 3],
      [0, 4],
      [4, 5],
      [5, 6],
    ];
    const types = ['', 'A', 'B', 'C', 'L', 'L', 'L'];
    const graph = snapshotFromEdges(7, edges, [0, 10, 20, 30, 5, 5, 5], (i) => types[i]).graph as HeapGraph;
    const dom = buildDominatorTree(graph, buildReverseEdges(graph));
    const retained = retainedSizes(graph, dom);
    expect(topRetainers(graph, dom, retained, 3)).toEqual([
      { node: 1, retained: 60 },
      { node: 2, retained: 50 },
      { node: 3, retained: 30 },
    ]);
    expect(topRetainers(graph, dom, retained, 10).map((e) => e.node)).toEqual([1, 2, 3, 4]);
  });
});
