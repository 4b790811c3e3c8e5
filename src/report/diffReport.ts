/** `heapgate diff` output: terminal text and JSON (schema version 1). */
import type { HeapDiff } from '../diff/types.js';
import { topChanges } from '../diff/sort.js';
import type { SnapshotMeta } from '../model/snapshot.js';
import { formatBytes, formatInt, signedBytes, signedInt, signedPct } from './numbers.js';
import { deltaTable } from './text.js';
import { plain } from './textTable.js';

export interface DiffSideInfo {
  source: string;
  format: SnapshotMeta['format'];
  estimated: boolean;
  estimateReasons: string[];
}

export function sideInfo(meta: SnapshotMeta): DiffSideInfo {
  return {
    source: meta.source,
    format: meta.format,
    estimated: meta.estimated,
    estimateReasons: meta.estimateReasons,
  };
}

export function renderDiffText(diff: HeapDiff, base: DiffSideInfo, head: DiffSideInfo, top: number): string {
  const t = diff.totals;
  const out = [
    `base:    ${plain(base.source)} (${base.format})`,
    `head:    ${plain(head.source)} (${head.format})`,
    `objects: ${formatInt(t.base.count)} -> ${formatInt(t.head.count)} (${signedInt(t.countDelta)}, ${signedPct(t.countPct)})`,
    `bytes:   ${formatBytes(t.base.bytes)} -> ${formatBytes(t.head.bytes)} (${signedBytes(t.bytesDelta)}, ${signedPct(t.bytesPct)})`,
    `types:   ${formatInt(diff.changedTypes)} changed, ${formatInt(diff.newTypes)} new, ${formatInt(diff.goneTypes)} gone`,
  ];
  for (const [label, side] of [
    ['base', base],
    ['head', head],
  ] as const) {
    for (const r of side.estimateReasons) out.push(`!! ${label} ESTIMATED: ${plain(r)}`);
  }
  const rows = topChanges(diff.types, top);
  if (rows.length > 0) out.push('', ...deltaTable(rows));
  return out.join('\n') + '\n';
}

export function diffJson(diff: HeapDiff, base: DiffSideInfo, head: DiffSideInfo, top?: number) {
  const changed = diff.types.filter((t) => t.status !== 'same');
  return {
    schemaVersion: 1 as const,
    base,
    head,
    totals: diff.totals,
    newTypes: diff.newTypes,
    goneTypes: diff.goneTypes,
    changedTypes: diff.changedTypes,
    /** Changed types, largest byte change first (all of them unless --top). */
    types: top === undefined ? topChanges(changed, Infinity) : topChanges(changed, top),
  };
}
