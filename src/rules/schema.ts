/**
 * The written shape of a rules file (heapgate.yml), validated with zod. Keys are kebab-case and every
 * object is strict so that a misspelt key is an error, never a silently ignored limit.
 */
import * as z from 'zod';
import { isPercentText, parsePercent, parseSize } from './units.js';

const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });

export const MatcherObjectSchema = z.union([
  z.strictObject({ type: nonEmpty }),
  z.strictObject({ glob: nonEmpty }),
  z.strictObject({ regex: nonEmpty }),
  z.strictObject({ namespace: nonEmpty }),
]);
export const MatcherSchema = z.union([nonEmpty, MatcherObjectSchema]);
export const MatcherListSchema = z.union([
  MatcherSchema,
  z.array(MatcherSchema).min(1, { error: 'needs at least one pattern' }),
]);

const Count = z
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .nonnegative({ error: 'must be 0 or more' });

const Size = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const bytes = parseSize(v);
  if (bytes === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `'${String(v)}' is not a size: write bytes (65536) or a size like 64KB, 10MB, 1GB`,
    });
    return z.NEVER;
  }
  return bytes;
});

export interface GrowthValue {
  abs?: number;
  pct?: number;
}

/** One growth bound: an absolute amount, a percentage ("10%"), or a list of one of each. */
function growthValue(abs: (v: number | string) => number | undefined, unitHelp: string) {
  const one = z.union([z.number(), z.string()]).transform((v, ctx): GrowthValue => {
    if (isPercentText(v)) return { pct: parsePercent(v) };
    const n = abs(v);
    if (n === undefined) {
      ctx.addIssue({ code: 'custom', message: `'${String(v)}' is not ${unitHelp} or a percentage like 10%` });
      return z.NEVER;
    }
    return { abs: n };
  });
  return z.union([one, z.array(one).min(1).max(2)]).transform((v, ctx): GrowthValue => {
    if (!Array.isArray(v)) return v;
    const merged: GrowthValue = {};
    for (const part of v) {
      if (
        (part.abs !== undefined && merged.abs !== undefined) ||
        (part.pct !== undefined && merged.pct !== undefined)
      ) {
        ctx.addIssue({
          code: 'custom',
          message: 'give at most one absolute amount and one percentage, e.g. [1000, 10%]',
        });
        return z.NEVER;
      }
      Object.assign(merged, part);
    }
    return merged;
  });
}

const countAbs = (v: number | string): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;

export const GrowthSchema = z.strictObject({
  count: growthValue(countAbs, 'a whole number of objects').optional(),
  bytes: growthValue(parseSize, 'a size like 64KB').optional(),
});

export const NoiseFloorSchema = z.strictObject({ count: Count.optional(), bytes: Size.optional() });

const NewTypeAction = z.enum(['allow', 'warn', 'fail'], { error: "must be 'allow', 'warn' or 'fail'" });
export const NewTypesSchema = z.union([
  NewTypeAction,
  z.strictObject({ action: NewTypeAction, 'max-count': Count.optional(), 'max-bytes': Size.optional() }),
]);

/** A rate: objects (fractions allowed: 0.5 per round is one object every other round). */
const Rate = z.number({ error: 'must be a number' }).nonnegative({ error: 'must be 0 or more' });

export const MaxSlopeSchema = z.strictObject({ count: Rate.optional(), bytes: Size.optional() });

export const TrendSchema = z.strictObject({
  per: z.enum(['round', 'hour'], { error: "must be 'round' (per snapshot) or 'hour'" }).optional(),
  'max-slope': MaxSlopeSchema.optional(),
  'grows-in-last': Count.min(1, { error: 'must be 1 or more' }).optional(),
  'min-rounds': Count.min(3, { error: 'must be 3 or more: fewer points cannot show a trend' }).optional(),
  confidence: z
    .number({ error: 'must be a number between 0.5 and 1, e.g. 0.95' })
    .min(0.5, { error: 'must be at least 0.5' })
    .lt(1, { error: 'must be below 1, e.g. 0.95 or 0.99' })
    .optional(),
});

const Severity = z.enum(['error', 'warning', 'notice'], { error: "must be 'error', 'warning' or 'notice'" });
const Evidence = Count.max(50, { error: 'at most 50 evidence clusters per type' });

export const RuleSchema = z.strictObject({
  id: nonEmpty.optional(),
  match: MatcherListSchema,
  exclude: MatcherListSchema.optional(),
  per: z
    .enum(['type', 'all'], {
      error: "must be 'type' (each matched type alone) or 'all' (matched types summed)",
    })
    .optional(),
  'max-count': Count.optional(),
  'max-bytes': Size.optional(),
  'max-growth': GrowthSchema.optional(),
  'noise-floor': NoiseFloorSchema.optional(),
  'new-types': NewTypesSchema.optional(),
  trend: TrendSchema.optional(),
  severity: Severity.optional(),
  message: z.string().optional(),
  hint: z.string().optional(),
  evidence: Evidence.optional(),
});

export const DefaultsSchema = z.strictObject({
  'noise-floor': NoiseFloorSchema.optional(),
  'new-types': NewTypesSchema.optional(),
  severity: Severity.optional(),
  evidence: Evidence.optional(),
});

const IsoDate = z.union([z.string(), z.date()]).transform((v, ctx) => {
  // YAML 1.1 would read 2025-12-31 as a timestamp; the yaml package (1.2 core schema) keeps it a string.
  const text = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    ctx.addIssue({ code: 'custom', message: `'${text}' is not a date: write YYYY-MM-DD` });
    return z.NEVER;
  }
  return text;
});

export const SuppressionSchema = z.strictObject({
  match: MatcherListSchema,
  rule: z.union([nonEmpty, z.array(nonEmpty)]).optional(),
  reason: nonEmpty,
  expires: IsoDate.optional(),
});

export const RulesFileSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1 (the only rules-file version so far)' }).optional(),
  defaults: DefaultsSchema.optional(),
  rules: z.array(RuleSchema, { error: 'must be a list of rules' }).optional(),
  ignore: z.array(MatcherSchema, { error: 'must be a list of type patterns' }).optional(),
  suppressions: z.array(SuppressionSchema, { error: 'must be a list of suppressions' }).optional(),
});

export type RulesFile = z.infer<typeof RulesFileSchema>;
export type RuleSpec = z.infer<typeof RuleSchema>;
export type NewTypesSpec = z.infer<typeof NewTypesSchema>;
export type TrendSpec = z.infer<typeof TrendSchema>;

/** Known keys per object, for "did you mean". Keyed by the nearest named parent in the path. */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(RulesFileSchema.shape),
  rules: Object.keys(RuleSchema.shape),
  defaults: Object.keys(DefaultsSchema.shape),
  suppressions: Object.keys(SuppressionSchema.shape),
  'max-growth': Object.keys(GrowthSchema.shape),
  'noise-floor': Object.keys(NoiseFloorSchema.shape),
  'new-types': ['action', 'max-count', 'max-bytes'],
  trend: Object.keys(TrendSchema.shape),
  'max-slope': Object.keys(MaxSlopeSchema.shape),
  match: ['type', 'glob', 'regex', 'namespace'],
  exclude: ['type', 'glob', 'regex', 'namespace'],
  ignore: ['type', 'glob', 'regex', 'namespace'],
};
