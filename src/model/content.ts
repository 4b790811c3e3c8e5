/**
 * What a format reader hands over: the snapshot as the file holds it, before any analysis.
 * Statistics and totals are computed from this by src/snapshot (see completeSnapshot), never
 * inside a reader; text formats whose rows already are per-type statistics pass them through.
 */
import type { HeapGraph, HeapSnapshot, SnapshotMeta, TypeTable } from './snapshot.js';

/** A full object graph: statistics and totals are computed from its nodes. */
export interface GraphContent {
  kind: 'graph';
  meta: SnapshotMeta;
  types: TypeTable;
  graph: HeapGraph;
}

/** Per type-index sums from a pass over the node records, without building the graph. */
export interface TypeTotalsContent {
  kind: 'type-totals';
  meta: SnapshotMeta;
  types: TypeTable;
  /** Objects per type index (pseudo and undefined nodes excluded). */
  count: Float64Array;
  /** Shallow bytes per type index. */
  bytes: Float64Array;
  /** Objects and bytes no root reaches (included above); absent when the pass did not look. */
  unreachableObjects?: number;
  unreachableBytes?: number;
}

/** Per-type rows as the source printed them (SOS and dotnet-gcdump text, dumps read through SOS). */
export interface StatsContent {
  kind: 'stats';
  snapshot: HeapSnapshot;
}

export type SnapshotContent = GraphContent | TypeTotalsContent | StatsContent;
