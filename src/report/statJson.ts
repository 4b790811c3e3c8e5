import type { HeapSnapshot } from '../model/snapshot.js';
import type { SelectedStats } from '../stats/selectStats.js';

/** `heapgate stat --json` document. Key order is part of the contract (documented in README). */
export interface StatJson {
  schemaVersion: 1;
  format: string;
  totals: { objects: number; bytes: number; unreachableObjects?: number; unreachableBytes?: number };
  types: { name: string; count: number; bytes: number; retained?: number }[];
  meta: {
    source: string;
    creationTool: string | null;
    processName: string | null;
    processId: number | null;
    pointerSize: number | null;
    collectedAt: string | null;
    estimated: boolean;
    estimateReasons: string[];
    typesShown: number;
    typesMatched: number;
    typesTotal: number;
    /** `--min-object`/`--max-object`: only objects within these sizes were counted. */
    objectSize?: { min?: number; max?: number };
    /** Types whose counts may be too low, and why (a live walk that may have missed roots). */
    uncertainTypes?: { names: string[]; reason: string };
  };
}

export function statJson(
  snap: HeapSnapshot,
  sel: SelectedStats,
  objectSize?: { min?: number; max?: number },
): StatJson {
  const { meta, totals } = snap;
  return {
    schemaVersion: 1,
    format: meta.format,
    totals: {
      objects: totals.objects,
      bytes: totals.bytes,
      ...(totals.unreachableObjects === undefined
        ? {}
        : { unreachableObjects: totals.unreachableObjects, unreachableBytes: totals.unreachableBytes ?? 0 }),
    },
    types: sel.rows.map((s) => ({
      name: s.name,
      count: s.count,
      bytes: s.bytes,
      ...(s.retained === undefined ? {} : { retained: s.retained }),
    })),
    meta: {
      source: meta.source,
      creationTool: meta.creationTool ?? null,
      processName: meta.processName ?? null,
      processId: meta.processId ?? null,
      pointerSize: meta.pointerSize ?? null,
      collectedAt: meta.collectedAt ?? null,
      estimated: meta.estimated,
      estimateReasons: meta.estimateReasons,
      typesShown: sel.rows.length,
      typesMatched: sel.matched,
      typesTotal: sel.total,
      ...(objectSize ? { objectSize } : {}),
      ...(meta.uncertainTypes ? { uncertainTypes: meta.uncertainTypes } : {}),
    },
  };
}
