/** The `trend:` block of the rule language: validation with positions, defaults, and check/soak separation. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRulesPath } from '../../src/rules/builtin.js';
import { RulesError } from '../../src/rules/errors.js';
import { evaluate } from '../../src/rules/evaluate.js';
import { parseRules } from '../../src/rules/parse.js';
import { diffStats } from '../../src/diff/diffStats.js';

function problems(text: string): string[] {
  try {
    parseRules(text, 'heapgate.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(RulesError);
    return (err as Error).message.split('\n');
  }
  throw new Error('expected the rules to be rejected');
}

/** 1-based line:col of the nth occurrence of needle (independent of the YAML library). */
function at(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

describe('trend block validation', () => {
  it('rejects misspelt keys inside trend and max-slope, with did-you-mean and position', () => {
    const text = [
      'rules:',
      '  - match: MyApp.*',
      '    trend:',
      '      grows-in-lats: 4',
      '      max-slope: { cuont: 0 }',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      `heapgate.yml:${at(text, 'grows-in-lats')}: unknown key 'grows-in-lats' (did you mean 'grows-in-last'?)`,
      `heapgate.yml:${at(text, 'cuont')}: unknown key 'cuont' (did you mean 'count'?)`,
    ]);
  });

  it('rejects bad values with the reason', () => {
    const text = [
      'rules:',
      '  - match: A',
      '    trend:',
      '      per: minute',
      '      confidence: 95',
      '      min-rounds: 2',
      '      max-slope: { bytes: lots }',
      '',
    ].join('\n');
    const out = problems(text).join('\n');
    expect(out).toContain(
      `heapgate.yml:${at(text, 'minute')}: trend.per: must be 'round' (per snapshot) or 'hour'`,
    );
    expect(out).toContain(`heapgate.yml:${at(text, '95')}: trend.confidence: must be below 1`);
    expect(out).toContain(`heapgate.yml:${at(text, '2\n')}: trend.min-rounds: must be 3 or more`);
    expect(out).toContain(`heapgate.yml:${at(text, 'lots')}: trend.max-slope.bytes: 'lots' is not a size`);
  });

  it('needs a limit inside trend, and enough rounds for grows-in-last', () => {
    const text = [
      'rules:',
      '  - match: A',
      '    trend: { per: hour }',
      '  - match: B',
      '    trend: { grows-in-last: 5, min-rounds: 4 }',
      '',
    ].join('\n');
    const out = problems(text);
    expect(out).toContain(
      `heapgate.yml:${at(text, '{ per')}: trend has no limit: add max-slope or grows-in-last`,
    );
    expect(out).toContain(
      `heapgate.yml:${at(text, 'min-rounds')}: min-rounds 4 is too small for grows-in-last 5: growing in 5 rounds takes 6 snapshots`,
    );
  });

  it('min-growth and metric belong to grows-in-last, and take sizes and percents', () => {
    const text = [
      'rules:',
      '  - match: A',
      '    trend: { max-slope: { count: 1 }, min-growth: { count: 5 }, metric: bytes }',
      '  - match: B',
      '    trend: { grows-in-last: 4, min-growth: { bytes: 1MB, percent: 10 }, metric: bytes }',
      '',
    ].join('\n');
    const out = problems(text);
    expect(out).toEqual([
      `heapgate.yml:${at(text, 'min-growth')}: min-growth applies to grows-in-last: add grows-in-last`,
      `heapgate.yml:${at(text, 'metric')}: metric applies to grows-in-last: add grows-in-last`,
    ]);
    const set = parseRules(
      text.replace(
        'max-slope: { count: 1 }, min-growth: { count: 5 }, metric: bytes',
        'max-slope: { count: 1 }',
      ),
      'x.yml',
    );
    expect(set.rules[1].limits.trend).toMatchObject({
      minGrowth: { count: 8, bytes: 1024 * 1024, percent: 10 },
      metric: 'bytes',
    });
    expect(
      problems('rules:\n  - match: A\n    trend: { grows-in-last: 4, min-growth: { precent: 1 } }\n')[0],
    ).toMatch(/precent.*did you mean 'percent'/);
  });

  it('fills defaults: per round, 95%, min-rounds max(4, K+1)', () => {
    const set = parseRules(
      'rules:\n  - id: a\n    match: A\n    trend: { grows-in-last: 6 }\n  - id: b\n    match: B\n    trend: { max-slope: { bytes: 1KB }, per: hour }\n',
      'x.yml',
    );
    expect(set.rules[0].limits.trend).toEqual({
      per: 'round',
      maxSlope: {},
      growsInLast: 6,
      minGrowth: { count: 8, bytes: 16384, percent: 5 },
      minRounds: 7,
      confidence: 0.95,
    });
    expect(set.rules[1].limits.trend).toEqual({
      per: 'hour',
      maxSlope: { bytes: 1024 },
      minGrowth: { count: 8, bytes: 16384, percent: 5 },
      minRounds: 4,
      confidence: 0.95,
    });
    // Only a trend: `check` does not judge it.
    expect(set.rules[0].written).toEqual(['trend']);
  });

  it('a rule with diff limits and a trend block serves both; trend-only rules are invisible to check', () => {
    const set = parseRules(
      [
        'rules:',
        '  - id: both',
        '    match: A',
        '    max-count: 5',
        '    trend: { grows-in-last: 4 }',
        '  - id: soak-only',
        "    match: '*'",
        '    trend: { grows-in-last: 4 }',
        '',
      ].join('\n'),
      'x.yml',
    );
    expect(set.rules[0].written).toEqual(['max-count', 'trend']);
    const side = (count: number) => ({
      stats: [
        { name: 'A', count, bytes: count * 24 },
        { name: 'New', count: 1000, bytes: 24000 },
      ],
      totals: { objects: count + 1000, bytes: count * 24 + 24000 },
    });
    const ev = evaluate({
      rules: set,
      diff: diffStats(
        { stats: [{ name: 'A', count: 1, bytes: 24 }], totals: { objects: 1, bytes: 24 } },
        side(9),
      ),
      baselineMissing: false,
      estimatedReasons: [],
      today: '2026-01-01',
    });
    expect(ev.rules.map((r) => r.rule.id)).toEqual(['both']);
    // Without the skip, soak-only's default new-type policy would warn about "New".
    expect(ev.findings.map((f) => [f.rule.id, f.check, f.subject])).toEqual([['both', 'max-count', 'A']]);
  });

  it('the shipped soak rules parse and every rule has a trend', () => {
    const set = parseRules(readFileSync(builtinRulesPath('soak'), 'utf8'), 'builtin:soak');
    expect(set.rules.length).toBeGreaterThan(0);
    for (const r of set.rules) expect(r.limits.trend, r.id).toBeDefined();
  });
});
