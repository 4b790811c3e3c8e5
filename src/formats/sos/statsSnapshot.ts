/** Builds a statistics-only HeapSnapshot from per-type rows read out of text. */
import type { HeapSnapshot, SnapshotFormat, TypeStat } from '../../model/snapshot.js';
import { canonicalTypeName, type TypeNameSource } from '../../model/typeNames.js';

export interface TextRow {
  name: string;
  count: number;
  bytes: number;
}

export interface StatsSnapshotInput {
  source: string;
  format: SnapshotFormat;
  nameSource: TypeNameSource;
  rows: TextRow[];
  creationTool?: string;
  pointerSize?: 4 | 8;
  /** Overrides the summed object bytes (e.g. dotnet-gcdump report's exact `GC Heap bytes`). */
  totalBytes?: number;
  estimateReasons: string[];
  notes: string[];
}

/**
 * Merges rows by canonical type name (different method tables or size buckets can share a
 * name) and orders them as the model requires: bytes descending, then name.
 */
export function buildStatsSnapshot(input: StatsSnapshotInput): HeapSnapshot {
  const byName = new Map<string, TypeStat>();
  for (const row of input.rows) {
    const name = canonicalTypeName(row.name, input.nameSource);
    const stat = byName.get(name);
    if (stat) {
      stat.count += row.count;
      stat.bytes += row.bytes;
    } else {
      byName.set(name, { name, count: row.count, bytes: row.bytes });
    }
  }
  const stats = [...byName.values()].sort(
    (a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  let objects = 0;
  let bytes = 0;
  for (const s of stats) {
    objects += s.count;
    bytes += s.bytes;
  }
  return {
    meta: {
      source: input.source,
      format: input.format,
      creationTool: input.creationTool,
      pointerSize: input.pointerSize,
      estimated: input.estimateReasons.length > 0,
      estimateReasons: input.estimateReasons,
      notes: input.notes,
    },
    types: { names: stats.map((s) => s.name), modules: stats.map(() => null) },
    stats,
    totals: { objects, bytes: input.totalBytes ?? bytes },
  };
}
