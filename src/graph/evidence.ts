/**
 * Evidence for findings: for each offending type, its root-path clusters and retained bytes.
 * All graph passes are shared per snapshot (graphAnalysis), so asking for ten types costs one
 * BFS, one dominator tree and one sweep for the clusters.
 */
import type { AccumulationEvidence, PathCluster, TypeEvidence } from '../model/evidence.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { stripSizeBucket } from '../model/typeNames.js';
import { findAccumulationPoints, toAccumulationEvidence } from './accumulation.js';
import { graphAnalysis } from './analysis.js';
import { baselinePlaces, placeCounts, pointGrowth } from './baselineGrowth.js';
import { clusterByRootPath } from './clusters.js';
import { findGroup } from './typeGroups.js';

export interface EvidenceOptions {
  /** Clusters kept per type; the rest are summarised in `omitted`. */
  maxClusters: number;
  /** Search for accumulation points (default true). */
  accumulation?: boolean;
  /** Baseline retained bytes by canonical type name, for "fixing this frees ~X". */
  baseline?: { retainedByType: ReadonlyMap<string, number> | Readonly<Record<string, number>> };
  /**
   * The baseline snapshot, when it has an object graph: each accumulation point says how many
   * instances its place gained since (`sinceBaseline`), and the point that gained most leads.
   */
  baselineGraph?: HeapSnapshot;
}

/** Points kept per type; with a baseline graph more are searched, then ranked by growth. */
const MAX_POINTS = 3;
const MAX_CANDIDATES = 8;

function baselineValue(baseline: EvidenceOptions['baseline'], type: string): number | undefined {
  if (!baseline) return undefined;
  const source = baseline.retainedByType;
  if (source instanceof Map) return source.get(type);
  const record = source as Readonly<Record<string, number>>;
  return Object.prototype.hasOwnProperty.call(record, type) ? record[type] : undefined;
}

/** Clusters computed per type before merging through accumulation points and keeping `maxClusters`. */
const CLUSTER_POOL = 64;

/** Does a cluster's path reach this accumulation point (its structure, or a link of its list)? */
function reaches(c: PathCluster, a: AccumulationEvidence): boolean {
  if (a.structure.address !== undefined && c.sample.steps.some((s) => s.address === a.structure.address))
    return true;
  if (a.kind !== 'timer list' && a.kind !== 'linked list') return false;
  const holders = c.holders.map((h) => h.replace(/ ×n$/, ''));
  return holders.includes(a.structure.type) && (a.kind === 'timer list' || holders.includes(a.holder.type));
}

/**
 * Root-path clusters whose paths reach the same accumulation point are one cluster: another root
 * that only enters the same timer list or collection is not a separate story. The biggest keeps
 * its signature and sample; the others add their counts and bytes. Most instances first.
 */
export function mergeThroughPoints(
  clusters: readonly PathCluster[],
  points: readonly AccumulationEvidence[],
): PathCluster[] {
  const out: PathCluster[] = [];
  const into = new Map<number, PathCluster>();
  for (const c of clusters) {
    const j = points.findIndex((a) => reaches(c, a));
    const target = j >= 0 ? into.get(j) : undefined;
    if (target) {
      target.count += c.count;
      target.bytes += c.bytes;
      target.merged = (target.merged ?? 0) + 1 + (c.merged ?? 0);
      continue;
    }
    const copy = { ...c };
    if (j >= 0) into.set(j, copy);
    out.push(copy);
  }
  return out.sort((a, b) => b.count - a.count || b.bytes - a.bytes);
}

