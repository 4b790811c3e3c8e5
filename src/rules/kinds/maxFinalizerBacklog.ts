/**
 * `max-finalizer-backlog: 1000` — at most that many objects ready for finalization: found
 * unreferenced by a GC, waiting for the finalizer thread, and keeping everything they reference
 * alive until it runs them (SOS !FinalizeQueue's "Ready for finalization"). A backlog that grows
 * means the finalizer thread is blocked or slower than the allocations. On a `match: total` rule.
 * The queue is only in full memory dumps: on any other head the rule is inconclusive and says why.
 */
import { formatBytes, formatInt } from '../../report/format.js';
import { Count } from '../values.js';
import { noControls, wholeHeapLimit } from './wholeHeap.js';

export const MAX_FINALIZER_BACKLOG = 'max-finalizer-backlog';

const RUNNING = 'the finalizer thread is running ';

export const maxFinalizerBacklog = wholeHeapLimit({
  name: MAX_FINALIZER_BACKLOG,
  fact: 'finalizerBacklog',
  what: 'the finalization queue',
  schema: Count,
  metric: 'count',
  measure: (queue) => queue.ready,
  detail: (queue) => [
    ...queue.types.map((t) => `${formatInt(t.count)} ${noControls(t.type)} (${formatBytes(t.bytes)})`),
    ...(queue.runningFinalizer === undefined ? [] : [`${RUNNING}${noControls(queue.runningFinalizer)}`]),
    `${formatBytes(queue.readyBytes)} ready in all; ${formatInt(queue.registered)} more objects registered for finalization`,
  ],
  words: {
    label: () => 'finalizer backlog',
    actual(f) {
      if (f.actual === undefined) return '';
      const running = f.detail?.find((d) => d.startsWith(RUNNING));
      const most = f.detail?.[0] !== running ? f.detail?.[0] : undefined;
      const notes = [most && `most: ${most}`, running].filter((x) => x);
      return `${formatInt(f.actual)} ready for finalization${notes.length ? ` (${notes.join('; ')})` : ''}`;
    },
    limit: (f) => (f.limit === undefined ? '' : `≤ ${formatInt(f.limit)}`),
  },
});
