/**
 * Rules x diff -> findings. Pure: the caller supplies the diff, whether a baseline exists, why the data
 * may be estimated, and today's date (for suppression expiry).
 */
import type { CountBytes, HeapDiff, TypeDelta } from '../diff/types.js';
import { percent } from '../diff/diffStats.js';
import { SEVERITY_RANK, STATUS_RANK, verdictOf, worst } from './findings.js';
import type { CheckKind, Evaluation, Finding, RuleOutcome, RuleRef } from './findings.js';
import { matchesAny } from './matcher.js';
import type { GrowthLimit, Rule, RuleSet, Severity, Suppression } from './types.js';

export interface EvaluateInput {
  rules: RuleSet;
  /** Head vs baseline; when the baseline is missing, head vs an empty heap. */
  diff: HeapDiff;
  baselineMissing: boolean;
  /** Reasons the counts are estimates (sampled or capped snapshots); empty when exact. */
  estimatedReasons: readonly string[];
  /** YYYY-MM-DD (UTC) — suppressions expire after their `expires` day. */
  today: string;
}

interface Subject {
  name: string;
  types: string[];
  base?: CountBytes;
  head: CountBytes;
  isNew: boolean;
}

type Metric = 'count' | 'bytes';
const METRICS: readonly Metric[] = ['count', 'bytes'];

export function evaluate(input: EvaluateInput): Evaluation {
  const { rules, diff, baselineMissing } = input;
  const estimated = input.estimatedReasons.length > 0;
  const candidates = diff.types.filter((t) => t.head && !matchesAny(rules.ignore, t.name));

  const raw: Finding[] = [];
  const ruleFindings = new Map<Rule, Finding[]>();
  const matchedCounts = new Map<Rule, number>();
  // Rules with only trend limits are for soak runs (src/soak); a single diff has no trend to check.
  const diffRules = rules.rules.filter((r) => !r.trendOnly);
  for (const rule of diffRules) {
    const subjects = subjectsOf(rule, candidates, diff, baselineMissing);
    matchedCounts.set(
      rule,
      rule.matchers[0]?.kind === 'total' ? 0 : subjects.reduce((n, s) => n + s.types.length, 0),
    );
    const found: Finding[] = [];
    for (const s of subjects) found.push(...checkSubject(rule, s, baselineMissing));
    if (estimated) for (const f of found) markInconclusive(f);
    ruleFindings.set(rule, found);
    raw.push(...found);
  }

  const { findings, suppressed } = applySuppressions(raw, rules.suppressions, input.today);

  const inconclusiveReasons = [...input.estimatedReasons];
  if (baselineMissing) inconclusiveReasons.push('no baseline: growth and new-type limits were not checked');

  const outcomes: RuleOutcome[] = diffRules.map((rule) => {
    const mine = (ruleFindings.get(rule) ?? []).filter((f) => !f.suppressedBy);
    const undecidable = estimated || (baselineMissing && !hasAbsoluteLimit(rule));
    return {
      rule: refOf(rule),
      severity: rule.severity,
      status: worst(
        mine.map((f) => f.status),
        undecidable ? 'inconclusive' : 'pass',
      ),
      matchedTypes: matchedCounts.get(rule) ?? 0,
      findings: mine.length,
    };
  });

  findings.sort(bySeverity);
  return {
    verdict: verdictOf(findings, inconclusiveReasons),
    findings,
    suppressed,
    rules: outcomes,
    inconclusiveReasons,
  };
}

function subjectsOf(
  rule: Rule,
  candidates: readonly TypeDelta[],
  diff: HeapDiff,
  baselineMissing: boolean,
): Subject[] {
  if (rule.matchers[0]?.kind === 'total') {
    return [
      {
        name: 'total',
        types: [],
        ...(baselineMissing ? {} : { base: diff.totals.base }),
        head: diff.totals.head,
        isNew: false,
      },
    ];
  }
  const matched = candidates.filter(
    (t) => matchesAny(rule.matchers, t.name) && !matchesAny(rule.exclude, t.name),
  );
  if (rule.per === 'type') {
    return matched.map((t) => ({
      name: t.name,
      types: [t.name],
      ...(t.base && !baselineMissing ? { base: t.base } : {}),
      head: t.head ?? { count: 0, bytes: 0 },
      isNew: !t.base && !baselineMissing,
    }));
  }
  if (matched.length === 0) return [];
  const base = { count: 0, bytes: 0 };
  const head = { count: 0, bytes: 0 };
  for (const t of matched) {
    base.count += t.base?.count ?? 0;
    base.bytes += t.base?.bytes ?? 0;
    head.count += t.head?.count ?? 0;
    head.bytes += t.head?.bytes ?? 0;
  }
  const label = `${matched.length} type${matched.length === 1 ? '' : 's'} matching ${rule.matchers.map((m) => m.text).join(', ')}`;
  return [
    {
      name: label,
      types: matched.map((t) => t.name),
      ...(baselineMissing ? {} : { base }),
      head,
      isNew: false,
    },
  ];
}

