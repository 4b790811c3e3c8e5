import {
  NodeFlag,
  type HeapGraph,
  type HeapTotals,
  type TypeStat,
  type TypeTable,
} from '../model/snapshot.js';
import { stripSizeBucket } from '../model/typeNames.js';
import { reachableFromRoot } from '../graph/reachable.js';

/** True for nodes that are objects on the GC heap (not root pseudo-nodes, not undefined references). */
export function isObject(flags: Uint8Array, i: number): boolean {
  return (flags[i] & (NodeFlag.Pseudo | NodeFlag.Undefined)) === 0;
}

/** SOS `!DumpHeap -min`/`-max`: only objects whose own size is in [min, max] bytes. */
export interface ObjectSizeRange {
  min?: number;
  max?: number;
}

/**
 * Per-type instance count and true total bytes, one row per CLR type: size-bucket variants
 * (" (Bytes > 10K)") are merged, pseudo-nodes and undefined nodes are not objects. Counts include
 * unreachable objects, as `dotnet-gcdump report` does; with `only`, just the nodes whose entry is
 * not 0. Sampled snapshots are scaled by their
 * per-type multipliers.
 */
export function computeTypeStats(
  types: TypeTable,
  graph: HeapGraph,
  objectSize: ObjectSizeRange = {},
  only?: Uint8Array,
): TypeStat[] {
  const typeCount = types.names.length;
  const count = new Float64Array(typeCount);
  const bytes = new Float64Array(typeCount);
  const { nodeType, nodeSize, nodeFlags, nodeCount } = graph;
  const min = objectSize.min ?? 0;
  const max = objectSize.max ?? Infinity;
  for (let i = 0; i < nodeCount; i++) {
    if (!isObject(nodeFlags, i)) continue;
    if (nodeSize[i] < min || nodeSize[i] > max) continue;
    if (only !== undefined && only[i] === 0) continue;
    const t = nodeType[i];
    count[t] += 1;
    bytes[t] += nodeSize[i];
  }
  return aggregateByName(types, count, bytes);
}

/**
 * Folds per type-index totals into one row per CLR type name (size buckets merged), scaling
 * sampled snapshots by their per-type multipliers.
 */
export function aggregateByName(types: TypeTable, count: Float64Array, bytes: Float64Array): TypeStat[] {
  const m = types.countMultipliers;
  const byName = new Map<string, TypeStat>();
  for (let t = 0; t < count.length; t++) {
    if (count[t] === 0) continue;
    const scale = m && t < m.length && m[t] > 0 ? m[t] : 1;
    const name = stripSizeBucket(types.names[t] || `(unnamed type ${t})`);
    const row = byName.get(name);
    const c = Math.round(count[t] * scale);
    const b = Math.round(bytes[t] * scale);
    if (row) {
      row.count += c;
      row.bytes += b;
    } else {
      byName.set(name, { name, count: c, bytes: b });
    }
  }
  return sortStats([...byName.values()]);
}

/** Bytes descending, then count descending, then name: a stable order for tables and baselines. */
export function sortStats(stats: TypeStat[]): TypeStat[] {
  return stats.sort(
    (a, b) => b.bytes - a.bytes || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/** Objects and bytes over all rows. */
export function sumStats(stats: TypeStat[]): { objects: number; bytes: number } {
  let objects = 0;
  let bytes = 0;
  for (const s of stats) {
    objects += s.count;
    bytes += s.bytes;
  }
  return { objects, bytes };
}

/** Totals over objects, and how many of them the root does not reach. */
export function computeTotals(graph: HeapGraph, stats: TypeStat[]): HeapTotals {
  const reached = reachableFromRoot(graph);
  let unreachableObjects = 0;
  let unreachableBytes = 0;
  for (let i = 0; i < graph.nodeCount; i++) {
    if (reached[i] === 0 && isObject(graph.nodeFlags, i)) {
      unreachableObjects++;
      unreachableBytes += graph.nodeSize[i];
    }
  }
  return { ...sumStats(stats), unreachableObjects, unreachableBytes };
}
