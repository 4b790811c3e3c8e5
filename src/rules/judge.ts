/**
 * The evaluation both `check` (one head against a baseline) and `soak` (a series of snapshots) run:
 * rules → subjects → the rule kinds' violations → findings, suppressions, per-rule outcomes and the
 * verdict. Each mode supplies only its data (how a subject is read) and which kinds it runs.
 */
import { matchesAny } from './matcher.js';
import {
  groupBySubject,
  verdictOf,
  worst,
  type Evaluation,
  type Finding,
  type RuleOutcome,
  type RuleRef,
} from './findings.js';
import type { Subject, Violation } from './kinds/kind.js';
import type { Rule, Suppression } from './types.js';

/** `D`: what a subject holds besides its name and types (base and head, or a row per round). */
export interface Judgement<D> {
  rules: readonly Rule[];
  /** Type names a rule can match (the ignore list already applied). */
  names: readonly string[];
  /** The subject of one type, by its index in `names`. */
  one(index: number): D;
  /** The matched types of a `per: all` rule, summed. */
  group(indices: readonly number[]): D;
  /** The whole heap, for `match: total`. */
  total(): D;
  /** Why a rule cannot judge this data at all, if it cannot: it then finds nothing and is inconclusive. */
  undecidable(rule: Rule): string | undefined;
  violations(rule: Rule, subject: Subject & D): Violation[];
  /** Reasons the counts are estimates (sampled or capped snapshots); empty when exact. */
  estimatedReasons: readonly string[];
  /** Other reasons the whole result is inconclusive (a missing baseline). */
  reasons?: readonly string[];
  /**
   * Types whose counts may be too low (not in `names` when none was counted), and why: a rule
   * covering one is inconclusive and so are its findings on them; the other rules still decide.
   */
  uncertain?: { names: readonly string[]; reasons: readonly string[] };
  suppressions: readonly Suppression[];
  /** YYYY-MM-DD (UTC) for suppression expiry. */
  today: string;
  /** Order of the findings in reports, most important first. */
  order(a: Finding, b: Finding): number;
}

export function judge<D>(j: Judgement<D>): Evaluation {
  const raw: Finding[] = [];
  const estimated = j.estimatedReasons.length > 0;
  const reasons = new Set<string>([...j.estimatedReasons, ...(j.reasons ?? [])]);
  const perRule = j.rules.map((rule) => {
    const subjects = subjectsOf(rule, j);
    const matchedTypes =
      rule.matchers[0]?.kind === 'total' ? 0 : subjects.reduce((n, s) => n + s.types.length, 0);
    const undecidable = j.undecidable(rule);
    if (undecidable) reasons.add(undecidable);
    const doubtful = uncertainCovered(rule, j.uncertain?.names ?? []);
    if (doubtful.size > 0) for (const r of j.uncertain?.reasons ?? []) reasons.add(r);
    const found: Finding[] = [];
    if (!undecidable) {
      for (const s of subjects) for (const v of j.violations(rule, s)) found.push(findingOf(rule, s, v));
      for (const f of found) {
        if (
          estimated ||
          (doubtful.size > 0 && (f.types.length === 0 || f.types.some((t) => doubtful.has(t))))
        )
          markInconclusive(f);
      }
    }
    raw.push(...found);
    return { rule, matchedTypes, found, conclusive: !undecidable && !estimated && doubtful.size === 0 };
  });

  const { findings, suppressed } = applySuppressions(raw, j.suppressions, j.today);
  const outcomes: RuleOutcome[] = perRule.map(({ rule, matchedTypes, found, conclusive }) => {
    const mine = found.filter((f) => !f.suppressedBy);
    return {
      rule: refOf(rule),
      severity: rule.severity,
      status: worst(
        mine.map((f) => f.status),
        conclusive ? 'pass' : 'inconclusive',
      ),
      matchedTypes,
      findings: mine.length,
    };
  });

  const grouped = groupBySubject(findings.sort(j.order));
  const inconclusiveReasons = [...reasons];
  return {
    verdict: verdictOf(grouped, inconclusiveReasons),
    findings: grouped,
    suppressed,
    rules: outcomes,
    inconclusiveReasons,
  };
}

