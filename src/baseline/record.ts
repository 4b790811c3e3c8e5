/** Build a Baseline from one or more snapshots of a scenario. */
import type { HeapSnapshot } from '../model/snapshot.js';
import { combineSamples, lowerMedian } from './median.js';
import type { KnownLeaks } from '../fingerprint/knownLeaks.js';
import {
  BASELINE_SCHEMA_VERSION,
  type Baseline,
  type BaselineSample,
  type BaselineTypeEntry,
} from './schema.js';

export interface RecordOptions {
  scenario: string;
  /** ISO-8601 time of recording. */
  createdAt: string;
  /** e.g. "heapgate 0.1.0". */
  tool: string;
  commit?: string;
  /** Retained bytes per canonical type, one map per snapshot (same order), when computed. */
  retained?: readonly ReadonlyMap<string, number>[];
}

export function recordBaseline(snapshots: readonly HeapSnapshot[], opts: RecordOptions): Baseline {
  if (snapshots.length === 0) throw new Error('recordBaseline needs at least one snapshot');
  const combined = combineSamples(snapshots);
  const several = snapshots.length > 1;
  const types: Record<string, BaselineTypeEntry> = {};
  const retained = opts.retained?.length === snapshots.length ? opts.retained : undefined;
  for (const t of combined.types) {
    const r = retained ? { retained: Math.round(lowerMedian(retained.map((m) => m.get(t.name) ?? 0))) } : {};
    types[t.name] = {
      count: t.count,
      bytes: t.bytes,
      ...r,
      ...(several ? { samples: { count: t.counts, bytes: t.bytesPerSample } } : {}),
    };
  }
  const estimateReasons = snapshots.flatMap((s) =>
    s.meta.estimateReasons.map((r) => `${s.meta.source}: ${r}`),
  );
  return {
    // Version 1 until leaks are added (withLeaks): such a file reads in any heapgate.
    schemaVersion: 1,
    scenario: opts.scenario,
    createdAt: opts.createdAt,
    tool: opts.tool,
    ...(opts.commit ? { commit: opts.commit } : {}),
    statistic: 'median',
    estimated: snapshots.some((s) => s.meta.estimated),
    estimateReasons,
    samples: snapshots.map(sampleOf),
    totals: combined.totals,
    types,
  };
}

function sampleOf(s: HeapSnapshot): BaselineSample {
  const m = s.meta;
  return {
    source: m.source,
    format: m.format,
    ...(m.creationTool ? { creationTool: m.creationTool } : {}),
    ...(m.processName ? { processName: m.processName } : {}),
    ...(m.pointerSize ? { pointerSize: m.pointerSize } : {}),
    ...(m.collectedAt ? { collectedAt: m.collectedAt } : {}),
    estimated: m.estimated,
    estimateReasons: m.estimateReasons,
    totals: { objects: s.totals.objects, bytes: s.totals.bytes },
  };
}

/** The baseline with a record of known leaks (which makes it a version 2 file). */
export function withLeaks(b: Baseline, leaks: KnownLeaks): Baseline {
  return { ...b, schemaVersion: BASELINE_SCHEMA_VERSION, leaks };
}
