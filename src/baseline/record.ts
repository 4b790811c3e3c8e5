/** Build a Baseline from one or more snapshots of a scenario. */
import type { HeapSnapshot } from '../model/snapshot.js';
import { combineSamples } from './median.js';
import { BASELINE_SCHEMA_VERSION, type Baseline, type BaselineSample, type BaselineTypeEntry } from './schema.js';

export interface RecordOptions {
  scenario: string;
  /** ISO-8601 time of recording. */
  createdAt: string;
  /** e.g. "heapgate 0.1.0". */
  tool: string;
  commit?: string;
}

export function recordBaseline(snapshots: readonly HeapSnapshot[], opts: RecordOptions): Baseline {
  if (snapshots.length === 0) throw new Error('recordBaseline needs at least one snapshot');
  const combined = combineSamples(snapshots);
  const several = snapshots.length > 1;
  const types: Record<string, BaselineTypeEntry> = {};
  for (const t of combined.types) {
    types[t.name] = { count: t.count, bytes: t.bytes, ...(several ? { samples: { count: t.counts, bytes: t.bytesPerSample } } : {}) };
  }
  const estimateReasons = snapshots.flatMap((s) => s.meta.estimateReasons.map((r) => `${s.meta.source}: ${r}`));
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
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
