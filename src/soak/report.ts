/**
 * The result of `heapgate soak`, as written to JSON (schema `heapgate-soak`, version 1) and rendered
 * as markdown or terminal text. Pure: snapshots (as SoakPoints) and rules in, report out; the caller
 * attaches evidence from a graph snapshot between analyseSoak and buildSoakReport.
 */
import { gateOutcome, type Evaluation, type FailOn, type GateOutcome } from '../rules/findings.js';
import type { RuleSet } from '../rules/types.js';
import { evaluateTrends } from './evaluate.js';
import { buildSeries, row, warmupCount, type SoakPoint, type SoakSeries, type WarmupSpec } from './series.js';
import { metricTrend, projectionSkipped, type MetricTrend } from './trend.js';

export const SOAK_REPORT_SCHEMA_VERSION = 3;

/** A metric's trend plus its values at each analysed snapshot (for charts and other tools). */
export interface SeriesTrend extends MetricTrend {
  values: number[];
}

export interface TypeTrendReport {
  name: string;
  count: SeriesTrend;
  bytes: SeriesTrend;
}

export interface SoakPointInfo {
  label: string;
  source: string;
  /** ISO-8601, when known. */
  collectedAt?: string;
  /** Left out of the trend as warm-up. */
  warmup: boolean;
}

export interface SoakReport extends GateOutcome {
  schema: 'heapgate-soak';
  schemaVersion: typeof SOAK_REPORT_SCHEMA_VERSION;
  tool: string;
  scenario: string;
  generatedAt: string;
  series: {
    points: SoakPointInfo[];
    /** Snapshots analysed (after warm-up). */
    analysed: number;
    /** Hours between the first and last analysed snapshot, when their times are known. */
    spanHours?: number;
    /** Horizon of every `projected` value. */
    projectHours: number;
    /** Why no type has a `projected` value (times unknown, or too short a span to project that far). */
    projectionSkipped?: string;
  };
  totals: { count: SeriesTrend; bytes: SeriesTrend };
  /**
   * Types whose count or bytes changed within the analysed snapshots, fastest-growing first
   * (count slope, then bytes slope). Types that never changed are omitted.
   */
  types: TypeTrendReport[];
  meta: { rulesFiles: string[]; evidenceFrom?: string };
  /**
   * Where each failing type's level began in the default branch's recorded baselines of a scenario
   * (the Action's `history-from`), when asked.
   */
  history?: SoakHistory;
}

export interface SoakHistory {
  /** The scenario whose baselines were read. */
  scenario: string;
  /** Recorded baselines read, oldest first. */
  commits: number;
  types: {
    name: string;
    began?: {
      before: { commit: string; date: string };
      after: { commit: string; date: string };
      count: number;
    };
  }[];
}

export interface SoakInput {
  points: readonly SoakPoint[];
  warmup: WarmupSpec;
  rules: RuleSet;
  /** YYYY-MM-DD (UTC) for suppression expiry. */
  today: string;
  projectHours: number;
}

export interface SoakAnalysis {
  series: SoakSeries;
  evaluation: Evaluation;
  projectHours: number;
}

export function analyseSoak(input: SoakInput): SoakAnalysis {
  const warmup = warmupCount(
    input.points.map((p) => p.label),
    input.warmup,
  );
  const series = buildSeries(input.points, warmup);
  const estimatedReasons = input.points
    .slice(warmup)
    .flatMap((p) => p.estimateReasons.map((r) => `${p.source}: ${r}`));
  const doubtful = input.points.slice(warmup).filter((p) => p.uncertainTypes);
  const evaluation = evaluateTrends({
    rules: input.rules,
    series,
    estimatedReasons,
    ...(doubtful.length > 0
      ? {
          uncertain: {
            names: [...new Set(doubtful.flatMap((p) => p.uncertainTypes?.names ?? []))],
            reasons: doubtful.map((p) => `${p.source}: ${p.uncertainTypes?.reason}`),
          },
        }
      : {}),
    today: input.today,
    projectHours: input.projectHours,
  });
  return { series, evaluation, projectHours: input.projectHours };
}

export interface SoakReportMeta {
  tool: string;
  scenario: string;
  generatedAt: string;
  failOn: FailOn;
  rulesFiles: string[];
  /** Snapshot the evidence was computed from, when any. */
  evidenceFrom?: string;
}

export function buildSoakReport(analysis: SoakAnalysis, meta: SoakReportMeta): SoakReport {
  const { series, evaluation: ev, projectHours } = analysis;
  const trend = (values: Float64Array): SeriesTrend => ({
    ...metricTrend(values, series.rounds, series.hours, projectHours),
    values: Array.from(values),
  });
  const types: TypeTrendReport[] = [];
  series.names.forEach((name, t) => {
    const c = row(series, 'count', t);
    const b = row(series, 'bytes', t);
    if (isConstant(c) && isConstant(b)) return;
    types.push({ name, count: trend(c), bytes: trend(b) });
  });
  types.sort(
    (a, b) =>
      b.count.slopePerRound - a.count.slopePerRound ||
      b.bytes.slopePerRound - a.bytes.slopePerRound ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const span = series.hours && series.length > 0 ? series.hours[series.length - 1] : undefined;
  const skipped = projectionSkipped(span, projectHours);
  return {
    schema: 'heapgate-soak',
    schemaVersion: SOAK_REPORT_SCHEMA_VERSION,
    tool: meta.tool,
    scenario: meta.scenario,
    generatedAt: meta.generatedAt,
    ...gateOutcome(ev, meta.failOn),
    series: {
      points: series.points.map((p, i) => ({
        label: p.label,
        source: p.source,
        ...(p.time !== undefined ? { collectedAt: new Date(p.time).toISOString() } : {}),
        warmup: i < series.warmup,
      })),
      analysed: series.length,
      ...(span !== undefined ? { spanHours: span } : {}),
      projectHours,
      ...(skipped !== undefined ? { projectionSkipped: skipped } : {}),
    },
    totals: { count: trend(series.totalCount), bytes: trend(series.totalBytes) },
    types,
    meta: {
      rulesFiles: meta.rulesFiles,
      ...(meta.evidenceFrom !== undefined ? { evidenceFrom: meta.evidenceFrom } : {}),
    },
  };
}

function isConstant(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/** Stable JSON text of a report. */
export function renderSoakJson(report: SoakReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
