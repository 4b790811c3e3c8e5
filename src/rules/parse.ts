/**
 * Rules file text -> compiled RuleSet. All problems are collected and thrown together as a RulesError
 * whose lines read `file:line:col: message`, so a user fixes the whole file in one go.
 */
import { LineCounter, isAlias, parseDocument, visit, type Document } from 'yaml';
import type { core } from 'zod';
import { didYouMean } from './didYouMean.js';
import { RulesError, type RulesProblem } from './errors.js';
import { compileMatcher, type MatcherSpec } from './matcher.js';
import { positionOf, type YamlPath } from './positions.js';
import {
  KNOWN_KEYS,
  RulesFileSchema,
  type NewTypesSpec,
  type RuleSpec,
  type RulesFile,
  type TrendSpec,
} from './schema.js';
import type {
  Matcher,
  NewTypesPolicy,
  NoiseFloor,
  Rule,
  RuleSet,
  SourcePos,
  Suppression,
  TrendLimits,
} from './types.js';

export function parseRules(text: string, file: string): RuleSet {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const problems: RulesProblem[] = [];
  for (const err of doc.errors) {
    const at = lc.linePos(err.pos[0]);
    problems.push({ file, line: at.line, col: at.col, message: firstLine(err.message) });
  }
  if (problems.length > 0) throw new RulesError(problems);

  const raw: unknown = toData(doc, lc, file) ?? {};
  const parsed = RulesFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of flattenIssues(parsed.error.issues, []))
      problems.push(describeIssue(issue, doc, lc, file));
    throw new RulesError(dedupe(problems));
  }
  const set = compile(parsed.data, doc, lc, file, problems);
  if (problems.length > 0) throw new RulesError(problems);
  return set;
}

/**
 * Aliases may stand for anchors that themselves hold aliases: a few hundred bytes can expand
 * into billions of nodes. A rules file needs few, if any; more is refused.
 */
const MAX_ALIAS_COUNT = 100;

/** The document as plain data, with alias expansion bounded; too many aliases is a rules error. */
function toData(doc: Document, lc: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError) || !/alias/i.test(err.message)) throw err;
    let first: number | undefined;
    visit(doc, (_key, node) => {
      if (isAlias(node)) {
        first = node.range?.[0];
        return visit.BREAK;
      }
      return undefined;
    });
    const at = lc.linePos(first ?? 0);
    throw new RulesError([
      {
        file,
        line: at.line,
        col: at.col,
        message: `the aliases in this file expand to too much data (more than ${MAX_ALIAS_COUNT} aliased nodes); write the values out instead`,
      },
    ]);
  }
}

/** Combines rule sets from several files; rule ids must stay unique and suppressions must name real rules. */
export function mergeRuleSets(sets: readonly RuleSet[]): RuleSet {
  const merged: RuleSet = { files: [], rules: [], ignore: [], suppressions: [] };
  const problems: RulesProblem[] = [];
  const seen = new Map<string, Rule>();
  for (const set of sets) {
    merged.files.push(...set.files);
    merged.ignore.push(...set.ignore);
    merged.suppressions.push(...set.suppressions);
    for (const rule of set.rules) {
      const first = seen.get(rule.id);
      if (first) {
        problems.push({
          ...rule.pos,
          message: `rule id '${rule.id}' is already used at ${first.pos.file}:${first.pos.line}; give this rule another id`,
        });
        continue;
      }
      seen.set(rule.id, rule);
      merged.rules.push(rule);
    }
  }
  const ids = [...seen.keys()];
  for (const s of merged.suppressions) {
    for (const id of s.rules) {
      if (seen.has(id)) continue;
      const guess = didYouMean(id, ids);
      problems.push({
        ...s.pos,
        message: `suppression names unknown rule '${id}'${guess ? ` (did you mean '${guess}'?)` : ''}`,
      });
    }
  }
  if (problems.length > 0) throw new RulesError(problems);
  return merged;
}

