/** Terminal rendering of `heapgate stat --collections`. */
import { shorten } from '../report/escape.js';
import { formatBytes, formatInt } from '../report/format.js';
import { plain, textTable } from '../report/textTable.js';
import type { CollectionWaste, WasteGroup, WasteSection } from './collections.js';

function table(title: string, groups: WasteGroup[], withNulls: boolean, what: string): string[] {
  if (groups.length === 0) return [];
  return [
    '',
    title,
    ...textTable(
      withNulls ? ['Count', 'Null slots', 'Wasted', what] : ['Count', 'Wasted', what],
      groups.map((g) => [
        formatInt(g.count),
        ...(withNulls ? [formatInt(g.nullSlots ?? 0)] : []),
        formatInt(g.wastedBytes),
        plain(shorten(g.name)),
      ]),
      withNulls ? ['r', 'r', 'r', 'l'] : ['r', 'r', 'l'],
    ),
  ];
}

function unheld(s: WasteSection): string[] {
  return s.unheld > 0 ? [`(${formatInt(s.unheld)} held by roots only, not by a field or array)`] : [];
}

export function renderCollectionsText(report: CollectionWaste, file: string): string {
  const { emptyCollections: empty, sparseArrays: sparse } = report;
  const lines = [
    `${plain(file)}: ${formatInt(empty.objects)} empty collections keeping storage, ` +
      `${formatInt(empty.wastedBytes)} bytes (${formatBytes(empty.wastedBytes)}); ` +
      `${formatInt(sparse.objects)} sparse reference arrays (at least ${formatInt(sparse.minLength)} slots, ` +
      `${Math.round(sparse.minNullShare * 100)}% or more null), ${formatInt(sparse.nullSlots ?? 0)} null slots, ` +
      `${formatInt(sparse.wastedBytes)} bytes (${formatBytes(sparse.wastedBytes)})`,
    ...table('Empty collections by holding field', empty.holders, false, 'Held by'),
    ...unheld(empty),
    ...table('Empty collections by type', empty.types, false, 'Type'),
    ...table('Sparse arrays by holding field', sparse.holders, true, 'Held by'),
    ...unheld(sparse),
    ...table('Sparse arrays by type', sparse.types, true, 'Type'),
  ];
  return lines.join('\n') + '\n';
}
