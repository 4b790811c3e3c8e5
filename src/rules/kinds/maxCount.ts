/** `max-count: N` — at most N objects of a type (or of the matched types summed, or of the heap). */
import { formatInt, metricValue } from '../../report/numbers.js';
import { Count } from '../values.js';
import { defineKind } from './kind.js';

export const maxCount = defineKind<number, number>({
  name: 'max-count',
  data: 'diff',
  needsBaseline: false,
  schema: Count,
  compile: (written) => written,
  evaluate: (max, _rule, s) =>
    s.head.count > max
      ? [
          {
            check: 'max-count',
            metric: 'count',
            actual: s.head.count,
            limit: max,
            base: s.base?.count,
            head: s.head.count,
          },
        ]
      : [],
  describe: {
    'max-count': {
      label: () => 'max count',
      actual: (f) => (f.actual === undefined ? '' : `${formatInt(f.actual)} objects`),
      limit: (f) => (f.limit === undefined ? '' : `≤ ${metricValue('count', f.limit)}`),
    },
  },
});
