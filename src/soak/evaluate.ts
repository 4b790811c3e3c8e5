/**
 * Trend rules × a soak series -> findings. The same evaluation as `check` (src/rules/judge.ts):
 * same ignore list, subjects, suppressions, statuses and outcomes, so reports, evidence and exit
 * codes work the same way for both; only the data (one row per type over the rounds) differs.
 */
import { SEVERITY_RANK, STATUS_RANK } from '../rules/findings.js';
import type { Evaluation, Finding } from '../rules/findings.js';
import { RULE_KINDS } from '../rules/kinds/index.js';
import type { SeriesContext, SeriesKind, SeriesSubject, Violation } from '../rules/kinds/kind.js';
import { isCarrier, judge, judges } from '../rules/judge.js';
import { matchesAny } from '../rules/matcher.js';
import type { Rule, RuleSet } from '../rules/types.js';
import { row, type SoakSeries } from './series.js';
import { metricTrend, type MetricTrend } from './trend.js';

export interface SoakEvaluateInput {
  rules: RuleSet;
  series: SoakSeries;
  /** Reasons the counts are estimates (sampled or capped snapshots); empty when exact. */
  estimatedReasons: readonly string[];
  /** YYYY-MM-DD (UTC) for suppression expiry. */
  today: string;
  /** Horizon of the projections in the trends. */
  projectHours: number;
  /** Types whose counts may be too low in some snapshot, and why (see Judgement.uncertain). */
  uncertain?: { names: readonly string[]; reasons: readonly string[] };
}

/** The rules that apply to soak runs: those with a series limit (`trend:`). */
export function trendRules(rules: RuleSet): Rule[] {
  return rules.rules.filter((r) => judges(r, 'series', RULE_KINDS));
}

export function evaluateTrends(input: SoakEvaluateInput): Evaluation {
  const { rules, series } = input;
  const names: string[] = [];
  const index: number[] = [];
  series.names.forEach((name, t) => {
    if (matchesAny(rules.ignore, name)) return;
    names.push(name);
    index.push(t);
  });
  const ctx: SeriesContext = { series, trendOf: trendCache(series, input.projectHours) };
  return judge<Omit<SeriesSubject, 'name' | 'types'>>({
    rules: trendRules(rules),
    names,
    one: (i) => ({ count: row(series, 'count', index[i]), bytes: row(series, 'bytes', index[i]) }),
    group(indices) {
      const count = new Float64Array(series.length);
      const bytes = new Float64Array(series.length);
      for (const i of indices) {
        const c = row(series, 'count', index[i]);
        const b = row(series, 'bytes', index[i]);
        for (let j = 0; j < series.length; j++) {
          count[j] += c[j];
          bytes[j] += b[j];
        }
      }
      return { count, bytes };
    },
    total: () => ({ count: series.totalCount, bytes: series.totalBytes }),
    undecidable(rule) {
      for (const kind of seriesKinds(rule)) {
        const reason = kind.undecidable?.(rule.limits[kind.name], rule, series);
        if (reason) return reason;
      }
      return undefined;
    },
    violations(rule, s) {
      const out: Violation[] = [];
      for (const kind of seriesKinds(rule)) out.push(...kind.evaluate(rule.limits[kind.name], rule, s, ctx));
      return out;
    },
    estimatedReasons: input.estimatedReasons,
    ...(input.uncertain ? { uncertain: input.uncertain } : {}),
    suppressions: rules.suppressions,
    today: input.today,
    order: byImportance,
  });
}

function seriesKinds(rule: Rule): SeriesKind<unknown, unknown>[] {
  return RULE_KINDS.flatMap((k) => (k.data === 'series' && rule.limits[k.name] !== undefined ? [k] : []));
}

/** Several rules usually look at the same rows: compute each row's trend once. */
function trendCache(series: SoakSeries, projectHours: number): SeriesContext['trendOf'] {
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
