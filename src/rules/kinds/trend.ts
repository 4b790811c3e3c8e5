/**
 * `trend: {max-slope, grows-in-last, …}` — limits on a type's trend over a soak run (a series of
 * snapshots), judged by `heapgate soak` only. A slope violation needs both a slope above the limit
 * and a Mann–Kendall rise at `confidence`, so one noisy round can neither fail a run nor hide a leak
 * that the other rounds show.
 */
import { z } from '../../json/zod.js';
import { formatP, metricValue, rateText } from '../../report/numbers.js';
import { settlingOf } from '../../soak/settling.js';
import { slopeIn } from '../../soak/trend.js';
import type { RulesProblem } from '../errors.js';
import type { Finding } from '../findings.js';
import type { TrendLimits } from '../types.js';
import { Count, Rate, Size } from '../values.js';
import { defineKind, METRICS, type Metric, type Violation } from './kind.js';

const MaxSlopeSchema = z.strictObject({ count: Rate.optional(), bytes: Size.optional() });
const MinGrowthSchema = z.strictObject({
  count: Count.optional(),
  bytes: Size.optional(),
  percent: z
    .number({ error: 'must be a number of percent, e.g. 5' })
    .nonnegative({ error: 'must be 0 or more' })
    .optional(),
});

const TrendSchema = z.strictObject({
  per: z.enum(['round', 'hour'], { error: "must be 'round' (per snapshot) or 'hour'" }).optional(),
  'max-slope': MaxSlopeSchema.optional(),
  'grows-in-last': Count.min(1, { error: 'must be 1 or more' }).optional(),
  'min-growth': MinGrowthSchema.optional(),
  metric: z.enum(['count', 'bytes'], { error: "must be 'count' or 'bytes'" }).optional(),
  'min-rounds': Count.min(3, { error: 'must be 3 or more: fewer points cannot show a trend' }).optional(),
  confidence: z
    .number({ error: 'must be a number between 0.5 and 1, e.g. 0.95' })
    .min(0.5, { error: 'must be at least 0.5' })
    .lt(1, { error: 'must be below 1, e.g. 0.95 or 0.99' })
    .optional(),
});
type TrendSpec = z.infer<typeof TrendSchema>;

/**
 * Least growth over the rising rounds before `grows-in-last` can fail, when the rule does not say.
 * From clean soak runs of the OrdersService app (ASP.NET Core, EF Core, HTTP clients; 6 rounds of
 * 500 requests): what rises in every round there is the runtime settling — thread-local array pool
 * slots (+4 over the last 4 rounds, 14%), `Object[]` (+22, 2.6%), `String` (+7, 0.2%); what rose more
 * slowed down round after round (see grewEnough). A real leak
 * of one object per request adds hundreds; the slowest seeded leak the tests use (3 objects per
 * round) adds 12 on a handful. So: at least 8 objects and 5% (16 KB and 5% when judging bytes).
 */
export const DEFAULT_MIN_GROWTH = { count: 8, bytes: 16 * 1024, percent: 5 } as const;

/** Defaults: per round, 95% confidence, and enough rounds for the tests to mean something. */
function limitsOf(spec: TrendSpec): TrendLimits {
  const grows = spec['grows-in-last'];
  const slope = spec['max-slope'] ?? {};
  const floor = spec['min-growth'] ?? {};
  return {
    per: spec.per ?? 'round',
    maxSlope: {
      ...(slope.count !== undefined ? { count: slope.count } : {}),
      ...(slope.bytes !== undefined ? { bytes: slope.bytes } : {}),
    },
    ...(grows !== undefined ? { growsInLast: grows } : {}),
    minGrowth: {
      count: floor.count ?? DEFAULT_MIN_GROWTH.count,
      bytes: floor.bytes ?? DEFAULT_MIN_GROWTH.bytes,
      percent: floor.percent ?? DEFAULT_MIN_GROWTH.percent,
    },
    ...(spec.metric !== undefined ? { metric: spec.metric } : {}),
    // 4 points are the fewest for which a steady rise is significant at 95% (Mann–Kendall p = 1/24);
    // "grew in each of the last K rounds" needs K + 1 points.
    minRounds: spec['min-rounds'] ?? Math.max(4, (grows ?? 0) + 1),
    confidence: spec.confidence ?? 0.95,
  };
}