function checkSubject(rule: Rule, s: Subject, baselineMissing: boolean): Finding[] {
  const out: Finding[] = [];
  const violation = (
    check: CheckKind,
    metric: Metric,
    actual: number,
    limit: number,
    severity: Severity = rule.severity,
  ): Finding => ({
    rule: refOf(rule),
    status: severity === 'error' ? 'fail' : 'warn',
    severity,
    check,
    subject: s.name,
    types: s.types,
    metric,
    actual,
    limit,
    ...(s.base ? { base: s.base[metric] } : {}),
    head: s.head[metric],
    ...(check === 'growth' && s.base ? { pct: percent(s.base[metric], s.head[metric]) } : {}),
    ...(rule.message !== undefined ? { message: rule.message } : {}),
    ...(rule.hint !== undefined ? { hint: rule.hint } : {}),
    evidenceWanted: rule.evidence,
  });

  if (rule.maxCount !== undefined && s.head.count > rule.maxCount)
    out.push(violation('max-count', 'count', s.head.count, rule.maxCount));
  if (rule.maxBytes !== undefined && s.head.bytes > rule.maxBytes)
    out.push(violation('max-bytes', 'bytes', s.head.bytes, rule.maxBytes));
  if (baselineMissing) return out;

  if (s.isNew) {
    const policy = rule.newTypes;
    if (policy.action === 'allow') return out;
    const severity: Severity = policy.action === 'warn' ? 'warning' : rule.severity;
    const limits = newTypeLimits(rule);
    for (const metric of METRICS) {
      const limit = limits[metric];
      if (limit !== undefined && s.head[metric] > limit) {
        out.push(violation('new-type', metric, s.head[metric], limit, severity));
        break; // one finding per new type is enough
      }
    }
    return out;
  }

  for (const metric of METRICS) {
    const limit = rule.maxGrowth[metric];
    if (!limit || !s.base) continue;
    const growth = s.head[metric] - s.base[metric];
    const floor = rule.noiseFloor[metric];
    if (floor !== undefined && growth < floor) continue;
    const allowed = allowance(limit, s.base[metric]);
    if (growth > allowed) out.push(violation('growth', metric, growth, allowed));
  }
  return out;
}

/** The larger of the absolute and the percentage allowance (a type must exceed both to fail). */
export function allowance(limit: GrowthLimit, base: number): number {
  const abs = limit.abs ?? -Infinity;
  const pct = limit.pct !== undefined ? Math.floor((base * limit.pct) / 100) : -Infinity;
  return Math.max(abs, pct);
}

/**
 * A new type is judged on its head values against `new-types` max-count/max-bytes, which default to
 * the noise floor; with neither written, any instance of a new type is flagged.
 */
function newTypeLimits(rule: Rule): { count?: number; bytes?: number } {
  const count = rule.newTypes.maxCount ?? rule.noiseFloor.count;
  const bytes = rule.newTypes.maxBytes ?? rule.noiseFloor.bytes;
  if (count === undefined && bytes === undefined) return { count: 0 };
  return { ...(count !== undefined ? { count } : {}), ...(bytes !== undefined ? { bytes } : {}) };
}

function hasAbsoluteLimit(rule: Rule): boolean {
  return rule.maxCount !== undefined || rule.maxBytes !== undefined;
}

/**
 * Splits findings into those shown and those a suppression hides (each marked with why). An expired
 * suppression keeps applying (a date must not break unrelated pull requests overnight) but adds a
 * warning finding on every run until someone renews or removes it.
 */
export function applySuppressions(
  raw: readonly Finding[],
  suppressions: readonly Suppression[],
  today: string,
): { findings: Finding[]; suppressed: Finding[] } {
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of raw) {
    const s = suppressions.find((sup) => suppresses(sup, f));
    if (!s) {
      findings.push(f);
      continue;
    }
    f.suppressedBy = {
      reason: s.reason,
      ...(s.expires ? { expires: s.expires } : {}),
      expired: isExpired(s, today),
      file: s.pos.file,
      line: s.pos.line,
    };
    suppressed.push(f);
  }
  for (const s of suppressions) if (isExpired(s, today)) findings.push(expiredFinding(s));
  return { findings, suppressed };
}

export function markInconclusive(f: Finding): void {
  if (f.status === 'fail' || f.status === 'warn') f.wouldBe = f.status;
  f.status = 'inconclusive';
}

export function suppresses(s: Suppression, f: Finding): boolean {
  if (s.rules.length > 0 && !s.rules.includes(f.rule.id)) return false;
  if (f.subject === 'total' && f.types.length === 0) return s.matchers.some((m) => m.kind === 'total');
  return f.types.length > 0 && f.types.every((t) => matchesAny(s.matchers, t));
}

export function isExpired(s: Suppression, today: string): boolean {
  return s.expires !== undefined && today > s.expires;
}

export function expiredFinding(s: Suppression): Finding {
  const what = s.matchers.map((m) => m.text).join(', ');
  return {
    rule: { id: 'suppression', file: s.pos.file, line: s.pos.line, col: s.pos.col },
    status: 'warn',
    severity: 'warning',
    check: 'suppression-expired',
    subject: what,
    ...(s.expires ? { suppressionExpires: s.expires } : {}),
    types: [],
    message: `suppression of ${what} expired on ${s.expires} (reason: ${s.reason}); it still applies — renew 'expires' or remove it`,
    evidenceWanted: 0,
  };
}

export function refOf(rule: Rule): RuleRef {
  return { id: rule.id, file: rule.pos.file, line: rule.pos.line, col: rule.pos.col };
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

/** Framework and compiler-generated types usually ride along with the type that actually leaks. */
export function isCarrier(name: string): boolean {
  return /^(System\.|Microsoft\.|<|\[\])/.test(name);
}

function relative(f: Finding): number {
  if (f.actual === undefined) return 0;
  if (f.check === 'new-type') return Infinity;
  if (f.check === 'growth') return f.base ? f.actual / f.base : Infinity;
  return f.limit ? f.actual / f.limit : Infinity;
}
