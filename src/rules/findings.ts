/** What evaluating rules against a diff produces. Serialised as-is into the JSON report. */
import type { AllocationSitesEvidence, TypeEvidence } from '../model/evidence.js';
import type { Severity } from './types.js';

/** pass / fail (error severity) / warn (warning or notice) / inconclusive (the data cannot decide). */
export type Status = 'pass' | 'fail' | 'warn' | 'inconclusive';

/**
 * The check a finding failed: a rule kind's check (`max-count`, `max-bytes`, `growth`, `new-type`,
 * `trend-slope`, `trend-grows`; see src/rules/kinds) or `suppression-expired`.
 */
export type CheckKind = string;

/** The series statistics behind a trend finding (soak runs). */
/** The measured noise a growth limit was widened to, and what it was measured from. */
export interface FindingNoise {
  /** Growth over the baseline a clean run shows at `confidence` (0: the type never moved). */
  tolerance: number;
  /** Clean runs the baseline was recorded from. */
  runs: number;
  confidence: number;
}

export interface FindingTrend {
  /** Unit of `slope`. */
  per: 'round' | 'hour';
  /** Theil–Sen slope of the finding's metric per `per` (undefined per hour when times are unknown). */
  slope?: number;
  /** One-sided Mann–Kendall p-value for a rise. */
  pIncreasing: number;
  /** Consecutive last rounds in which the metric rose. */
  rising: number;
  /** Analysed snapshots. */
  points: number;
  /**
   * Set when the metric reached its high early and held it: still settling after warm-up rather
   * than leaking (see soak/settling). `warmup` is the warm-up that would start the analysis there.
   */
  settling?: { peakRound: number; flatRounds: number; warmup: number };
}

export interface RuleRef {
  id: string;
  file: string;
  line: number;
  col: number;
}

export interface Finding {
  rule: RuleRef;
  /** Other rules that made this same finding (same subject, check, values and status), in rule order. */
  alsoBy?: RuleRef[];
  status: Exclude<Status, 'pass'>;
  /** The status exact data would have given; set when `status` is 'inconclusive'. */
  wouldBe?: 'fail' | 'warn';
  severity: Severity;
  check: CheckKind;
  /** A type name, 'total', or a description of a summed group. */
  subject: string;
  /** Canonical names of the types behind the subject (empty for 'total'). */
  types: string[];
  metric?: 'count' | 'bytes';
  /**
   * For growth: head - base; for max-count, max-bytes and new-type: the head value; for trend-slope:
   * the slope; for trend-grows: the rounds it rose in a row.
   */
  actual?: number;
  /** The largest allowed value of `actual`. */
  limit?: number;
  base?: number;
  head?: number;
  /** Percent growth vs base (growth checks; null when base is 0). */
  pct?: number | null;
  /** The rule's own message and hint, when written. */
  message?: string;
  hint?: string;
  /** For 'suppression-expired': the suppression's `expires` date. */
  suppressionExpires?: string;
  suppressedBy?: { reason: string; expires?: string; expired: boolean; file: string; line: number };
  /** Trend checks: the statistics of the series (base/head are then its first and last value). */
  trend?: FindingTrend;
  /** Growth checks against a baseline of several clean runs: the noise the limit took into account. */
  noise?: FindingNoise;
  /** Evidence lines of checks that judge values (duplicate strings: the values and their holders). */
  detail?: string[];
  /** Retention-path clusters to attach, per the rule's `evidence`. */
  evidenceWanted: number;
  evidence?: TypeEvidence[];
  /** Where the finding's types were allocated, when a trace was given (`check --trace`). */
  allocatedAt?: AllocationSitesEvidence[];
  /** The leak's identity across runs (src/fingerprint). */
  fingerprint?: { id: string; kind: 'path' | 'type'; basis: string };
  /** Against a baseline that keeps a leak record: a leak it did not know, or one known since then. */
  leak?: { status: 'new' } | { status: 'known'; firstSeen: { date: string; commit?: string } };
}

