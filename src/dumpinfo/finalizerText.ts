/** Terminal rendering of `heapgate finalizequeue`. */
import { formatBytes, formatInt } from '../report/format.js';
import { plain, textTable } from '../report/textTable.js';
import type { FinalizerQueue } from './finalizer.js';

export function renderFinalizerText(queue: FinalizerQueue, file: string): string {
  const lines = [
    `${plain(file)}: ${formatInt(queue.ready)} objects ready for finalization (${formatBytes(queue.readyBytes)}), ` +
      `${formatInt(queue.registered)} more registered for finalization`,
  ];
  if (queue.runningFinalizer !== undefined)
    lines.push(`The finalizer thread is running ${plain(queue.runningFinalizer)}`);
  if (queue.types.length > 0)
    lines.push(
      '',
      ...textTable(
        ['Ready', 'Bytes', 'Type'],
        queue.types.map((t) => [formatInt(t.count), formatInt(t.bytes), plain(t.type)]),
        ['r', 'r', 'l'],
      ),
    );
  if (queue.readyTypes > queue.types.length) {
    const more = queue.readyTypes - queue.types.length;
    lines.push(`… ${formatInt(more)} more type${more === 1 ? '' : 's'} (--top)`);
  }
  return lines.join('\n') + '\n';
}
