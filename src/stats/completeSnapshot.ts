/** Turns what a reader read into the HeapSnapshot every analysis consumes: statistics from the model. */
import type { SnapshotContent } from '../model/content.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { aggregateByName, computeTotals, computeTypeStats, sumStats } from './typeStats.js';

export function completeSnapshot(content: SnapshotContent): HeapSnapshot {
  switch (content.kind) {
    case 'stats':
      return content.snapshot;
    case 'type-totals': {
      const { meta, types } = content;
      const stats = aggregateByName(types, content.count, content.bytes);
      const totals = {
        ...sumStats(stats),
        unreachableObjects: content.unreachableObjects,
        unreachableBytes: content.unreachableBytes,
      };
      return { meta, types, stats, totals };
    }
    case 'graph': {
      const { meta, types, graph } = content;
      const stats = computeTypeStats(types, graph);
      return { meta, types, graph, stats, totals: computeTotals(graph, stats) };
    }
  }
}
