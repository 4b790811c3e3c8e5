/**
 * `max-loh-fragmentation: [8MiB, 25%]` — at most that much free space between objects on the large
 * object heap (which the GC does not compact by default), as bytes and/or as a share of the LOH's
 * allocated bytes; with both, the LOH must exceed both to fail (the larger allowance wins, as in
 * max-growth). On a `match: total` rule. Segments are only in full memory dumps: on any other
 * head the rule is inconclusive and says why.
 */
import { formatBytes } from '../../report/format.js';
import { metricValue } from '../../report/numbers.js';
import { parseSize } from '../units.js';
import { growthValue, type GrowthValue } from '../values.js';
import { defineKind, factOf, type LohFragmentationFact } from './kind.js';
import { noControls, wholeHeapOnly } from './wholeHeap.js';

export const MAX_LOH_FRAGMENTATION = 'max-loh-fragmentation';

const whole = wholeHeapOnly(MAX_LOH_FRAGMENTATION);

/** The free bytes the limit allows on a LOH of `allocated` bytes. */
export function lohAllowance(limit: GrowthValue, allocated: number): number {
  const abs = limit.abs ?? -Infinity;
  const pct = limit.pct !== undefined ? Math.floor((allocated * limit.pct) / 100) : -Infinity;
  return Math.max(abs, pct);
}

const neighbour = (n: LohFragmentationFact['largestFree'][number]['before']) =>
  n ? `${noControls(n.type)} (${formatBytes(n.size)} at ${n.address})` : 'nothing';

export const maxLohFragmentation = defineKind<GrowthValue, GrowthValue>({
  name: MAX_LOH_FRAGMENTATION,
  data: 'diff',
  needsBaseline: false,
  needsValues: { fact: 'lohFragmentation', what: 'heap segments' },
  schema: growthValue(parseSize, 'a size like 8MB'),
  unionMessage: () => 'expected a size like 8MB, a percentage like 25%, or a list of one of each',
  compile: (written) =>
    written && (written.abs !== undefined || written.pct !== undefined) ? written : undefined,
  problems: (written, ctx) => [
    ...whole(written, ctx),
    ...(written.pct !== undefined && written.pct > 100
      ? [
          {
            ...ctx.at([], MAX_LOH_FRAGMENTATION),
            message: `${MAX_LOH_FRAGMENTATION}: ${written.pct}% is more than the whole large object heap; write at most 100%`,
          },
        ]
      : []),
  ],
  evaluate(limit, _rule, s, ctx) {
    const loh = factOf(ctx, 'lohFragmentation');
    if (s.name !== 'total' || loh === undefined) return [];
    const allowed = lohAllowance(limit, loh.allocatedBytes);
    if (loh.freeBytes <= allowed) return [];
    const n = loh.segments.length;
    return [
      {
        check: MAX_LOH_FRAGMENTATION,
        metric: 'bytes',
        actual: loh.freeBytes,
        limit: allowed,
        head: loh.freeBytes,
        detail: [
          `${(100 * loh.fragmentation).toFixed(1)}% of ${formatBytes(loh.allocatedBytes)} on ${n} segment${n === 1 ? '' : 's'}`,
          ...loh.segments
            .filter((seg) => seg.freeBytes > 0)
            .map(
              (seg) =>
                `segment ${seg.address}: ${formatBytes(seg.freeBytes)} free of ${formatBytes(seg.allocatedBytes)}`,
            ),
          ...loh.largestFree.map(
            (b) =>
              `${formatBytes(b.size)} free at ${b.address}, between ${neighbour(b.before)} and ${neighbour(b.after)}`,
          ),
        ],
      },
    ];
  },
  describe: {
    [MAX_LOH_FRAGMENTATION]: {
      label: () => 'LOH fragmentation',
      actual: (f) =>
        f.actual === undefined
          ? ''
          : `${metricValue('bytes', f.actual)} free${f.detail?.[0] ? ` (${f.detail[0]})` : ''}`,
      limit: (f) => (f.limit === undefined ? '' : `≤ ${metricValue('bytes', f.limit)}`),
    },
  },
});
