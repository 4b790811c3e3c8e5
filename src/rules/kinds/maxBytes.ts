/** `max-bytes: 10MB` — at most that many bytes of a type (or of the matched types summed, or of the heap). */
import { metricValue } from '../../report/numbers.js';
import { Size } from '../values.js';
import { defineKind } from './kind.js';

export const maxBytes = defineKind<number, number>({
  name: 'max-bytes',
  data: 'diff',
  needsBaseline: false,
  schema: Size,
  compile: (written) => written,
  evaluate: (max, _rule, s) =>
    s.head.bytes > max
      ? [
          {
            check: 'max-bytes',
            metric: 'bytes',
            actual: s.head.bytes,
            limit: max,
            base: s.base?.bytes,
            head: s.head.bytes,
          },
        ]
      : [],
  describe: {
    'max-bytes': {
      label: () => 'max bytes',
      actual: (f) => (f.actual === undefined ? '' : metricValue('bytes', f.actual)),
      limit: (f) => (f.limit === undefined ? '' : `≤ ${metricValue('bytes', f.limit)}`),
    },
  },
});