function compile(
  data: RulesFile,
  doc: Document,
  lc: LineCounter,
  file: string,
  problems: RulesProblem[],
): RuleSet {
  const at = (path: YamlPath) => positionOf(doc, lc, file, path);
  const matchers = (spec: MatcherSpec | MatcherSpec[], path: YamlPath): Matcher[] => {
    const list = Array.isArray(spec) ? spec : [spec];
    const out: Matcher[] = [];
    list.forEach((one, i) => {
      try {
        out.push(compileMatcher(one));
      } catch (err) {
        const where = Array.isArray(spec) ? [...path, i] : path;
        problems.push({ ...at(where), message: `invalid regex: ${(err as Error).message}` });
      }
    });
    return out;
  };

  const defaults = data.defaults ?? {};
  const rules: Rule[] = [];
  const ids = new Map<string, number>();
  (data.rules ?? []).forEach((spec, i) => {
    const path = ['rules', i];
    const rule = compileRule(
      spec,
      defaults,
      at(path),
      matchers(spec.match, [...path, 'match']),
      spec.exclude ? matchers(spec.exclude, [...path, 'exclude']) : [],
    );
    const diffLimitless =
      rule.maxCount === undefined &&
      rule.maxBytes === undefined &&
      rule.maxGrowth.count === undefined &&
      rule.maxGrowth.bytes === undefined &&
      spec['new-types'] === undefined;
    if (diffLimitless && !spec.trend)
      problems.push({
        ...at(path),
        message: 'rule has no limit: add max-count, max-bytes, max-growth, new-types or trend',
      });
    if (diffLimitless && spec.trend) rule.trendOnly = true;
    if (spec.trend)
      problems.push(
        ...trendProblems(spec.trend, (key) => positionOf(doc, lc, file, [...path, 'trend'], key)),
      );
    const isTotal = rule.matchers.some((m) => m.kind === 'total');
    if (isTotal && rule.matchers.length > 1)
      problems.push({
        ...at([...path, 'match']),
        message: "'total' matches the whole heap and cannot be combined with type patterns",
      });
    if (isTotal && spec['new-types'] !== undefined)
      problems.push({
        ...positionOf(doc, lc, file, path, 'new-types'),
        message: "'new-types' does not apply to 'match: total'",
      });
    const dup = ids.get(rule.id);
    if (dup !== undefined)
      problems.push({
        ...at(spec.id ? [...path, 'id'] : path),
        message: `rule id '${rule.id}' is already used on line ${dup}; give this rule a distinct 'id'`,
      });
    else ids.set(rule.id, rule.pos.line);
    rules.push(rule);
  });

  const suppressions: Suppression[] = (data.suppressions ?? []).map((s, i) => ({
    pos: at(['suppressions', i]),
    matchers: matchers(s.match, ['suppressions', i, 'match']),
    rules: s.rule === undefined ? [] : Array.isArray(s.rule) ? s.rule : [s.rule],
    reason: s.reason,
    ...(s.expires !== undefined ? { expires: s.expires } : {}),
  }));
  const ignore = (data.ignore ?? []).flatMap((m, i) => matchers(m, ['ignore', i]));
  if (ignore.some((m) => m.kind === 'total'))
    problems.push({
      ...at(['ignore']),
      message: "'total' cannot be ignored; remove the rules that match it instead",
    });
  return { files: [file], rules, ignore, suppressions };
}

type Defaults = NonNullable<RulesFile['defaults']>;

function compileRule(
  spec: RuleSpec,
  defaults: Defaults,
  pos: Rule['pos'],
  matchers: Matcher[],
  exclude: Matcher[],
): Rule {
  const floor: NoiseFloor = { ...defaults['noise-floor'], ...spec['noise-floor'] };
  const growth = spec['max-growth'] ?? {};
  return {
    id: spec.id ?? matchers.map((m) => m.text).join(', '),
    pos,
    matchers,
    exclude,
    per: spec.per ?? 'type',
    ...(spec['max-count'] !== undefined ? { maxCount: spec['max-count'] } : {}),
    ...(spec['max-bytes'] !== undefined ? { maxBytes: spec['max-bytes'] } : {}),
    maxGrowth: {
      ...(growth.count ? { count: growth.count } : {}),
      ...(growth.bytes ? { bytes: growth.bytes } : {}),
    },
    noiseFloor: floor,
    newTypes: newTypesPolicy(spec['new-types'] ?? defaults['new-types']),
    severity: spec.severity ?? defaults.severity ?? 'error',
    ...(spec.message !== undefined ? { message: spec.message } : {}),
    ...(spec.hint !== undefined ? { hint: spec.hint } : {}),
    evidence: spec.evidence ?? defaults.evidence ?? 3,
    ...(spec.trend ? { trend: trendLimits(spec.trend) } : {}),
  };
}

/** Defaults: per round, 95% confidence, and enough rounds for the tests to mean something. */
function trendLimits(spec: TrendSpec): TrendLimits {
  const grows = spec['grows-in-last'];
  const slope = spec['max-slope'] ?? {};
  return {
    per: spec.per ?? 'round',
    maxSlope: {
      ...(slope.count !== undefined ? { count: slope.count } : {}),
      ...(slope.bytes !== undefined ? { bytes: slope.bytes } : {}),
    },
    ...(grows !== undefined ? { growsInLast: grows } : {}),
    // 4 points are the fewest for which a steady rise is significant at 95% (Mann–Kendall p = 1/24);
    // "grew in each of the last K rounds" needs K + 1 points.
    minRounds: spec['min-rounds'] ?? Math.max(4, (grows ?? 0) + 1),
    confidence: spec.confidence ?? 0.95,
  };
}

