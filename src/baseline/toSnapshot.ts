/** A baseline seen as a stats-only HeapSnapshot (format 'baseline'), so diff and check take either. */
import type { HeapSnapshot, RunSamples, TypeStat } from '../model/snapshot.js';
import { compareNames } from '../diff/diffStats.js';
import type { Baseline } from './schema.js';

export function baselineToSnapshot(b: Baseline, source: string): HeapSnapshot {
  const stats: TypeStat[] = Object.entries(b.types)
    .map(([name, e]) => ({
      name,
      count: e.count,
      bytes: e.bytes,
      ...(e.retained !== undefined ? { retained: e.retained } : {}),
    }))
    .sort((x, y) => y.bytes - x.bytes || compareNames(x.name, y.name));
  const first = b.samples[0];
  const runs = b.samples.length;
  return {
    meta: {
      source,
      format: 'baseline',
      creationTool: b.tool,
      ...(first?.processName ? { processName: first.processName } : {}),
      ...(first?.pointerSize ? { pointerSize: first.pointerSize } : {}),
      collectedAt: b.createdAt,
      estimated: b.estimated,
      estimateReasons: b.estimateReasons,
      notes: [
        `baseline of scenario '${b.scenario}' recorded ${b.createdAt}${b.commit ? ` at ${b.commit}` : ''} from ${b.samples.length} sample${b.samples.length === 1 ? '' : 's'} (${b.statistic})`,
      ],
    },
    types: { names: stats.map((s) => s.name), modules: stats.map(() => null) },
    stats,
    totals: { objects: b.totals.objects, bytes: b.totals.bytes },
    ...(runs > 1 ? { samples: { runs, types: samplesOf(b, runs) } } : {}),
    ...(b.leaks ? { leaks: b.leaks } : {}),
  };
}

function samplesOf(b: Baseline, runs: number): RunSamples['types'] {
  const types = new Map<string, { count: readonly number[]; bytes: readonly number[] }>();
  for (const [name, e] of Object.entries(b.types)) {
    // A type recorded without samples had the same value in every run.
    types.set(
      name,
      e.samples ?? { count: Array<number>(runs).fill(e.count), bytes: Array<number>(runs).fill(e.bytes) },
    );
  }
  return types;
}