/** One TypeEvidence per requested name (canonical; a size-bucket suffix is ignored), in order. */
export function buildTypeEvidence(
  snapshot: HeapSnapshot,
  typeNames: readonly string[],
  options: EvidenceOptions,
): TypeEvidence[] {
  const analysis = graphAnalysis(snapshot);
  // Dominators first: their temporaries are gone before the root-path passes allocate theirs.
  const retained = analysis.retainedByGroup();
  const groups = analysis.groups();
  const canonical = typeNames.map(stripSizeBucket);
  const wanted = canonical.map((n) => findGroup(groups, n));
  const groupIds = [...new Set(wanted.filter((g) => g >= 0))];
  const clusters = clusterByRootPath(
    snapshot,
    { tree: analysis.tree(), groups, signatures: analysis.signatures() },
    groupIds,
    Math.max(options.maxClusters, CLUSTER_POOL),
  );
  const tree = analysis.tree();
  const baseGraph =
    options.accumulation === false || options.baselineGraph?.graph === undefined
      ? undefined
      : options.baselineGraph;
  const typeOf = groupIds.map((g) => groups.names[g]);
  const places = baseGraph ? baselinePlaces(baseGraph, typeOf) : undefined;
  // With a baseline, the share a point must hold is taken of the type's growth since.
  const shareOf = baseGraph
    ? typeOf.map((t) => {
        const now = snapshot.stats.find((x) => x.name === t)?.count ?? 0;
        const then = baseGraph.stats.find((x) => x.name === t)?.count ?? 0;
        return now > then ? now - then : undefined;
      })
    : undefined;
  const points =
    options.accumulation === false
      ? groupIds.map(() => [])
      : findAccumulationPoints(
          snapshot,
          { tree, groups, reverse: analysis.reverse(), signatures: analysis.signatures() },
          groupIds,
          {
            maxPoints: baseGraph ? MAX_CANDIDATES : MAX_POINTS,
            ...(shareOf ? { shareOf } : {}),
          },
        );
  const through = places ? placeCounts(snapshot, groupIds) : undefined;
  const growthOf = (k: number) =>
    places && through
      ? pointGrowth(
          snapshot,
          through[k],
          points[k].map((p) => p.node),
          places[k] ?? new Map(),
        )
      : points[k].map(() => undefined);
  const gained = (k: number) => growthOf(k).some((g) => g !== undefined && g.head > g.baseline);
  if (baseGraph && shareOf) {
    // A type none of whose places gained falls back to the points found without the baseline.
    const redo = groupIds.filter((_, k) => shareOf[k] !== undefined && !gained(k));
    if (redo.length > 0) {
      const again = findAccumulationPoints(
        snapshot,
        { tree, groups, reverse: analysis.reverse(), signatures: analysis.signatures() },
        redo,
      );
      redo.forEach((g, j) => (points[groupIds.indexOf(g)] = again[j]));
    }
  }
  return canonical.map((type, i) => {
    const k = groupIds.indexOf(wanted[i]);
    if (k < 0) return { type, instances: 0, bytes: 0, clusters: [], retainedBytes: 0 };
    const c = clusters[k];
    const growth = growthOf(k);
    const ranked = points[k].map((p, j) => ({ p, g: growth[j] }));
    // The place that gained most leads; without any gain, the place that holds most (as found).
    if (ranked.some((r) => r.g !== undefined && r.g.head > r.g.baseline)) {
      const added = (r: (typeof ranked)[number]) =>
        r.g === undefined ? Number.NEGATIVE_INFINITY : r.g.head - r.g.baseline;
      ranked.sort((a, b) => added(b) - added(a));
    }
    const accumulation = ranked
      .slice(0, MAX_POINTS)
      .map((r) => toAccumulationEvidence(snapshot, tree, r.p, c.instances, analysis.reverse(), r.g));
    const all = accumulation.length > 0 ? mergeThroughPoints(c.clusters, accumulation) : c.clusters;
    const rest = all.slice(options.maxClusters);
    const evidence: TypeEvidence = {
      type,
      instances: c.instances,
      bytes: c.bytes,
      ...(accumulation.length > 0 ? { accumulation } : {}),
      clusters: all.slice(0, options.maxClusters),
      retainedBytes: retained[groupIds[k]],
    };
    if (rest.length > 0 || c.omitted) {
      evidence.omitted = {
        clusters: rest.length + (c.omitted?.clusters ?? 0),
        count: rest.reduce((t, x) => t + x.count, 0) + (c.omitted?.count ?? 0),
        bytes: rest.reduce((t, x) => t + x.bytes, 0) + (c.omitted?.bytes ?? 0),
      };
    }
    const base = baselineValue(options.baseline, type);
    if (base !== undefined) evidence.retainedDelta = retained[groupIds[k]] - base;
    return evidence;
  });
}

/** Retained bytes per canonical type name (for `heapgate stat --retained` and baselines). */
export function retainedByType(snapshot: HeapSnapshot): Map<string, number> {
  const analysis = graphAnalysis(snapshot);
  const groups = analysis.groups();
  const retained = analysis.retainedByGroup();
  const result = new Map<string, number>();
  groups.names.forEach((name, g) => result.set(name, retained[g]));
  return result;
}
