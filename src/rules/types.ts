/** The compiled rule set: what src/rules/parse.ts produces and src/rules/evaluate.ts consumes. */

export type Severity = 'error' | 'warning' | 'notice';

/** Where something was written: rules file and 1-based line/column. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export type MatcherKind = 'type' | 'glob' | 'regex' | 'namespace' | 'total';

export interface Matcher {
  kind: MatcherKind;
  /** The pattern as written (for reports). */
  text: string;
  /** Type-name test; always false for `total`. */
  test(typeName: string): boolean;
}

/** A growth allowance: absolute, percent of the baseline, or both (the larger wins). */
export interface GrowthLimit {
  abs?: number;
  pct?: number;
}

export interface NoiseFloor {
  count?: number;
  bytes?: number;
}

export type NewTypeAction = 'allow' | 'warn' | 'fail';

export interface NewTypesPolicy {
  action: NewTypeAction;
  /** A new type is flagged when its count or bytes exceed these; default: the noise floor, else 0. */
  maxCount?: number;
  maxBytes?: number;
}

/**
 * Limits on a type's trend over a soak run (a series of snapshots), checked by `heapgate soak` only.
 * A slope violation needs both a slope above the limit and a Mann–Kendall rise at `confidence`, so
 * one noisy round can neither fail a run nor hide a leak that the other rounds show.
 */
export interface TrendLimits {
  /** Unit of max-slope: per analysed snapshot (round) or per hour of collection time. */
  per: 'round' | 'hour';
  /** Largest allowed Theil–Sen slope per `per`. */
  maxSlope: { count?: number; bytes?: number };
  /** Fails a type whose count (or bytes) rose in each of this many consecutive last rounds. */
  growsInLast?: number;
  /** Least growth over those K rounds before grows-in-last can fail: absolute per metric, and relative. */
  minGrowth: { count: number; bytes: number; percent: number };
  /** The metric grows-in-last judges; unset: the count, or the bytes when the count rose in the last round too. */
  metric?: 'count' | 'bytes';
  /** Fewer analysed snapshots than this make the rule inconclusive. */
  minRounds: number;
  /** One-sided Mann–Kendall confidence a slope violation needs (0.95: p ≤ 0.05). */
  confidence: number;
}

export interface Rule {
  id: string;
  pos: SourcePos;
  matchers: Matcher[];
  exclude: Matcher[];
  /** `type`: each matched type is checked alone; `all`: the matched types are summed. */
  per: 'type' | 'all';
  noiseFloor: NoiseFloor;
  /**
   * Compiled limits by rule kind (src/rules/kinds): `max-count`, `max-growth`, `trend`, …; a kind
   * whose key is not written is absent, unless it has a default (`new-types`).
   */
  limits: Readonly<Record<string, unknown>>;
  /** The kinds whose keys the rule writes: they decide whether `check`, `soak` or both judge it. */
  written: readonly string[];
  severity: Severity;
  message?: string;
  hint?: string;
  /** Retention-path clusters to attach per offending type. */
  evidence: number;
}

export interface Suppression {
  pos: SourcePos;
  matchers: Matcher[];
  /** Rule ids this suppression is limited to; empty = every rule. */
  rules: string[];
  /** Leak fingerprints it is limited to; empty = any (then `matchers` say which types). */
  fingerprints: string[];
  reason: string;
  /** YYYY-MM-DD, inclusive last day. */
  expires?: string;
}

export interface RuleSet {
  files: string[];
  rules: Rule[];
  ignore: Matcher[];
  suppressions: Suppression[];
}
