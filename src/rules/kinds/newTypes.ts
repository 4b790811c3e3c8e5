/**
 * `new-types: warn | fail | allow | {action, max-count, max-bytes}` — types the baseline does not
 * have. Applies to every type rule (default: warn), also when written only under `defaults:`.
 */
import { z } from '../../json/zod.js';
import { metricValue } from '../../report/numbers.js';
import type { NewTypesPolicy, Rule, Severity } from '../types.js';
import { Count, Size } from '../values.js';
import { defineKind, METRICS } from './kind.js';

const NewTypeAction = z.enum(['allow', 'warn', 'fail'], { error: "must be 'allow', 'warn' or 'fail'" });
const NewTypesSchema = z.union([
  NewTypeAction,
  z.strictObject({ action: NewTypeAction, 'max-count': Count.optional(), 'max-bytes': Size.optional() }),
]);
type NewTypesSpec = z.infer<typeof NewTypesSchema>;

// Types absent from the baseline are reported as warnings unless a rule says otherwise: a new type is
// often a legitimate feature, but it must not slip through unseen.
function policy(spec: NewTypesSpec | undefined): NewTypesPolicy {
  if (spec === undefined) return { action: 'warn' };
  if (typeof spec === 'string') return { action: spec };
  return {
    action: spec.action,
    ...(spec['max-count'] !== undefined ? { maxCount: spec['max-count'] } : {}),
    ...(spec['max-bytes'] !== undefined ? { maxBytes: spec['max-bytes'] } : {}),
  };
}

/**
 * A new type is judged on its head values against `new-types` max-count/max-bytes, which default to
 * the noise floor; with neither written, any instance of a new type is flagged.
 */
function limitsOf(p: NewTypesPolicy, rule: Rule): { count?: number; bytes?: number } {
  const count = p.maxCount ?? rule.noiseFloor.count;
  const bytes = p.maxBytes ?? rule.noiseFloor.bytes;
  if (count === undefined && bytes === undefined) return { count: 0 };
  return { ...(count !== undefined ? { count } : {}), ...(bytes !== undefined ? { bytes } : {}) };
}

export const newTypes = defineKind<NewTypesSpec, NewTypesPolicy>({
  name: 'new-types',
  data: 'diff',
  needsBaseline: true,
  inDefaults: true,
  schema: NewTypesSchema,
  knownKeys: { 'new-types': ['action', 'max-count', 'max-bytes'] },
  unionMessage: (path) =>
    path[path.length - 1] === 'new-types'
      ? "expected 'allow', 'warn', 'fail' or {action, max-count, max-bytes}"
      : undefined,
  compile: (written, defaults) => policy(written ?? defaults),
  problems: (_written, ctx) =>
    ctx.isTotal
      ? [{ ...ctx.at([], 'new-types'), message: "'new-types' does not apply to 'match: total'" }]
      : [],
  evaluate(p, rule, s) {
    if (!s.isNew || p.action === 'allow') return [];
    const severity: Severity = p.action === 'warn' ? 'warning' : rule.severity;
    const limits = limitsOf(p, rule);
    for (const metric of METRICS) {
      const limit = limits[metric];
      // One finding per new type is enough.
      if (limit !== undefined && s.head[metric] > limit)
        return [{ check: 'new-type', metric, actual: s.head[metric], limit, head: s.head[metric], severity }];
    }
    return [];
  },
  describe: {
    'new-type': {
      label: () => 'new type',
      actual: (f) =>
        f.actual === undefined || f.metric === undefined
          ? ''
          : `${metricValue(f.metric, f.actual)}${f.metric === 'count' ? ' objects' : ''} (not in baseline)`,
      limit: (f) =>
        f.limit === undefined || f.metric === undefined ? '' : `≤ ${metricValue(f.metric, f.limit)}`,
    },
  },
});
