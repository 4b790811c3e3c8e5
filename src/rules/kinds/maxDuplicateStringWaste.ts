/**
 * `max-duplicate-string-waste: 5MiB` — at most that many bytes held by extra copies of string
 * values (what interning or sharing them would save), on a `match: total` rule. String values are
 * only in full memory dumps: on any other head the rule is inconclusive and says why (it never
 * passes for lack of data).
 */
import { revealInvisible } from '../../report/escape.js';
import { metricValue } from '../../report/numbers.js';
import { Size } from '../values.js';
import { noControls, wholeHeapLimit } from './wholeHeap.js';

export const MAX_DUPLICATE_STRING_WASTE = 'max-duplicate-string-waste';

export const maxDuplicateStringWaste = wholeHeapLimit({
  name: MAX_DUPLICATE_STRING_WASTE,
  fact: 'duplicateStrings',
  what: 'string values',
  schema: Size,
  metric: 'bytes',
  measure: (strings) => strings.wastedBytes,
  detail: (strings) =>
    strings.top.map((d) =>
      // Values and names come from the dumped process: control characters escaped, invisible ones shown.
      revealInvisible(
        `${metricValue('bytes', d.wastedBytes)} in ${d.count} copies of ${JSON.stringify(d.value.length > 60 ? `${d.value.slice(0, 59)}…` : d.value)}` +
          (d.holders.length > 0 ? `, held by ${d.holders.map(noControls).join(', ')}` : ''),
      ),
    ),
  words: {
    label: () => 'duplicate string waste',
    actual: (f) =>
      f.actual === undefined
        ? ''
        : `${metricValue('bytes', f.actual)} wasted${f.detail?.[0] ? ` (most: ${f.detail[0]})` : ''}`,
    limit: (f) => (f.limit === undefined ? '' : `≤ ${metricValue('bytes', f.limit)}`),
  },
});
