/**
 * `max-empty-collections: 5000` or `{count: 5000, bytes: 4MiB}` — at most that many empty
 * collections that keep storage (a List, Dictionary, HashSet, Queue, Stack, SortedList,
 * PriorityQueue, ArrayList or ConcurrentDictionary with no elements but an allocated array), and/or
 * at most that many bytes of such storage. `max-sparse-array-waste: 1MiB` — at most that many
 * bytes in the null slots of sparse reference arrays (at least 16 slots, at least half of them
 * null). Both on a `match: total` rule; the evidence names the fields holding them. Collection
 * contents are only in full memory dumps: on any other head the rules are inconclusive.
 */
import { z } from '../../json/zod.js';
import { formatBytes, formatInt } from '../../report/format.js';
import { metricValue } from '../../report/numbers.js';
import { Count, Size } from '../values.js';
import { defineKind, factOf, type CollectionWasteFact, type Metric, type Violation } from './kind.js';
import { noControls, wholeHeapLimit, wholeHeapOnly } from './wholeHeap.js';

export const MAX_EMPTY_COLLECTIONS = 'max-empty-collections';
export const MAX_SPARSE_ARRAY_WASTE = 'max-sparse-array-waste';

const EmptyLimits = z.strictObject({ count: Count.optional(), bytes: Size.optional() });
const EmptySchema = z.union([Count, EmptyLimits]);
type EmptyWritten = z.infer<typeof EmptySchema>;
type EmptyLimit = { count?: number; bytes?: number };

/** Holders first (most waste first), then the types: evidence lines of a waste fact. */
function evidence(fact: CollectionWasteFact, what: string): string[] {
  const slots = (n: number | undefined) => (n === undefined ? '' : `, ${formatInt(n)} null slots`);
  return [
    ...fact.holders.map(
      (h) =>
        `${formatInt(h.count)} ${what} held by ${noControls(h.holder)} (${formatBytes(h.wastedBytes)}${slots(h.nullSlots)})`,
    ),
    ...fact.types.map(
      (t) =>
        `${formatInt(t.count)} ${noControls(t.type)} (${formatBytes(t.wastedBytes)}${slots(t.nullSlots)})`,
    ),
  ];
}

const most = (detail: string[] | undefined) => (detail?.[0] ? ` (most: ${detail[0]})` : '');

export const maxEmptyCollections = defineKind<EmptyWritten, EmptyLimit>({
  name: MAX_EMPTY_COLLECTIONS,
  data: 'diff',
  needsBaseline: false,
  needsValues: { fact: 'emptyCollections', what: 'collection contents' },
  schema: EmptySchema,
  knownKeys: { [MAX_EMPTY_COLLECTIONS]: Object.keys(EmptyLimits.shape) },
  unionMessage: (path) =>
    path[path.length - 1] === MAX_EMPTY_COLLECTIONS
      ? 'expected a whole number of collections, or {count: N, bytes: SIZE}'
      : undefined,
  compile: (written) => {
    if (written === undefined) return undefined;
    const limit = typeof written === 'number' ? { count: written } : written;
    return limit.count === undefined && limit.bytes === undefined ? undefined : limit;
  },
  problems: wholeHeapOnly(MAX_EMPTY_COLLECTIONS),
  evaluate(limit, _rule, s, ctx) {
    const fact = factOf(ctx, 'emptyCollections');
    if (s.name !== 'total' || fact === undefined) return [];
    const out: Violation[] = [];
    const measured: Record<Metric, number> = { count: fact.objects, bytes: fact.wastedBytes };
    for (const metric of ['count', 'bytes'] as const) {
      const max = limit[metric];
      if (max === undefined || measured[metric] <= max) continue;
      out.push({
        check: MAX_EMPTY_COLLECTIONS,
        metric,
        actual: measured[metric],
        limit: max,
        head: measured[metric],
        detail: evidence(fact, 'empty'),
      });
    }
    return out;
  },
  describe: {
    [MAX_EMPTY_COLLECTIONS]: {
      label: (f) => (f.metric === 'bytes' ? 'empty collections bytes' : 'empty collections'),
      actual: (f) =>
        f.actual === undefined || f.metric === undefined
          ? ''
          : `${metricValue(f.metric, f.actual)}${f.metric === 'count' ? ' empty collections' : ' of storage'}${most(f.detail)}`,
      limit: (f) =>
        f.limit === undefined || f.metric === undefined ? '' : `≤ ${metricValue(f.metric, f.limit)}`,
    },
  },
});

export const maxSparseArrayWaste = wholeHeapLimit({
  name: MAX_SPARSE_ARRAY_WASTE,
  fact: 'sparseArrays',
  what: 'array contents',
  schema: Size,
  metric: 'bytes',
  measure: (fact) => fact.wastedBytes,
  detail: (fact) => evidence(fact, 'sparse arrays'),
  words: {
    label: () => 'sparse array waste',
    actual: (f) =>
      f.actual === undefined ? '' : `${metricValue('bytes', f.actual)} in null slots${most(f.detail)}`,
    limit: (f) => (f.limit === undefined ? '' : `≤ ${metricValue('bytes', f.limit)}`),
  },
});
