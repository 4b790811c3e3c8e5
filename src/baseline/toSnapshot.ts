/** A baseline seen as a stats-only HeapSnapshot (format 'baseline'), so diff and check take either. */
import type { HeapSnapshot, TypeStat } from '../model/snapshot.js';
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
  };
}
