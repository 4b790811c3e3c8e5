import type { HeapSnapshot } from '../model/snapshot.js';
import type { SelectedStats } from '../stats/selectStats.js';
import { formatBytes, formatInt } from './format.js';

/** The terminal `!DumpHeap -stat`-style table with a header describing the snapshot. */
export function renderStatText(
  snap: HeapSnapshot,
  sel: SelectedStats,
  opts: { retained?: boolean } = {},
): string {
  const { meta, totals } = snap;
  const out: string[] = [];
  if (meta.estimated) {
    for (const reason of meta.estimateReasons) out.push(`!! ESTIMATED: ${reason}`);
    out.push('');
  }
  const field = (k: string, v: string) => out.push(`${k.padEnd(14)}${v}`);
  field('snapshot', meta.source);
  field('format', meta.creationTool ? `${meta.format} (written by ${meta.creationTool})` : meta.format);
  if (meta.processName || meta.processId) {
    field(
      'process',
      [meta.processName, meta.processId ? `pid ${meta.processId}` : ''].filter(Boolean).join(', '),
    );
  }
  field(
    'pointer size',
    meta.pointerSize ? `${meta.pointerSize} bytes (${meta.pointerSize * 8}-bit)` : 'unknown',
  );
  field('collected', meta.collectedAt ?? 'not recorded in the file');
  field('objects', formatInt(totals.objects));
  field('bytes', `${formatInt(totals.bytes)} (${formatBytes(totals.bytes)})`);
  if (totals.unreachableObjects !== undefined) {
    field(
      'unreachable',
      `${formatInt(totals.unreachableObjects)} objects, ${formatInt(totals.unreachableBytes ?? 0)} bytes (not reachable from any root; included above)`,
    );
  }
  for (const note of meta.notes) field('note', note);
  out.push('');

  const head = ['Count', 'Total bytes', ...(opts.retained ? ['Retained'] : []), 'Type'];
  const rows = sel.rows.map((s) => [
    formatInt(s.count),
    formatInt(s.bytes),
    ...(opts.retained ? [s.retained === undefined ? '' : formatInt(s.retained)] : []),
    s.name,
  ]);
  const widths = head.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .slice(0, -1)
      .map((c, i) => c.padStart(widths[i]))
      .concat(cells[cells.length - 1])
      .join('  ');
  out.push(line(head));
  for (const r of rows) out.push(line(r));
  if (sel.rows.length === 0) out.push('(no types match)');
  const shownBytes = sel.rows.reduce((a, s) => a + s.bytes, 0);
  const shownCount = sel.rows.reduce((a, s) => a + s.count, 0);
  out.push(
    `${sel.rows.length} of ${sel.total} types shown (${sel.matched} matched the filters): ${formatInt(shownCount)} objects, ${formatInt(shownBytes)} bytes`,
  );
  return out.join('\n') + '\n';
}
