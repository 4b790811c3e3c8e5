/**
 * Trend rules × a soak series -> findings. Pure, and shaped like the diff evaluation
 * (src/rules/evaluate.ts): same ignore list, suppressions, statuses and outcomes, so reports,
 * evidence and exit codes work the same way for both.
 */
import { SEVERITY_RANK, STATUS_RANK, verdictOf, worst } from '../rules/findings.js';
import type { Evaluation, Finding, RuleOutcome } from '../rules/findings.js';
import { applySuppressions, isCarrier, markInconclusive, refOf } from '../rules/evaluate.js';
import { matchesAny } from '../rules/matcher.js';
import type { Rule, RuleSet, TrendLimits } from '../rules/types.js';
import { row, type SoakSeries } from './series.js';
import { metricTrend, slopeIn, type MetricTrend } from './trend.js';

export interface SoakEvaluateInput {
  rules: RuleSet;
  series: SoakSeries;
  /** Reasons the counts are estimates (sampled or capped snapshots); empty when exact. */
  estimatedReasons: readonly string[];
  /** YYYY-MM-DD (UTC) for suppression expiry. */
  today: string;
  /** Horizon of the projections in the trends. */
  projectHours: number;
}

type Metric = 'count' | 'bytes';
const METRICS: readonly Metric[] = ['count', 'bytes'];

interface Subject {
  name: string;
  types: string[];
  count: Float64Array;
  bytes: Float64Array;
}

/** The rules that apply to soak runs: those with a `trend:` block. */
export function trendRules(rules: RuleSet): Rule[] {
  return rules.rules.filter((r) => r.trend !== undefined);
}

export function evaluateTrends(input: SoakEvaluateInput): Evaluation {
  const { rules, series } = input;
  const estimated = input.estimatedReasons.length > 0;
  const candidates: number[] = [];
  series.names.forEach((name, t) => {
    if (!matchesAny(rules.ignore, name)) candidates.push(t);
  });
  const trendOf = trendCache(series, input.projectHours);

  const raw: Finding[] = [];
  const outcomes: RuleOutcome[] = [];
  const reasons = new Set<string>(input.estimatedReasons);
  for (const rule of trendRules(rules)) {
    const limits = rule.trend as TrendLimits;
    const subjects = subjectsOf(rule, candidates, series);
    const matched = rule.matchers[0]?.kind === 'total' ? 0 : subjects.reduce((n, s) => n + s.types.length, 0);
    const undecidable = undecidableReason(rule, limits, series);
    if (undecidable) reasons.add(undecidable);
    const found: Finding[] = [];
    if (!undecidable) {
      for (const s of subjects) found.push(...checkSubject(rule, limits, s, series, trendOf));
      if (estimated) for (const f of found) markInconclusive(f);
    }
    raw.push(...found);
    outcomes.push({
      rule: refOf(rule),
      severity: rule.severity,
      status: undecidable || estimated ? 'inconclusive' : 'pass',
      matchedTypes: matched,
      findings: 0,
    });
  }

  const { findings, suppressed } = applySuppressions(raw, rules.suppressions, input.today);

  for (const o of outcomes) {
    const mine = findings.filter((f) => f.rule.id === o.rule.id && f.rule.file === o.rule.file);
    o.findings = mine.length;
    o.status = worst(
      mine.map((f) => f.status),
      o.status,
    );
  }
  findings.sort(byImportance);
  const inconclusiveReasons = [...reasons];
  return {
    verdict: verdictOf(findings, inconclusiveReasons),
    findings,
    suppressed,
    rules: outcomes,
    inconclusiveReasons,
  };
}

/** Why a rule cannot judge this series (too few rounds, no times for a per-hour limit), if it cannot. */
function undecidableReason(rule: Rule, limits: TrendLimits, series: SoakSeries): string | undefined {
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
}