function trendProblems(spec: TrendSpec, at: (key?: string) => SourcePos): RulesProblem[] {
  const out: RulesProblem[] = [];
  const slope = spec['max-slope'];
  if (!slope && spec['grows-in-last'] === undefined)
    out.push({ ...at(), message: 'trend has no limit: add max-slope or grows-in-last' });
  if (slope && slope.count === undefined && slope.bytes === undefined)
    out.push({ ...at('max-slope'), message: 'max-slope needs count, bytes or both' });
  const grows = spec['grows-in-last'];
  const min = spec['min-rounds'];
  if (grows !== undefined && min !== undefined && min < grows + 1)
    out.push({
      ...at('min-rounds'),
      message: `min-rounds ${min} is too small for grows-in-last ${grows}: growing in ${grows} rounds takes ${grows + 1} snapshots`,
    });
  return out;
}

// Types absent from the baseline are reported as warnings unless a rule says otherwise: a new type is
// often a legitimate feature, but it must not slip through unseen.
function newTypesPolicy(spec: NewTypesSpec | undefined): NewTypesPolicy {
  if (spec === undefined) return { action: 'warn' };
  if (typeof spec === 'string') return { action: spec };
  return {
    action: spec.action,
    ...(spec['max-count'] !== undefined ? { maxCount: spec['max-count'] } : {}),
    ...(spec['max-bytes'] !== undefined ? { maxBytes: spec['max-bytes'] } : {}),
  };
}

/** zod reports a failed union as one issue holding each branch's issues; keep the branch that got furthest. */
function flattenIssues(issues: readonly core.$ZodIssue[], prefix: YamlPath): core.$ZodIssue[] {
  const out: core.$ZodIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // A branch whose issues include a wrong type at its root was the wrong shape altogether; of the rest,
      // prefer branches whose keys were all recognised ({glob: 1} is a glob with a bad value, not a bad type).
      const shaped = issue.errors.filter(
        (b) => !b.some((i) => i.code === 'invalid_type' && i.path.length === 0),
      );
      const keyed = shaped.filter(
        (b) => !b.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0),
      );
      const branches = keyed.length > 0 ? keyed : shaped;
      if (branches.length === 1) {
        out.push(...flattenIssues(branches[0], path));
        continue;
      }
      out.push({ ...issue, path, message: unionMessage(path) } as core.$ZodIssue);
      continue;
    }
    out.push({ ...issue, path } as core.$ZodIssue);
  }
  return out;
}

function unionMessage(path: YamlPath): string {
  if (path.includes('max-slope')) return 'expected a size per round or hour, like 1KB';
  const last = [...path].reverse().find((p) => typeof p === 'string');
  switch (last) {
    case 'match':
    case 'exclude':
    case 'ignore':
      return "expected a type pattern ('MyApp.Order', 'MyApp.Caching.*', '/regex/', 'total') or one of {type|glob|regex|namespace: ...}";
    case 'new-types':
      return "expected 'allow', 'warn', 'fail' or {action, max-count, max-bytes}";
    case 'count':
    case 'bytes':
      return 'expected an amount, a percentage like 10%, or a list of one of each';
    default:
      return 'invalid value';
  }
}

function describeIssue(issue: core.$ZodIssue, doc: Document, lc: LineCounter, file: string): RulesProblem {
  const path = issue.path as (string | number)[];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const named = [...path].reverse().find((p) => typeof p === 'string') ?? '';
    const known = KNOWN_KEYS[named] ?? [];
    const guess = didYouMean(key, known);
    const hint = guess
      ? ` (did you mean '${guess}'?)`
      : known.length > 0
        ? ` (expected one of: ${known.join(', ')})`
        : '';
    return { ...positionOf(doc, lc, file, path, key), message: `unknown key '${key}'${hint}` };
  }
  const pos = positionOf(doc, lc, file, path);
  // "max-growth.bytes: ..." reads better than "rules.3.max-growth.bytes: ..." next to a line number.
  const local = typeof path[1] === 'number' ? path.slice(2) : path;
  const where = local.length > 0 ? `${local.join('.')}: ` : '';
  let message = issue.message;
  if (issue.code === 'invalid_type') message = doc.hasIn(path) ? `expected ${issue.expected}` : 'is required';
  if (issue.code === 'invalid_value') {
    const actual: unknown = doc.getIn(path);
    const guess = typeof actual === 'string' ? didYouMean(actual, issue.values.map(String)) : undefined;
    if (guess) message += ` (did you mean '${guess}'?)`;
  }
  return { ...pos, message: `${where}${message}` };
}

function dedupe(problems: RulesProblem[]): RulesProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const k = `${p.line}:${p.col}:${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