export interface RuleOutcome {
  rule: RuleRef;
  severity: Severity;
  status: Status;
  /** Types the rule looked at (0 for 'total'). */
  matchedTypes: number;
  findings: number;
}

export type Verdict = Status;

export interface Evaluation {
  verdict: Verdict;
  /** Unsuppressed findings, most severe first. */
  findings: Finding[];
  suppressed: Finding[];
  rules: RuleOutcome[];
  /** Why results are inconclusive (estimated snapshots, missing baseline); empty when conclusive. */
  inconclusiveReasons: string[];
}

export type FailOn = 'error' | 'warning' | 'never';

/** How bad a status is: fail > inconclusive > warn > pass. */
export const STATUS_RANK: Record<Status, number> = { fail: 3, inconclusive: 2, warn: 1, pass: 0 };
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** The worst of `statuses`, and never better than `floor`. */
export function worst(statuses: readonly Status[], floor: Status): Status {
  let w = floor;
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[w]) w = s;
  return w;
}

/** A failure decides; else anything inconclusive makes the whole result inconclusive (never a silent pass). */
export function verdictOf(findings: readonly Finding[], inconclusiveReasons: readonly string[]): Verdict {
  if (findings.some((f) => f.status === 'fail')) return 'fail';
  if (inconclusiveReasons.length > 0 || findings.some((f) => f.status === 'inconclusive'))
    return 'inconclusive';
  return findings.some((f) => f.status === 'warn') ? 'warn' : 'pass';
}

/** The gate's outcome as every report (check, soak) presents it. */
export interface GateOutcome {
  verdict: Verdict;
  failOn: FailOn;
  exitCode: 0 | 1;
  counts: { fail: number; warn: number; inconclusive: number; suppressed: number };
  inconclusiveReasons: string[];
  findings: Finding[];
  suppressed: Finding[];
  rules: RuleOutcome[];
}

export function gateOutcome(
  ev: Evaluation,
  failOn: FailOn,
  exitCode: 0 | 1 = exitCodeFor(ev, failOn),
): GateOutcome {
  const count = (s: Status) => ev.findings.filter((f) => f.status === s).length;
  return {
    verdict: ev.verdict,
    failOn,
    exitCode,
    counts: {
      fail: count('fail'),
      warn: count('warn'),
      inconclusive: count('inconclusive'),
      suppressed: ev.suppressed.length,
    },
    inconclusiveReasons: ev.inconclusiveReasons,
    findings: ev.findings,
    suppressed: ev.suppressed,
    rules: ev.rules,
  };
}

/** 0 pass, 1 gate failed. Inconclusive never fails the gate, but is never shown as a pass either. */
export function exitCodeFor(evaluation: Evaluation, failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  for (const f of evaluation.findings) {
    if (f.status === 'fail') return 1;
    if (failOn === 'warning' && f.status === 'warn' && f.severity === 'warning') return 1;
  }
  return 0;
}

/**
 * Findings as a reader wants them: one entry per identical finding (two rules that both flag a
 * type as new say it once, naming both rules), and each subject's findings together, at the place
 * of its most important one. `findings` must already be in report order.
 */
export function groupBySubject(findings: readonly Finding[]): Finding[] {
  const merged: Finding[] = [];
  const same = new Map<string, Finding>();
  for (const f of findings) {
    const key = JSON.stringify([f.subject, f.check, f.metric, f.actual, f.limit, f.status, f.suppressedBy]);
    const first = same.get(key);
    if (first && f.check !== 'suppression-expired') {
      (first.alsoBy ??= []).push(f.rule);
      first.evidenceWanted = Math.max(first.evidenceWanted, f.evidenceWanted);
      continue;
    }
    same.set(key, f);
    merged.push(f);
  }
  const bySubject = new Map<string, Finding[]>();
  for (const f of merged) {
    const list = bySubject.get(f.subject);
    if (list) list.push(f);
    else bySubject.set(f.subject, [f]);
  }
  return [...bySubject.values()].flat();
}
