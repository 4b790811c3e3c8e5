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
import { RULE_KINDS } from './kinds/index.js';
import type { CompileContext } from './kinds/kind.js';
import { KNOWN_KEYS, RulesFileSchema, type RuleSpec, type RulesFile } from './schema.js';
import type { Matcher, NoiseFloor, Rule, RuleSet, Suppression } from './types.js';

export function parseRules(text: string, file: string): RuleSet {
  const lc = new LineCounter();
  if (text.length > MAX_RULES_CHARS)
    throw new RulesError([{ file, ...lineColAt(text, MAX_RULES_CHARS), message: SIZE_MESSAGE }]);
  const shape = shapeProblem(text);
  if (shape) throw new RulesError([{ file, ...shape }]);
  const doc = withStackGuard(file, () =>
    withoutErrorStacks(() => parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true })),
  );
  const problems: RulesProblem[] = [];
  for (const err of doc.errors) {
    const at = lc.linePos(err.pos[0]);
    problems.push({ file, line: at.line, col: at.col, message: firstLine(err.message) });
  }
  if (problems.length > 0) throw new RulesError(problems);

  const data: unknown = toData(doc, lc, file);
  // An empty file (or only comments) is almost always a mistake: as a gate it would check nothing.
  if (data === null || data === undefined)
    throw new RulesError([{ file, line: 1, col: 1, message: EMPTY_MESSAGE }]);
  const raw: unknown = data;
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
 * The yaml library and the schema check spend a few hundred bytes per node, so a large file of tiny
 * nodes (`[1,1,1,…]`) costs a hundred times its size. The shipped sets are a few KiB and a few
 * hundred nodes; these limits are far above any hand-written or generated rules file.
 */
const MAX_RULES_CHARS = 128 * 1024;
const EMPTY_MESSAGE =
  'is empty: it has no rules, ignore list or suppressions, so a gate with it alone checks nothing; add rules (see builtin:default) or leave the file out';
const MAX_ENTRIES = 10_000;
const SIZE_MESSAGE = `is longer than ${MAX_RULES_CHARS / 1024} KiB, the most heapgate reads as one rules file; split it (--rules can be given several times)`;
const ENTRIES_MESSAGE = `has more than ${MAX_ENTRIES.toLocaleString('en-US')} YAML entries, the most heapgate reads as one rules file; split it (--rules can be given several times)`;

function lineColAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/**
 * Aliases may stand for anchors that themselves hold aliases: a few hundred bytes can expand
 * into billions of nodes. A rules file needs few, if any; more is refused.
 */
const MAX_ALIAS_COUNT = 100;

