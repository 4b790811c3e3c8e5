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

export interface Rule {
  id: string;
  pos: SourcePos;
  matchers: Matcher[];
  exclude: Matcher[];
  /** `type`: each matched type is checked alone; `all`: the matched types are summed. */
  per: 'type' | 'all';
  maxCount?: number;
  maxBytes?: number;
  maxGrowth: { count?: GrowthLimit; bytes?: GrowthLimit };
  noiseFloor: NoiseFloor;
  newTypes: NewTypesPolicy;
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
