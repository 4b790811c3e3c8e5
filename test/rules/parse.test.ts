import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RulesError } from '../../src/rules/errors.js';
import { compileMatcher, typeNamespace } from '../../src/rules/matcher.js';
import { mergeRuleSets, parseRules } from '../../src/rules/parse.js';
import { didYouMean, editDistance } from '../../src/rules/didYouMean.js';

/** Messages of a rules file that must fail, one per line. */
function problems(text: string, file = 'heapgate.yml'): string[] {
  try {
    parseRules(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(RulesError);
    return (err as Error).message.split('\n');
  }
  throw new Error('expected the rules to be rejected');
}

/** 1-based line and column of the first occurrence of `needle` in `text` (an independent oracle). */
function at(text: string, needle: string, nth = 0): string {
  let idx = -1;
  for (let i = 0; i <= nth; i++) idx = text.indexOf(needle, idx + 1);
  if (idx < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, idx).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

describe('rules validation errors', () => {
  it('names file:line:col of a misspelt key and suggests the right one', () => {
    const text = 'rules:\n  - id: cache\n    match: MyApp.Caching.*\n    max-grwoth: { count: 0 }\n';
    expect(problems(text)).toEqual([
      `heapgate.yml:${at(text, 'max-grwoth')}: unknown key 'max-grwoth' (did you mean 'max-growth'?)`,
    ]);
  });

  it('suggests kebab-case for camelCase and snake_case keys, at every nesting level', () => {
    const text = [
      'rules:',
      '  - match: A',
      '    maxCount: 3',
      '    noise-floor: { cuont: 3 }',
      'supressions: []',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      `heapgate.yml:${at(text, 'maxCount')}: unknown key 'maxCount' (did you mean 'max-count'?)`,
      `heapgate.yml:${at(text, 'cuont')}: unknown key 'cuont' (did you mean 'count'?)`,
      `heapgate.yml:${at(text, 'supressions')}: unknown key 'supressions' (did you mean 'suppressions'?)`,
    ]);
  });

  it('lists the allowed keys when nothing is close', () => {
    const [msg] = problems('rules:\n  - match: A\n    max-count: 1\n    zzzzzzzzzz: 1\n');
    expect(msg).toMatch(
      /^heapgate\.yml:4:5: unknown key 'zzzzzzzzzz' \(expected one of: id, match, exclude, per, max-count/,
    );
  });

  it('reports bad values at the value, with the key path inside the rule', () => {
    const text = [
      'rules:',
      '  - match: { glob: 1 }',
      '    max-count: -1',
      '    max-growth: { bytes: 10x }',
      '  - match: A',
      '    max-count: 5',
      '    severity: fatal',
      '  - match: B',
      '    new-types: fial',
      'suppressions:',
      '  - match: Foo',
      '    expires: 2025-13-45',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      `heapgate.yml:${at(text, '1 }')}: match.glob: expected string`,
      `heapgate.yml:${at(text, '-1')}: max-count: must be 0 or more`,
      `heapgate.yml:${at(text, '10x')}: max-growth.bytes: '10x' is not a size like 64KB or a percentage like 10%`,
      `heapgate.yml:${at(text, 'fatal')}: severity: must be 'error', 'warning' or 'notice'`,
      `heapgate.yml:${at(text, 'fial')}: new-types: must be 'allow', 'warn' or 'fail' (did you mean 'fail'?)`,
      // A missing required key points at the object that lacks it.
      `heapgate.yml:${at(text, 'match: Foo')}: reason: is required`,
      `heapgate.yml:${at(text, '2025-13-45')}: expires: '2025-13-45' is not a date: write YYYY-MM-DD`,
    ]);
  });

  it('rejects invalid regexes, limitless rules, duplicate ids and bad total use after schema checks pass', () => {
    const text = [
      'rules:',
      '  - match: /[/',
      '    max-count: 5',
      '  - match: A',
      '  - id: dup',
      '    match: B',
      '    max-count: 1',
      '  - id: dup',
      '    match: C',
      '    max-count: 1',
      '  - match: [total, D]',
      '    max-count: 1',
      '',
    ].join('\n');
    const out = problems(text);
    expect(out[0]).toMatch(new RegExp(`^heapgate\\.yml:${at(text, '/[/')}: invalid regex: `));
    expect(out).toContain(
      `heapgate.yml:${at(text, 'match: A')}: rule has no limit: add max-count, max-bytes, max-average-bytes, max-growth, new-types, trend, max-duplicate-string-waste, max-loh-fragmentation, max-finalizer-backlog, max-empty-collections or max-sparse-array-waste`,
    );
    expect(out).toContain(
      `heapgate.yml:${at(text, 'dup', 1)}: rule id 'dup' is already used on line 5; give this rule a distinct 'id'`,
    );
    expect(out).toContain(
      `heapgate.yml:${at(text, '[total')}: 'total' matches the whole heap and cannot be combined with type patterns`,
    );
  });

  it('reports YAML syntax errors with their position', () => {
    const text = 'rules:\n  - match: A\n    max-count: [1\n';
    const [msg] = problems(text);
    expect(msg).toMatch(/^heapgate\.yml:(3|4):\d+: /);
  });

  it('rejects duplicate keys', () => {
    const text = 'rules:\n  - match: A\n    max-count: 1\n    max-count: 2\n';
    expect(problems(text)[0]).toMatch(/^heapgate\.yml:4:5: .*unique/i);
  });

  it('checks suppressions name real rules across merged files, with a suggestion', () => {
    const a = parseRules('rules:\n  - id: cache-growth\n    match: A\n    max-count: 1\n', 'a.yml');
    const b = parseRules('suppressions:\n  - match: A\n    rule: cache-grwth\n    reason: known\n', 'b.yml');
    expect(() => mergeRuleSets([a, b])).toThrow(
      "b.yml:2:5: suppression names unknown rule 'cache-grwth' (did you mean 'cache-growth'?)",
    );
    const c = parseRules('rules:\n  - id: cache-growth\n    match: B\n    max-count: 1\n', 'c.yml');
    expect(() => mergeRuleSets([a, c])).toThrow(
      "c.yml:2:5: rule id 'cache-growth' is already used at a.yml:2",
    );
  });
});

describe('rules compilation', () => {
  it('reads quantities: sizes with binary units, percentages, and abs+% pairs', () => {
    const set = parseRules(
      [
        'defaults:',
        '  noise-floor: { count: 5, bytes: 64KB }',
        'rules:',
        '  - match: A',
        '    max-bytes: 1.5 MB',
        '    max-growth: { count: [10, 5%], bytes: 10% }',
        '    noise-floor: { bytes: 1KiB }',
        '',
      ].join('\n'),
      'r.yml',
    );
    const r = set.rules[0];
    expect(r.limits['max-bytes']).toBe(1.5 * 1024 * 1024);
    expect(r.limits['max-growth']).toEqual({ count: { abs: 10, pct: 5 }, bytes: { pct: 10 } });
    // Rule values override defaults key by key.
    expect(r.noiseFloor).toEqual({ count: 5, bytes: 1024 });
    expect(r.severity).toBe('error');
    expect(r.limits['new-types']).toEqual({ action: 'warn' });
    expect(r.id).toBe('A');
    expect(r.pos).toEqual({ file: 'r.yml', line: 4, col: 5 });
  });

  it('rejects two absolute amounts in one growth list', () => {
    expect(problems('rules:\n  - match: A\n    max-growth: { count: [1, 2] }\n')[0]).toContain(
      'give at most one absolute amount and one percentage',
    );
  });

  it('parses the shipped rule sets', () => {
    for (const name of ['default', 'dotnet-leak-patterns']) {
      const set = parseRules(
        readFileSync(new URL(`../../rules/${name}.yml`, import.meta.url), 'utf8'),
        `builtin:${name}`,
      );
      expect(set.rules.length).toBeGreaterThan(0);
      for (const rule of set.rules) expect(rule.id).not.toContain(','); // every shipped rule has an explicit id
    }
  });
});

describe('matchers', () => {
  const names = [
    'MyApp.Caching.Entry',
    'MyApp.Caching.Sub.Node',
    'MyApp.CachingExtras',
    'System.Collections.Generic.List<MyApp.Caching.Entry>',
    'MyApp.Caching.Entry[]',
    'Entry<System.String,System.Int32>[]',
  ];
  const matching = (spec: Parameters<typeof compileMatcher>[0]) =>
    names.filter((n) => compileMatcher(spec).test(n));

  it('glob * spans dots and generic arguments but is anchored', () => {
    expect(matching('MyApp.Caching.*')).toEqual([
      'MyApp.Caching.Entry',
      'MyApp.Caching.Sub.Node',
      'MyApp.Caching.Entry[]',
    ]);
    expect(matching('*Entry')).toEqual(['MyApp.Caching.Entry']);
    expect(matching('MyApp.Caching.Entr?')).toEqual(['MyApp.Caching.Entry']);
  });

  it('namespace matches the type’s own namespace and sub-namespaces, not generic arguments', () => {
    expect(matching({ namespace: 'MyApp.Caching' })).toEqual([
      'MyApp.Caching.Entry',
      'MyApp.Caching.Sub.Node',
      'MyApp.Caching.Entry[]',
    ]);
    expect(typeNamespace('System.Collections.Generic.Dictionary<System.String,MyApp.Order>[]')).toBe(
      'System.Collections.Generic',
    );
    expect(typeNamespace('MyApp.Outer+Inner')).toBe('MyApp');
    expect(typeNamespace('CallbackNode')).toBe('');
  });

  it('regex literals are unanchored and take flags; exact names are canonicalised', () => {
    expect(matching('/caching\\.entry$/i')).toEqual(['MyApp.Caching.Entry']);
    expect(matching({ regex: '^Entry<' })).toEqual(['Entry<System.String,System.Int32>[]']);
    // An SOS spelling of a generic type matches the canonical name in snapshots.
    expect(
      compileMatcher('System.Collections.Generic.List`1[[MyApp.Caching.Entry, MyApp]]').test(
        'System.Collections.Generic.List<MyApp.Caching.Entry>',
      ),
    ).toBe(true);
    expect(compileMatcher('total').kind).toBe('total');
  });
});

describe('did you mean', () => {
  it('edit distance agrees with hand-computed values', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('max-grwoth', 'max-growth')).toBe(2);
  });
  it('suggests only close candidates', () => {
    expect(didYouMean('severty', ['severity', 'message'])).toBe('severity');
    expect(didYouMean('colour', ['severity', 'message'])).toBeUndefined();
  });
});
