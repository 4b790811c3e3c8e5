/** Terminal rendering of `heapgate handles`. */
import { formatInt } from '../report/format.js';
import { plain, textTable } from '../report/textTable.js';
import { shorten } from '../report/escape.js';
import type { HandleSummary } from './handles.js';

export function renderHandlesText(summary: HandleSummary, opts: { top: number; all: boolean }): string {
  const rows = summary.types.filter((t) => opts.all || t.keepsAlive);
  const shown = rows.slice(0, opts.top);
  const lines = [
    `${formatInt(summary.handles)} GC handles; ${formatInt(summary.keepingAlive)} keep their target alive ` +
      `(strong, pinned, async-pinned, ref-counted, sized-ref), ${formatInt(summary.pinned)} pin it`,
    '',
    ...textTable(
      ['Kind', 'Handles', 'Keeps alive'],
      summary.kinds.map((k) => [k.kind, formatInt(k.handles), k.keepsAlive ? 'yes' : 'no']),
      ['l', 'r', 'l'],
    ),
    '',
    opts.all
      ? 'Targets by kind and type:'
      : 'Targets kept alive by handles, by kind and type (--all adds weak and dependent handles):',
    ...textTable(
      ['', 'Kind', 'Handles', 'Bytes', 'Type'],
      shown.map((t) => [
        t.pinned ? '!!' : t.keepsAlive ? '!' : '',
        t.kind,
        formatInt(t.handles),
        formatInt(t.bytes),
        plain(shorten(t.type)),
      ]),
      ['l', 'l', 'r', 'r', 'l'],
    ),
  ];
  if (rows.length > shown.length) lines.push(`… ${formatInt(rows.length - shown.length)} more (--top)`);
  lines.push('', '! keeps its target alive; !! also pins it in place (fragmentation).');
  return lines.join('\n') + '\n';
}
