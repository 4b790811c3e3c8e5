/** The two absolute limits (`max-count`, `max-bytes`): one metric of the head, at most N. */
import type * as z from 'zod';
import { metricValue } from '../../report/numbers.js';
import { defineKind, type Metric } from './kind.js';

export function absoluteLimit(
  name: 'max-count' | 'max-bytes',
  metric: Metric,
  schema: z.ZodType<number, unknown>,
  actualText: (value: number) => string,
) {
  return defineKind<number, number>({
    name,
    data: 'diff',
    needsBaseline: false,
    schema,
    compile: (written) => written,
    evaluate: (max, _rule, s) =>
      s.head[metric] > max
        ? [
            {
              check: name,
              metric,
              actual: s.head[metric],
              limit: max,
              base: s.base?.[metric],
              head: s.head[metric],
            },
          ]
        : [],
    describe: {
      [name]: {
        label: () => name.replace('-', ' '),
        actual: (f) => (f.actual === undefined ? '' : actualText(f.actual)),
        limit: (f) => (f.limit === undefined ? '' : `≤ ${metricValue(metric, f.limit)}`),
      },
    },
  });
}
