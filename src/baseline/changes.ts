/** What replacing one baseline with another would change, in a few lines (shown before overwriting). */
import { diffStats } from '../diff/diffStats.js';
import { topChanges } from '../diff/sort.js';
import { formatBytes, formatInt, signedBytes, signedInt } from '../report/numbers.js';
import type { Baseline } from './schema.js';
import { baselineToSnapshot } from './toSnapshot.js';

export function describeBaselineChange(before: Baseline, after: Baseline, top = 10): string[] {
  const d = diffStats(baselineToSnapshot(before, 'old'), baselineToSnapshot(after, 'new'));
  const lines = [
    `totals: ${formatInt(before.totals.objects)} -> ${formatInt(after.totals.objects)} objects (${signedInt(d.totals.countDelta)}), ${formatBytes(before.totals.bytes)} -> ${formatBytes(after.totals.bytes)} (${signedBytes(d.totals.bytesDelta)})`,
    `types: ${formatInt(d.changedTypes)} changed, ${formatInt(d.newTypes)} new, ${formatInt(d.goneTypes)} gone; samples ${before.samples.length} -> ${after.samples.length}`,
  ];
  for (const t of topChanges(d.types, top)) {
    lines.push(
      `  ${signedInt(t.countDelta).padStart(10)} ${signedBytes(t.bytesDelta).padStart(12)}  ${t.name}${t.status === 'new' ? ' (new)' : t.status === 'gone' ? ' (gone)' : ''}`,
    );
  }
  return lines;
}
