/**
 * The result of `heapgate check`, in the form written as JSON (schema version 1, documented in the
 * README) and rendered as markdown or terminal text.
 */
import type { HeapDiff, TotalsDelta, TypeDelta } from '../diff/types.js';
import { gateOutcome, type Evaluation, type FailOn, type GateOutcome } from '../rules/findings.js';
import type { LeakSummary } from '../fingerprint/knownLeaks.js';

/**
 * 2: findings carry `fingerprint` and `alsoBy`; 3: evidence leads with the accumulation point;
 * 4: accumulation points may carry `sinceBaseline` (the baseline was a snapshot with a graph).
 */
export const CHECK_REPORT_SCHEMA_VERSION = 4;

export interface BaselineInfo {
  /** Path of the baseline file (or snapshot used as the base). */
  source: string;
  missing: boolean;
  /** Where this run recorded a new baseline because none existed. */
  recordedTo?: string;
  scenario?: string;
  createdAt?: string;
  commit?: string;
  samples?: number;
  /** The noise model taken from the baseline's clean runs, when it has enough of them. */
  noise?: NoiseInfo;
}

export interface NoiseInfo {
  runs: number;
  confidence: number;
  /** Types that moved between the clean runs (the others have no noise allowance). */
  movingTypes: number;
}

/** "noise model: 5 clean runs, 99% confidence, 14 types move". */
export function describeNoise(n: NoiseInfo): string {
  return `noise model: ${n.runs} clean runs, ${+(n.confidence * 100).toFixed(1)}% confidence, ${n.movingTypes} type${n.movingTypes === 1 ? '' : 's'} move`;
}

export interface HeadInfo {
  sources: string[];
  /** How several head snapshots were combined. */
  combined: 'single' | 'median';
  estimated: boolean;
  estimateReasons: string[];
  /** Snapshot the evidence was computed from, when any. */
  evidenceFrom?: string;
  /**
   * How heads that can be read more than one way were read (full dumps: through ClrMD, or
   * through dotnet-dump and why), one line each; absent when no head is such.
   */
  readWith?: string[];
}

export interface CheckReport extends GateOutcome {
  schemaVersion: typeof CHECK_REPORT_SCHEMA_VERSION;
  tool: string;
  scenario: string;
  generatedAt: string;
  /** New, known and fixed leaks, when the baseline keeps a record of known leaks. */
  leaks?: LeakSummary;
  diff: {
    totals: TotalsDelta;
    newTypes: number;
    goneTypes: number;
    changedTypes: number;
    /** Types whose count or bytes differ (new and gone included), sorted by name; unchanged types are omitted. */
    types: TypeDelta[];
  };
  meta: {
    baseline: BaselineInfo;
    head: HeadInfo;
    rulesFiles: string[];
    /** Set by `heapgate ab`: the baseline is the base runs, the head the head runs, of one job. */
    ab?: AbInfo;
  };
}

export interface AbInfo {
  runsPerSide: number;
  /** The runs in the order they ran, e.g. base-1, head-1, head-2, base-2. */
  order: string[];
}

/** "A/B in one job: 3 runs per side, in the order base-1, head-1, …". */
export function describeAb(ab: AbInfo): string {
  return `A/B in one job: ${ab.runsPerSide} run${ab.runsPerSide === 1 ? '' : 's'} per side, in the order ${ab.order.join(', ')}`;
}

export interface ReportInput {
  tool: string;
  scenario: string;
  generatedAt: string;
  failOn: FailOn;
  exitCode: 0 | 1;
  evaluation: Evaluation;
  diff: HeapDiff;
  baseline: BaselineInfo;
  head: HeadInfo;
  rulesFiles: string[];
  leaks?: LeakSummary;
}

export function buildCheckReport(input: ReportInput): CheckReport {
  const { evaluation: ev, diff } = input;
  return {
    schemaVersion: CHECK_REPORT_SCHEMA_VERSION,
    tool: input.tool,
    scenario: input.scenario,
    generatedAt: input.generatedAt,
    ...gateOutcome(ev, input.failOn, input.exitCode),
    ...(input.leaks ? { leaks: input.leaks } : {}),
    diff: {
      totals: diff.totals,
      newTypes: diff.newTypes,
      goneTypes: diff.goneTypes,
      changedTypes: diff.changedTypes,
      types: diff.types.filter((t) => t.status !== 'same'),
    },
    meta: { baseline: input.baseline, head: input.head, rulesFiles: input.rulesFiles },
  };
}

/** Stable JSON text of a report. */
export function renderCheckJson(report: CheckReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
