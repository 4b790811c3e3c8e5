/**
 * `max-average-bytes: 64KB` — the head's instances of a type are at most this big on average.
 * Catches buffers, arrays and strings that got bigger rather than more numerous (a pool whose
 * arrays doubled, a cache whose entries now carry a payload), which count limits miss and byte
 * growth limits see only once the total is large.
 */
import { metricValue } from '../../report/numbers.js';
import { Size } from '../values.js';
import { defineKind } from './kind.js';

export const maxAverageBytes = defineKind<number, number>({
  name: 'max-average-bytes',
  data: 'diff',
  needsBaseline: false,
  schema: Size,
  compile: (written) => written,
  evaluate: (max, _rule, s) => {
    if (s.head.count === 0) return [];
    const average = s.head.bytes / s.head.count;
    if (average <= max) return [];
    const base = s.base && s.base.count > 0 ? s.base.bytes / s.base.count : undefined;
    return [
      { check: 'max-average-bytes', metric: 'bytes', actual: average, limit: max, base, head: average },
    ];
  },
  describe: {
    'max-average-bytes': {
      label: () => 'average size',
      actual: (f) =>
        f.actual === undefined
          ? ''
          : `${metricValue('bytes', Math.round(f.actual))} per object${f.base !== undefined ? ` (was ${metricValue('bytes', Math.round(f.base))})` : ''}`,
      limit: (f) => (f.limit === undefined ? '' : `≤ ${metricValue('bytes', f.limit)}`),
    },
  },
});