/** The uncertain types a rule covers: all of them for `match: total`, else those its matchers take. */
function uncertainCovered(rule: Rule, names: readonly string[]): Set<string> {
  if (rule.matchers[0]?.kind === 'total') return new Set(names);
  return new Set(names.filter((n) => matchesAny(rule.matchers, n) && !matchesAny(rule.exclude, n)));
}

function subjectsOf<D>(rule: Rule, j: Judgement<D>): (Subject & D)[] {
  if (rule.matchers[0]?.kind === 'total') return [{ name: 'total', types: [], ...j.total() }];
  const matched: number[] = [];
  j.names.forEach((name, i) => {
    if (matchesAny(rule.matchers, name) && !matchesAny(rule.exclude, name)) matched.push(i);
  });
  if (rule.per === 'type')
    return matched.map((i) => ({ name: j.names[i], types: [j.names[i]], ...j.one(i) }));
  if (matched.length === 0) return [];
  const label = `${matched.length} type${matched.length === 1 ? '' : 's'} matching ${rule.matchers.map((m) => m.text).join(', ')}`;
  return [{ name: label, types: matched.map((i) => j.names[i]), ...j.group(matched) }];
}

function findingOf(rule: Rule, s: Subject, v: Violation): Finding {
  const severity = v.severity ?? rule.severity;
  return {
    rule: refOf(rule),
    status: severity === 'error' ? 'fail' : 'warn',
    severity,
    check: v.check,
    subject: s.name,
    types: s.types,
    metric: v.metric,
    actual: v.actual,
    limit: v.limit,
    ...(v.base !== undefined ? { base: v.base } : {}),
    head: v.head,
    ...(v.pct !== undefined ? { pct: v.pct } : {}),
    ...(v.trend !== undefined ? { trend: v.trend } : {}),
    ...(v.noise !== undefined ? { noise: v.noise } : {}),
    ...(v.detail !== undefined ? { detail: v.detail } : {}),
    ...(rule.message !== undefined ? { message: rule.message } : {}),
    ...(rule.hint !== undefined ? { hint: rule.hint } : {}),
    evidenceWanted: rule.evidence,
  };
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
    f.suppressedBy = suppressionRecord(s, today);
    suppressed.push(f);
  }
  for (const s of suppressions) if (isExpired(s, today)) findings.push(expiredFinding(s));
  return { findings, suppressed };
}

/** What a suppressed finding says about the suppression that hides it. */
export function suppressionRecord(s: Suppression, today: string): NonNullable<Finding['suppressedBy']> {
  return {
    reason: s.reason,
    ...(s.expires ? { expires: s.expires } : {}),
    expired: isExpired(s, today),
    file: s.pos.file,
    line: s.pos.line,
  };
}

export function markInconclusive(f: Finding): void {
  if (f.status === 'fail' || f.status === 'warn') f.wouldBe = f.status;
  f.status = 'inconclusive';
}

export function suppresses(s: Suppression, f: Finding): boolean {
  if (s.rules.length > 0 && !s.rules.includes(f.rule.id)) return false;
  // Fingerprints exist once evidence is attached: see suppressLeaks (src/fingerprint).
  if (s.fingerprints.length > 0 && !(f.fingerprint && s.fingerprints.includes(f.fingerprint.id)))
    return false;
  if (s.matchers.length === 0) return s.fingerprints.length > 0;
  if (f.subject === 'total' && f.types.length === 0) return s.matchers.some((m) => m.kind === 'total');
  return f.types.length > 0 && f.types.every((t) => matchesAny(s.matchers, t));
}

export function isExpired(s: Suppression, today: string): boolean {
  return s.expires !== undefined && today > s.expires;
}

export function expiredFinding(s: Suppression): Finding {
  const what = [...s.matchers.map((m) => m.text), ...s.fingerprints.map((id) => `leak ${id}`)].join(', ');
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

/** Framework and compiler-generated types usually ride along with the type that actually leaks. */
export function isCarrier(name: string): boolean {
  return /^(System\.|Microsoft\.|<|\[\])/.test(name);
}

/** The rule writes a key of a kind that judges this kind of data. */
export function judges(
  rule: Rule,
  data: 'diff' | 'series',
  kinds: readonly { name: string; data: string }[],
): boolean {
  return kinds.some((k) => k.data === data && rule.written.includes(k.name));
}
