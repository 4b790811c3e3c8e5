/**
 * The graph passes of one snapshot, computed on first use and shared by every consumer
 * (evidence for several findings, `stat --retained`, the CLI) instead of once per type.
 */
import type { HeapGraph, HeapSnapshot } from '../model/snapshot.js';
import { buildDominatorTree, type DominatorTree } from './dominators.js';
import { buildPathSignatures, type PathSignatures } from './pathSignatures.js';
import { requireGraph } from './requireGraph.js';
import { releaseGarbage } from '../snapshot/releaseGarbage.js';
import { retainedByGroup, retainedSizes } from './retained.js';
import { buildReverseEdges, type ReverseEdges } from './reverseEdges.js';
import { buildRootPathTree, type RootPathTree } from './rootPaths.js';
import { buildTypeGroups, type TypeGroups } from './typeGroups.js';

export interface GraphAnalysis {
  readonly snapshot: HeapSnapshot;
  readonly graph: HeapGraph;
  reverse(): ReverseEdges;
  tree(): RootPathTree;
  dominators(): DominatorTree;
  /** Retained bytes per node. */
  retained(): Float64Array;
  groups(): TypeGroups;
  signatures(): PathSignatures;
  /** Retained bytes per canonical group (see retainedByGroup for the definition). */
  retainedByGroup(): Float64Array;
}

/**
 * A pass computed on first use. Each leaves node-sized temporaries that V8 would free only at its
 * next full collection: collecting right away keeps the peak to what later passes keep live.
 */
function lazy<T>(make: () => T): Lazy<T> {
  let value: T | undefined;
  let done = false;
  const get = () => {
    if (!done) {
      value = make();
      done = true;
      releaseGarbage();
    }
    return value as T;
  };
  get.ready = () => done;
  return get;
}

interface Lazy<T> {
  (): T;
  /** True once computed (and kept). */
  ready(): boolean;
}

const cache = new WeakMap<HeapSnapshot, GraphAnalysis>();

export function graphAnalysis(snapshot: HeapSnapshot): GraphAnalysis {
  const cached = cache.get(snapshot);
  if (cached) return cached;
  const graph = requireGraph(snapshot);
  const reverse = lazy(() => buildReverseEdges(graph));
  const tree = lazy(() => buildRootPathTree(snapshot));
  const dominators = lazy(() => buildDominatorTree(graph, reverse()));
  const retained = lazy(() => retainedSizes(graph, dominators()));
  const groups = lazy(() => buildTypeGroups(snapshot));
  const signatures = lazy(() => buildPathSignatures(snapshot, tree(), groups()));
  const byGroup = lazy(() => {
    const { groupOf, names } = groups();
    if (retained.ready()) return retainedByGroup(graph, dominators(), retained(), groupOf, names.length);
    // Only the per-group totals are wanted: the dominator tree and per-node sizes (16 bytes per
    // object) are dropped afterwards, and rebuilt if a later consumer asks for them.
    let dom: DominatorTree;
    if (dominators.ready()) dom = dominators();
    else {
      dom = buildDominatorTree(graph, reverse());
      releaseGarbage();
    }
    const sizes = retainedSizes(graph, dom);
    return retainedByGroup(graph, dom, sizes, groupOf, names.length);
  });
  const analysis: GraphAnalysis = {
    snapshot,
    graph,
    reverse,
    tree,
    dominators,
    retained,
    groups,
    signatures,
    retainedByGroup: byGroup,
  };
  cache.set(snapshot, analysis);
  return analysis;
}