/** The document as plain data, with alias expansion bounded; too many aliases is a rules error. */
function toData(doc: Document, lc: LineCounter, file: string): unknown {
  try {
    return withStackGuard(file, () => doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
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

/**
 * The yaml library parses and converts recursively, so input that nests thousands of levels
 * (`- - - - …` on one line, `[[[[…`) exhausts the stack. Rules files nest a few levels; a linear
 * scan refuses deep nesting up front, and a stack overflow that still happens is a rules error.
 */
const MAX_NESTING = 64;
/** Each `]` or `}` that closes nothing is a parse error of its own; a rules file has none. */
const MAX_STRAY_CLOSERS = 1_000;
const STRAY_MESSAGE = `has more than ${MAX_STRAY_CLOSERS.toLocaleString('en-US')} ']' or '}' that close nothing; check the brackets (is this a rules file?)`;
const NESTING_MESSAGE = `nests collections more than ${MAX_NESTING} levels deep; a rules file needs a few`;

/**
 * One linear pass before the yaml library sees the text: the first place where flow brackets plus
 * block indicators on a line pass MAX_NESTING, or where the entries (`,` in flow collections, `- `,
 * `? `, `: `) pass MAX_ENTRIES.
 */
function shapeProblem(text: string): { line: number; col: number; message: string } | undefined {
  let entries = 0;
  let strays = 0;
  let flow = 0;
  let line = 1;
  let lineStart = 0;
  let block = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      block = 0;
      if (quote === "'") quote = '';
      continue;
    }
    if (quote !== '') {
      if (c === quote && text[i - 1] !== '\\') quote = '';
      continue;
    }
    if (c === '#' && (i === lineStart || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') flow++;
    else if (c === ']' || c === '}') {
      if (flow > 0) flow--;
      else if (++strays > MAX_STRAY_CLOSERS) return { line, col: i - lineStart + 1, message: STRAY_MESSAGE };
    } else if (c === ',' && flow > 0) entries++;
    else if ((c === '-' || c === '?' || c === ':') && /[ \t\r\n]/.test(text[i + 1] ?? '\n')) {
      block++;
      entries++;
    } else continue;
    if (flow + block > MAX_NESTING) return { line, col: i - lineStart + 1, message: NESTING_MESSAGE };
    if (entries > MAX_ENTRIES) return { line, col: i - lineStart + 1, message: ENTRIES_MESSAGE };
  }
  return undefined;
}

/**
 * The yaml library reports each bad token as an Error, and capturing a stack costs most of the
 * ~1.7 KB each one takes; the messages carry positions, so the stacks are never read.
 */
function withoutErrorStacks<T>(work: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return work();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function withStackGuard<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (!(err instanceof RangeError) || !/call stack/i.test(err.message)) throw err;
    throw new RulesError([{ file, line: 1, col: 1, message: NESTING_MESSAGE }]);
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
    if (rule.written.length === 0)
      problems.push({
        ...at(path),
        message: `rule has no limit: add ${RULE_KINDS.map((k) => k.name)
          .join(', ')
          .replace(/, ([^,]*)$/, ' or $1')}`,
      });
    const isTotal = rule.matchers.some((m) => m.kind === 'total');
    const ctx: CompileContext = {
      at: (sub, key) => positionOf(doc, lc, file, [...path, ...sub], key),
      isTotal,
    };
    const fields: Record<string, unknown> = spec;
    for (const kind of RULE_KINDS) {
      const written = fields[kind.name];
      if (written !== undefined && kind.problems) problems.push(...kind.problems(written, ctx));
    }
    if (isTotal && rule.matchers.length > 1)
      problems.push({
        ...at([...path, 'match']),
        message: "'total' matches the whole heap and cannot be combined with type patterns",
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

  const suppressions: Suppression[] = (data.suppressions ?? []).map((s, i) => {
    if (s.match === undefined && s.fingerprint === undefined)
      problems.push({
        ...at(['suppressions', i]),
        message: "a suppression needs 'match' (types) or 'fingerprint' (a leak, as reports print it)",
      });
    return {
      pos: at(['suppressions', i]),
      matchers: s.match === undefined ? [] : matchers(s.match, ['suppressions', i, 'match']),
      rules: s.rule === undefined ? [] : Array.isArray(s.rule) ? s.rule : [s.rule],
      fingerprints:
        s.fingerprint === undefined ? [] : Array.isArray(s.fingerprint) ? s.fingerprint : [s.fingerprint],
      reason: s.reason,
      ...(s.expires !== undefined ? { expires: s.expires } : {}),
    };
  });
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
  const limits: Record<string, unknown> = {};
  const written: string[] = [];
  const fields: Record<string, unknown> = spec;
  const fromDefaults: Record<string, unknown> = defaults;
  for (const kind of RULE_KINDS) {
    const value = fields[kind.name];
    const compiled = kind.compile(value, kind.inDefaults ? fromDefaults[kind.name] : undefined);
    if (compiled === undefined) continue;
    limits[kind.name] = compiled;
    // A key that sets no limit (`max-growth: {}`) does not make a rule of its kind.
    if (value !== undefined) written.push(kind.name);
  }
  return {
    id: spec.id ?? matchers.map((m) => m.text).join(', '),
    pos,
    matchers,
    exclude,
    per: spec.per ?? 'type',
    noiseFloor: floor,
    limits,
    written,
    severity: spec.severity ?? defaults.severity ?? 'error',
    ...(spec.message !== undefined ? { message: spec.message } : {}),
    ...(spec.hint !== undefined ? { hint: spec.hint } : {}),
    evidence: spec.evidence ?? defaults.evidence ?? 3,
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
  for (const kind of RULE_KINDS) {
    if (!path.includes(kind.name)) continue;
    const message = kind.unionMessage?.(path);
    if (message !== undefined) return message;
  }
  const last = [...path].reverse().find((p) => typeof p === 'string');
  switch (last) {
    case 'match':
    case 'exclude':
    case 'ignore':
      return "expected a type pattern ('MyApp.Order', 'MyApp.Caching.*', '/regex/', 'total') or one of {type|glob|regex|namespace: ...}";
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
