/**
 * Evidence for findings: for each offending type, its root-path clusters and retained bytes.
 * All graph passes are shared per snapshot (graphAnalysis), so asking for ten types costs one
 * BFS, one dominator tree and one sweep for the clusters.
 */
import type { TypeEvidence } from '../model/evidence.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { stripSizeBucket } from '../model/typeNames.js';
import { findAccumulationPoints, toAccumulationEvidence } from './accumulation.js';
import { graphAnalysis } from './analysis.js';
import { clusterByRootPath } from './clusters.js';
import { findGroup } from './typeGroups.js';

export interface EvidenceOptions {
  /** Clusters kept per type; the rest are summarised in `omitted`. */
  maxClusters: number;
  /** Baseline retained bytes by canonical type name, for "fixing this frees ~X". */
  /** Search for accumulation points (default true). */
  accumulation?: boolean;
  baseline?: { retainedByType: ReadonlyMap<string, number> | Readonly<Record<string, number>> };
}

function baselineValue(baseline: EvidenceOptions['baseline'], type: string): number | undefined {
  if (!baseline) return undefined;
  const source = baseline.retainedByType;
  if (source instanceof Map) return source.get(type);
  const record = source as Readonly<Record<string, number>>;
  return Object.prototype.hasOwnProperty.call(record, type) ? record[type] : undefined;
}

/** One TypeEvidence per requested name (canonical; a size-bucket suffix is ignored), in order. */
export function buildTypeEvidence(
  snapshot: HeapSnapshot,
  typeNames: readonly string[],
  options: EvidenceOptions,
): TypeEvidence[] {
  const analysis = graphAnalysis(snapshot);
  const groups = analysis.groups();
  const canonical = typeNames.map(stripSizeBucket);
  const wanted = canonical.map((n) => findGroup(groups, n));
  const groupIds = [...new Set(wanted.filter((g) => g >= 0))];
  const clusters = clusterByRootPath(
    snapshot,
    { tree: analysis.tree(), groups, signatures: analysis.signatures() },
    groupIds,
    options.maxClusters,
  );
  const retained = analysis.retainedByGroup();
  const tree = analysis.tree();
  const points =
    options.accumulation === false
      ? groupIds.map(() => [])
      : findAccumulationPoints(snapshot, { tree, groups, reverse: analysis.reverse() }, groupIds);
  return canonical.map((type, i) => {
    const k = groupIds.indexOf(wanted[i]);
    if (k < 0) return { type, instances: 0, bytes: 0, clusters: [], retainedBytes: 0 };
    const c = clusters[k];
    const evidence: TypeEvidence = {
      type,
      instances: c.instances,
      bytes: c.bytes,
      ...(points[k].length > 0
        ? { accumulation: points[k].map((p) => toAccumulationEvidence(snapshot, tree, p, c.instances)) }
        : {}),
      clusters: c.clusters,
      retainedBytes: retained[groupIds[k]],
    };
    if (c.omitted) evidence.omitted = c.omitted;
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
