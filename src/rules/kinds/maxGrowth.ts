/**
 * `max-growth: {count: [1000, 10%], bytes: 10%}` — growth over the baseline, absolute and/or in
 * percent (the larger allowance wins); growth below the rule's noise floor is never reported.
 */
import { z } from '../../json/zod.js';
import { percent } from '../../diff/diffStats.js';
import { metricValue, signedMetric, signedPct } from '../../report/numbers.js';
import type { GrowthLimit } from '../types.js';
import { countAbs, growthValue } from '../values.js';
import { parseSize } from '../units.js';
import { defineKind, METRICS, type Violation } from './kind.js';

const GrowthSchema = z.strictObject({
  count: growthValue(countAbs, 'a whole number of objects').optional(),
  bytes: growthValue(parseSize, 'a size like 64KB').optional(),
});

export type MaxGrowth = z.infer<typeof GrowthSchema>;

/** The larger of the absolute and the percentage allowance (a type must exceed both to fail). */
export function allowance(limit: GrowthLimit, base: number): number {
  const abs = limit.abs ?? -Infinity;
  const pct = limit.pct !== undefined ? Math.floor((base * limit.pct) / 100) : -Infinity;
  return Math.max(abs, pct);
}

export const maxGrowth = defineKind<MaxGrowth, MaxGrowth>({
  name: 'max-growth',
  data: 'diff',
  needsBaseline: true,
  schema: GrowthSchema,
  knownKeys: { 'max-growth': Object.keys(GrowthSchema.shape) },
  unionMessage: (path) =>
    path[path.length - 1] === 'count' || path[path.length - 1] === 'bytes'
      ? 'expected an amount, a percentage like 10%, or a list of one of each'
      : undefined,
  compile: (written) =>
    written?.count || written?.bytes
      ? {
          ...(written.count ? { count: written.count } : {}),
          ...(written.bytes ? { bytes: written.bytes } : {}),
        }
      : undefined,
  evaluate(limits, rule, s, ctx) {
    // A type the baseline does not have is judged by `new-types`, not by growth.
    if (s.isNew || !s.base) return [];
    const out: Violation[] = [];
    for (const metric of METRICS) {
      const limit = limits[metric];
      if (!limit) continue;
      const growth = s.head[metric] - s.base[metric];
      const floor = rule.noiseFloor[metric];
      if (floor !== undefined && growth < floor) continue;
      // Per type, a clean run's measured noise widens the rule's allowance (never narrows it).
      const tolerance = s.noise?.[metric];
      const allowed = Math.max(allowance(limit, s.base[metric]), tolerance ?? -Infinity);
      if (growth > allowed)
        out.push({
          ...(tolerance !== undefined && ctx.noise ? { noise: { tolerance, ...ctx.noise } } : {}),
          check: 'growth',
          metric,
          actual: growth,
          limit: allowed,
          base: s.base[metric],
          head: s.head[metric],
          pct: percent(s.base[metric], s.head[metric]),
        });
    }
    return out;
  },
  describe: {
    growth: {
      label: (f) => (f.metric === 'bytes' ? 'bytes growth' : 'count growth'),
      actual(f) {
        if (f.actual === undefined || f.metric === undefined) return '';
        const m = f.metric;
        if (f.base !== undefined && f.head !== undefined)
          return `${signedMetric(m, f.actual)} (${metricValue(m, f.base)} → ${metricValue(m, f.head)}, ${signedPct(f.pct ?? null)})`;
        return `${metricValue(m, f.actual)}${m === 'count' ? ' objects' : ''}`;
      },
      // A growth allowance is never negative: "+0", not "±0".
      limit(f) {
        if (f.limit === undefined || f.metric === undefined) return '';
        const limit = `≤ +${metricValue(f.metric, f.limit)}`;
        const n = f.noise;
        if (!n) return limit;
        // Say which bound decided: the rule's allowance, or the noise measured in clean runs.
        const basis = `${n.runs} clean runs, ${+(n.confidence * 100).toFixed(1)}%`;
        return n.tolerance >= f.limit
          ? `${limit} (measured noise, ${basis})`
          : `${limit} (noise +${metricValue(f.metric, n.tolerance)}, ${basis})`;
      },
    },
  },
});
