/**
 * The written shape of a rules file (heapgate.yml), validated with zod. Keys are kebab-case and every
 * object is strict so that a misspelt key is an error, never a silently ignored limit.
 */
import { z } from '../json/zod.js';
import { RULE_KINDS } from './kinds/index.js';
import { Count, nonEmpty, Size } from './values.js';

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

export const NoiseFloorSchema = z.strictObject({ count: Count.optional(), bytes: Size.optional() });

const Severity = z.enum(['error', 'warning', 'notice'], { error: "must be 'error', 'warning' or 'notice'" });
const Evidence = Count.max(50, { error: 'at most 50 evidence clusters per type' });

/** Each rule kind's key with the schema of its value (src/rules/kinds). */
function kindKeys(only: (k: (typeof RULE_KINDS)[number]) => boolean = () => true) {
  return Object.fromEntries(RULE_KINDS.filter(only).map((k) => [k.name, k.schema.optional()]));
}

export const RuleSchema = z.strictObject({
  id: nonEmpty.optional(),
  match: MatcherListSchema,
  exclude: MatcherListSchema.optional(),
  per: z
    .enum(['type', 'all'], {
      error: "must be 'type' (each matched type alone) or 'all' (matched types summed)",
    })
    .optional(),
  ...kindKeys(),
  'noise-floor': NoiseFloorSchema.optional(),
  severity: Severity.optional(),
  message: z.string().optional(),
  hint: z.string().optional(),
  evidence: Evidence.optional(),
});

export const DefaultsSchema = z.strictObject({
  'noise-floor': NoiseFloorSchema.optional(),
  ...kindKeys((k) => k.inDefaults === true),
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

const FingerprintId = z.string().regex(/^hg\d+-[0-9a-f]{12}$/, {
  error: "must be a leak fingerprint as reports print it, like 'hg1-3e5a289a495f'",
});

export const SuppressionSchema = z.strictObject({
  match: MatcherListSchema.optional(),
  /** Leak fingerprints (src/fingerprint): the suppression covers findings of these leaks. */
  fingerprint: z.union([FingerprintId, z.array(FingerprintId).min(1)]).optional(),
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

/** Known keys per object, for "did you mean". Keyed by the nearest named parent in the path. */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(RulesFileSchema.shape),
  rules: Object.keys(RuleSchema.shape),
  defaults: Object.keys(DefaultsSchema.shape),
  suppressions: Object.keys(SuppressionSchema.shape),
  'noise-floor': Object.keys(NoiseFloorSchema.shape),
  ...Object.assign({}, ...RULE_KINDS.map((k) => k.knownKeys ?? {})),
  match: ['type', 'glob', 'regex', 'namespace'],
  exclude: ['type', 'glob', 'regex', 'namespace'],
  ignore: ['type', 'glob', 'regex', 'namespace'],
};
