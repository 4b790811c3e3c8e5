/** Terminal rendering of `heapgate eeheap`. */
import { formatBytes, formatInt } from '../report/format.js';
import { textTable } from '../report/textTable.js';
import { AREA_LABEL, type EEHeap, type EEHeapSummary } from './eeheap.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function renderEEHeapText(heap: EEHeap, summary: EEHeapSummary, opts: { segments: boolean }): string {
  const lines = [
    `GC heap: ${summary.server ? 'server' : 'workstation'} GC, ${summary.heapCount} heap${summary.heapCount === 1 ? '' : 's'}, ` +
      `${summary.total.segments} ${summary.regions ? 'regions' : 'segments'}`,
    '',
    ...textTable(
      [
        'Generation',
        'Segments',
        'Allocated',
        'Committed',
        'Objects',
        'Object bytes',
        'Free',
        'Fragmentation',
      ],
      [...summary.areas, { ...summary.total, area: 'total' as const }]
        .filter((a) => a.segments > 0 || a.area === 'total')
        .map((a) => [
          a.area === 'total' ? 'Total' : AREA_LABEL[a.area],
          formatInt(a.segments),
          formatInt(a.allocatedBytes),
          formatInt(a.committedBytes),
          formatInt(a.objects),
          formatInt(a.objectBytes),
          formatInt(a.freeBytes),
          pct(a.fragmentation),
        ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    `GC allocated heap size: ${formatInt(summary.total.allocatedBytes)} bytes (${formatBytes(summary.total.allocatedBytes)}); ` +
      `committed: ${formatInt(summary.total.committedBytes)} bytes (${formatBytes(summary.total.committedBytes)})`,
  ];
  if (opts.segments) {
    lines.push(
      '',
      ...textTable(
        ['Heap', 'Kind', 'Segment', 'Begin', 'Allocated', 'Committed', 'Allocated size', 'Committed size'],
        [...heap.segments]
          .sort((a, b) => a.heap - b.heap || (BigInt(`0x${a.begin}`) < BigInt(`0x${b.begin}`) ? -1 : 1))
          .map((s) => [
            String(s.heap),
            s.kind,
            s.address,
            s.begin,
            s.allocated,
            s.committed,
            formatInt(s.allocatedBytes),
            formatInt(s.committedBytes),
          ]),
        ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  return lines.join('\n') + '\n';
}