/** "rose in 5 rounds in a row (100 → 600)" or "+3/round (100 → 600, p=0.0014)". */
function actualText(f: Finding): string {
  const m = f.metric ?? 'count';
  const t = f.trend;
  const span =
    f.base !== undefined && f.head !== undefined
      ? `${metricValue(m, f.base)} → ${metricValue(m, f.head)}`
      : '';
  if (f.check === 'trend-grows') {
    const rounds = `rose in ${f.actual ?? 0} round${f.actual === 1 ? '' : 's'} in a row`;
    return span ? `${rounds} (${span})` : rounds;
  }
  const rate = f.actual !== undefined && t ? rateText(m, f.actual, t.per) : '';
  const p = t ? `p=${formatP(t.pIncreasing)}` : '';
  const details = [span, p].filter(Boolean).join(', ');
  const text = details ? `${rate} (${details})` : rate;
  const st = t?.settling;
  if (!st) return text;
  return `${text}; still settling: highest at analysed round ${st.peakRound + 1}, not passed in the ${st.flatRounds} rounds since (try --warmup ${st.warmup})`;
}

export const trend = defineKind<TrendSpec, TrendLimits>({
  name: 'trend',
  data: 'series',
  schema: TrendSchema,
  knownKeys: {
    trend: Object.keys(TrendSchema.shape),
    'max-slope': Object.keys(MaxSlopeSchema.shape),
    'min-growth': Object.keys(MinGrowthSchema.shape),
  },
  unionMessage: (path) =>
    path.includes('max-slope')
      ? 'expected a size per round or hour, like 1KB'
      : path.includes('min-growth')
        ? 'expected a size, like 16KB'
        : undefined,
  compile: (written) => written && limitsOf(written),
  problems(spec, ctx) {
    const at = (key?: string) => ctx.at(['trend'], key);
    const out: RulesProblem[] = [];
    const slope = spec['max-slope'];
    if (!slope && spec['grows-in-last'] === undefined)
      out.push({ ...at(), message: 'trend has no limit: add max-slope or grows-in-last' });
    if (spec['grows-in-last'] === undefined && spec['min-growth'] !== undefined)
      out.push({ ...at('min-growth'), message: 'min-growth applies to grows-in-last: add grows-in-last' });
    if (spec['grows-in-last'] === undefined && spec.metric !== undefined)
      out.push({ ...at('metric'), message: 'metric applies to grows-in-last: add grows-in-last' });
    if (slope && slope.count === undefined && slope.bytes === undefined)
      out.push({ ...at('max-slope'), message: 'max-slope needs count, bytes or both' });
    const grows = spec['grows-in-last'];
    const min = spec['min-rounds'];
    if (grows !== undefined && min !== undefined && min < grows + 1)
      out.push({
        ...at('min-rounds'),
        message: `min-rounds ${min} is too small for grows-in-last ${grows}: growing in ${grows} rounds takes ${grows + 1} snapshots`,
      });
    return out;
  },
  undecidable(limits, rule, series) {
    if (series.length < limits.minRounds) {
      const warm =
        series.warmup > 0 ? ` after ${series.warmup} warm-up snapshot${series.warmup === 1 ? '' : 's'}` : '';
      return `only ${series.length} snapshot${series.length === 1 ? '' : 's'} to analyse${warm}; rule '${rule.id}' needs at least ${limits.minRounds} (min-rounds): run more rounds`;
    }
    const needsHours =
      limits.per === 'hour' && (limits.maxSlope.count !== undefined || limits.maxSlope.bytes !== undefined);
    const span = series.hours ? series.hours[series.length - 1] : 0;
    if (needsHours && !(span > 0))
      return `rule '${rule.id}' limits the slope per hour, but the snapshots' collection times are unknown; pass the collection manifest (heapgate-collect.json) or use 'per: round'`;
    return undefined;
  },
  evaluate(limits, rule, s, { series, trendOf }) {
    const out: Violation[] = [];
    const trends = { count: trendOf(s.count), bytes: trendOf(s.bytes) };
    // Growth across the whole analysed window below the noise floor is never reported.
    const aboveFloor = (metric: Metric): boolean => {
      const floor = rule.noiseFloor[metric];
      const t = trends[metric];
      return floor === undefined || t.last - t.first >= floor;
    };
    const violation = (check: string, metric: Metric, actual: number, limit: number): Violation => {
      const t = trends[metric];
      const slope = slopeIn(t, limits.per);
      return {
        check,
        metric,
        actual,
        limit,
        base: t.first,
        head: t.last,
        trend: {
          per: limits.per,
          ...(slope !== undefined ? { slope } : {}),
          pIncreasing: t.mannKendall.pIncreasing,
          rising: t.rising,
          points: series.length,
        },
      };
    };
    // "Grew in each of the last K rounds" (as LeakCanary and fuite judge leaks), by more than the
    // rule's least growth over those K rounds. The count is judged unless the rule asks for bytes;
    // bytes stand in only for a type whose count rose in the last round too (more instances that
    // also grow), never for a flat count: +504 bytes on 293 KB of strings is not a leak.
    const k = limits.growsInLast;
    if (k !== undefined) {
      const candidates: readonly Metric[] =
        limits.metric !== undefined ? [limits.metric] : trends.count.rising >= 1 ? METRICS : ['count'];
      const metric = candidates.find(
        (m) => trends[m].rising >= k && aboveFloor(m) && grewEnough(s[m], k, m, limits.minGrowth),
      );
      if (metric) out.push(violation('trend-grows', metric, trends[metric].rising, k - 1));
    }
    const alpha = 1 - limits.confidence;
    for (const metric of METRICS) {
      const limit = limits.maxSlope[metric];
      if (limit === undefined) continue;
      const t = trends[metric];
      const slope = slopeIn(t, limits.per);
      if (slope === undefined || slope <= limit || t.mannKendall.pIncreasing > alpha || !aboveFloor(metric))
        continue;
      const v = violation('trend-slope', metric, slope, limit);
      const settled = settlingOf(s[metric]);
      if (settled && v.trend) {
        // Warm-up too short, not a leak: said as a warning (never above the rule's own severity).
        v.trend.settling = { ...settled, warmup: series.warmup + settled.peakRound };
        if (rule.severity === 'error') v.severity = 'warning';
      }
      out.push(v);
    }
    return out;
  },
  describe: {
    'trend-slope': {
      label: (f) => (f.metric === 'bytes' ? 'bytes trend' : 'count trend'),
      actual: actualText,
      limit: (f) =>
        f.limit === undefined || f.metric === undefined
          ? ''
          : `≤ ${rateText(f.metric, f.limit, f.trend?.per ?? 'round').replace(/^[±]/, '+')}`,
    },
    'trend-grows': {
      label: () => 'grows every round',
      actual: actualText,
      limit: (f) =>
        f.limit === undefined || f.metric === undefined ? '' : `< ${f.limit + 1} rounds in a row`,
    },
  },
});

/** A tail whose last step is under 1/SLOWDOWN of its largest is settling, not leaking. */
const SLOWDOWN = 3;

/**
 * The last K steps of `values` added at least the absolute and the relative least growth, and did
 * not slow down to under a third of their largest step. A leak adds about the same every round; a
 * pool, cache or connection set reaching its working size adds less and less (Object[] in a clean
 * service run: +1, +73, +35, +16), and that is the warm-up being too short, not a leak.
 */
export function grewEnough(
  values: Float64Array,
  k: number,
  metric: Metric,
  floor: TrendLimits['minGrowth'],
): boolean {
  const n = values.length;
  if (n <= k) return false;
  const from = values[n - 1 - k];
  const growth = values[n - 1] - from;
  if (growth < floor[metric]) return false;
  if (from > 0 && (growth / from) * 100 < floor.percent) return false;
  let largest = 0;
  for (let i = n - k; i < n; i++) largest = Math.max(largest, values[i] - values[i - 1]);
  return (values[n - 1] - values[n - 2]) * SLOWDOWN >= largest;
}