function subjectsOf(rule: Rule, candidates: readonly number[], series: SoakSeries): Subject[] {
  if (rule.matchers[0]?.kind === 'total')
    return [{ name: 'total', types: [], count: series.totalCount, bytes: series.totalBytes }];
  const matched = candidates.filter((t) => {
    const name = series.names[t];
    return matchesAny(rule.matchers, name) && !matchesAny(rule.exclude, name);
  });
  if (rule.per === 'type')
    return matched.map((t) => ({
      name: series.names[t],
      types: [series.names[t]],
      count: row(series, 'count', t),
      bytes: row(series, 'bytes', t),
    }));
  if (matched.length === 0) return [];
  const count = new Float64Array(series.length);
  const bytes = new Float64Array(series.length);
  for (const t of matched) {
    const c = row(series, 'count', t);
    const b = row(series, 'bytes', t);
    for (let j = 0; j < series.length; j++) {
      count[j] += c[j];
      bytes[j] += b[j];
    }
  }
  const label = `${matched.length} type${matched.length === 1 ? '' : 's'} matching ${rule.matchers.map((m) => m.text).join(', ')}`;
  return [{ name: label, types: matched.map((t) => series.names[t]), count, bytes }];
}

type TrendOf = (values: Float64Array) => MetricTrend;

/** Several rules usually look at the same rows: compute each row's trend once. */
function trendCache(series: SoakSeries, projectHours: number): TrendOf {
  const cache = new WeakMap<Float64Array, MetricTrend>();
  return (values) => {
    let t = cache.get(values);
    if (!t) {
      t = metricTrend(values, series.rounds, series.hours, projectHours);
      cache.set(values, t);
    }
    return t;
  };
}

function checkSubject(
  rule: Rule,
  limits: TrendLimits,
  s: Subject,
  series: SoakSeries,
  trendOf: TrendOf,
): Finding[] {
  const out: Finding[] = [];
  const trends = { count: trendOf(s.count), bytes: trendOf(s.bytes) };
  // Growth across the whole analysed window below the noise floor is never reported.
  const aboveFloor = (metric: Metric): boolean => {
    const floor = rule.noiseFloor[metric];
    const t = trends[metric];
    return floor === undefined || t.last - t.first >= floor;
  };
  const finding = (check: Finding['check'], metric: Metric, actual: number, limit: number): Finding => {
    const t = trends[metric];
    const slope = slopeIn(t, limits.per);
    return {
      rule: refOf(rule),
      status: rule.severity === 'error' ? 'fail' : 'warn',
      severity: rule.severity,
      check,
      subject: s.name,
      types: s.types,
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
      ...(rule.message !== undefined ? { message: rule.message } : {}),
      ...(rule.hint !== undefined ? { hint: rule.hint } : {}),
      evidenceWanted: rule.evidence,
    };
  };

  // "Grew in each of the last K rounds" (as LeakCanary and fuite judge leaks): count first, then
  // bytes for types whose instances stay but grow (an array that is reallocated larger each round).
  const k = limits.growsInLast;
  if (k !== undefined) {
    const metric = METRICS.find((m) => trends[m].rising >= k && aboveFloor(m));
    if (metric) out.push(finding('trend-grows', metric, trends[metric].rising, k - 1));
  }
  const alpha = 1 - limits.confidence;
  for (const metric of METRICS) {
    const limit = limits.maxSlope[metric];
    if (limit === undefined) continue;
    const t = trends[metric];
    const slope = slopeIn(t, limits.per);
    if (slope === undefined || slope <= limit || t.mannKendall.pIncreasing > alpha || !aboveFloor(metric))
      continue;
    out.push(finding('trend-slope', metric, slope, limit));
  }
  return out;
}

/**
 * Failing first; then the application's own types before the framework types they drag along
 * (the leaked item before its strings and arrays); then the fastest relative growth.
 */
function byImportance(a: Finding, b: Finding): number {
  return (
    STATUS_RANK[b.status] - STATUS_RANK[a.status] ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    Number(isCarrier(a.subject)) - Number(isCarrier(b.subject)) ||
    relativeGrowth(b) - relativeGrowth(a) ||
    (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) ||
    (a.check < b.check ? -1 : a.check > b.check ? 1 : 0)
  );
}

function relativeGrowth(f: Finding): number {
  if (f.base === undefined || f.head === undefined) return 0;
  const g = f.head - f.base;
  return f.base > 0 ? g / f.base : g > 0 ? Number.MAX_VALUE : 0;
}
