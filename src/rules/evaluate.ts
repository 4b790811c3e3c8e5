/**
 * Rules x diff -> findings (`check`). Pure: the caller supplies the diff, whether a baseline exists,
 * why the data may be estimated, and today's date (for suppression expiry).
 */
import type { CountBytes, HeapDiff } from '../diff/types.js';
import { SEVERITY_RANK, STATUS_RANK } from './findings.js';
import type { Evaluation, Finding } from './findings.js';
import { RULE_KINDS } from './kinds/index.js';
import type { DiffKind, DiffSubject, HeadValues, Violation } from './kinds/kind.js';
import { isCarrier, judge, judges } from './judge.js';
import { matchesAny } from './matcher.js';
import type { Rule, RuleSet } from './types.js';
import type { NoiseModel } from '../calibrate/noiseModel.js';

export interface EvaluateInput {
  rules: RuleSet;
  /** Head vs baseline; when the baseline is missing, head vs an empty heap. */
  diff: HeapDiff;
  baselineMissing: boolean;
  /** Reasons the counts are estimates (sampled or capped snapshots); empty when exact. */
  estimatedReasons: readonly string[];
  /** YYYY-MM-DD (UTC) — suppressions expire after their `expires` day. */
  today: string;
  /** Measured per-type noise of the baseline; growth limits are never tighter than it. */
  noise?: NoiseModel;
  /** Facts from the head's values (full dumps), for the kinds that judge them. */
  values?: HeadValues;
  /** Types whose head counts may be too low, and why (see Judgement.uncertain). */
  uncertain?: { names: readonly string[]; reasons: readonly string[] };
}

const NO_BASELINE = 'no baseline: growth and new-type limits were not checked';

export function evaluate(input: EvaluateInput): Evaluation {
  const { rules, diff, baselineMissing } = input;
  const candidates = diff.types.filter((t) => t.head && !matchesAny(rules.ignore, t.name));
  const noise = baselineMissing ? undefined : input.noise;
  const ctx = {
    baselineMissing,
    ...(noise ? { noise: { runs: noise.runs, confidence: noise.confidence } } : {}),
    ...(input.values ? { values: input.values } : {}),
  };
  const steady = { count: 0, bytes: 0 };
  return judge<Omit<DiffSubject, 'name' | 'types'>>({
    // Rules with only trend limits are for soak runs (src/soak); a single diff has no trend to check.
    rules: rules.rules.filter((r) => judges(r, 'diff', RULE_KINDS)),
    names: candidates.map((t) => t.name),
    one(i) {
      const t = candidates[i];
      return {
        ...(t.base && !baselineMissing ? { base: t.base } : {}),
        head: t.head ?? { count: 0, bytes: 0 },
        isNew: !t.base && !baselineMissing,
        ...(noise ? { noise: noise.types.get(t.name) ?? steady } : {}),
      };
    },
    group(indices) {
      const base: CountBytes = { count: 0, bytes: 0 };
      const head: CountBytes = { count: 0, bytes: 0 };
      for (const i of indices) {
        const t = candidates[i];
        base.count += t.base?.count ?? 0;
        base.bytes += t.base?.bytes ?? 0;
        head.count += t.head?.count ?? 0;
        head.bytes += t.head?.bytes ?? 0;
      }
      return { ...(baselineMissing ? {} : { base }), head, isNew: false };
    },
    total: () => ({
      ...(baselineMissing ? {} : { base: diff.totals.base }),
      head: diff.totals.head,
      isNew: false,
    }),
    // Without a baseline only absolute limits can be checked; a rule with none cannot decide anything.
    undecidable: (rule) =>
      valuesMissing(rule, input.values) ??
      (baselineMissing && !diffKinds(rule).some((k) => !k.needsBaseline) ? NO_BASELINE : undefined),
    violations(rule, s) {
      const out: Violation[] = [];
      for (const kind of diffKinds(rule)) {
        if (kind.needsBaseline && baselineMissing) continue;
        out.push(...kind.evaluate(rule.limits[kind.name], rule, s, ctx));
      }
      return out;
    },
    order: bySeverity,
    estimatedReasons: input.estimatedReasons,
    reasons: baselineMissing ? [NO_BASELINE] : [],
    ...(input.uncertain
      ? {
          uncertain: {
            names: input.uncertain.names.filter((n) => !matchesAny(rules.ignore, n)),
            reasons: input.uncertain.reasons,
          },
        }
      : {}),
    suppressions: rules.suppressions,
    today: input.today,
  });
}

/** Why a rule whose kinds judge values cannot be decided on this head (no values), if it cannot. */
function valuesMissing(rule: Rule, values: HeadValues | undefined): string | undefined {
  const needing = diffKinds(rule).filter((k) => k.needsValues !== undefined);
  const has = (k: DiffKind<unknown, unknown>) =>
    values !== undefined &&
    !('unavailable' in values) &&
    k.needsValues &&
    values[k.needsValues.fact] !== undefined;
  if (needing.every(has)) return undefined;
  const why = values && 'unavailable' in values ? values.unavailable : 'the head was not read for values';
  const what = [...new Set(needing.map((k) => k.needsValues?.what))].join(', ');
  return `${needing.map((k) => k.name).join(', ')} needs a full memory dump (${what}): ${why}`;
}

/** The diff kinds whose limits the rule has (written, or from defaults). */
function diffKinds(rule: Rule): DiffKind<unknown, unknown>[] {
  return RULE_KINDS.flatMap((k) => (k.data === 'diff' && rule.limits[k.name] !== undefined ? [k] : []));
}

/**
 * fail before inconclusive before warn; then error, warning, notice; then the largest relative growth
 * (a type that appeared from nothing first): the leaked type itself outranks the strings and arrays it
 * drags along, whose larger baselines dilute their growth.
 */
function bySeverity(a: Finding, b: Finding): number {
  return (
    STATUS_RANK[b.status] - STATUS_RANK[a.status] ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareNumbers(relative(b), relative(a)) ||
    Number(isCarrier(a.subject)) - Number(isCarrier(b.subject)) ||
    (b.actual ?? 0) - (a.actual ?? 0) ||
    (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0)
  );
}

/** Like a - b, but Infinity equals Infinity (a - b would be NaN). */
function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a - b;
}

function relative(f: Finding): number {
  if (f.actual === undefined) return 0;
  if (f.check === 'new-type') return Infinity;
  if (f.check === 'growth') return f.base ? f.actual / f.base : Infinity;
  return f.limit ? f.actual / f.limit : Infinity;
}
