import { afterAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../src/rules/parse.js';
import { RulesError } from '../../src/rules/errors.js';
import { expectBadInput, hostileDir, timed } from '../support/hostileInput.js';

const files = hostileDir('hostile-rules');
afterAll(() => files.remove());

/** The error parseRules throws for `text` (undefined if none), with its time and RSS growth. */
function rulesErrorOf(text: string, file: string): { err: unknown; ms: number; rssMiB: number } {
  const rss0 = process.memoryUsage().rss;
  const { value: err, ms } = timed(() => {
    try {
      parseRules(text, file);
    } catch (e) {
      return e;
    }
    return undefined;
  });
  return { err, ms, rssMiB: (process.memoryUsage().rss - rss0) / 1048576 };
}

/** Ten anchors, each a list of nine aliases of the one before: 9^9 nodes once expanded. */
function laughs(): string {
  const lines = ['rules: []', 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `x${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

describe('YAML aliases in a rules file', () => {
  it('an expansion bomb is a rules error with a position, not an uncaught ReferenceError', () => {
    const text = laughs();
    expect(text.length).toBeLessThan(600);
    const { err, ms } = rulesErrorOf(text, 'bomb.yml');
    expect(ms).toBeLessThan(1000);
    expect(err).toBeInstanceOf(RulesError);
    expect((err as Error).message).toMatch(
      /^bomb\.yml:3:\d+: the aliases in this file expand to too much data/,
    );
  });

  it('a few aliases are still fine', () => {
    const text = 'x: &limit 500\nrules:\n  - id: a\n    type: Foo\n    maxCount: *limit\n';
    expect(() => parseRules(text, 'ok.yml')).not.toThrow(/alias/);
  });

  it('the CLI prints one file:line:col line and exits 2', async () => {
    const p = files.path('bomb.yml', laughs());
    await expectBadInput(
      ['check', 'examples/steady.gcdump', '--baseline', 'baselines/example.json', '--rules', p],
      /bomb\.yml:3:\d+: the aliases in this file expand to too much data/,
    );
  });
});

describe('deeply nested YAML in a rules file', () => {
  const deep: [string, string, RegExp][] = [
    [
      'block sequences on one line',
      `rules:\n  - ${'- '.repeat(12_000)}x\n`,
      /^deep\.yml:2:\d+: nests collections/,
    ],
    ['flow sequences', `rules: ${'['.repeat(20_000)}\n`, /^deep\.yml:1:\d+: nests collections/],
    ['mapping indicators', `${': '.repeat(12_000)}\n`, /^deep\.yml:1:\d+: nests collections/],
  ];
  it.each(deep)('%s: a rules error with a position, not a stack overflow', (_name, text, message) => {
    const { err, ms } = rulesErrorOf(text, 'deep.yml');
    expect(ms).toBeLessThan(1000);
    expect(err).toBeInstanceOf(RulesError);
    expect((err as Error).message).toMatch(message);
  });

  it('ordinary nesting, quoted brackets and comments are not counted', () => {
    const text = `# [[[[[[ ${'[ '.repeat(100)}\nrules:\n  - id: a\n    type: "${'['.repeat(100)}Foo"\n    max-count: 5\n`;
    expect(() => parseRules(text, 'ok.yml')).not.toThrow(/nests collections/);
  });
});

describe('large rules files', () => {
  // The yaml library and the schema spend hundreds of bytes per value; without limits a 1 MB file of
  // `[1,1,…]` took 870 MiB and produced a 16 MB error message.
  it('a file over 128 KiB is refused at the offset where it passes the limit', () => {
    const text = `rules:\n${'  # padding padding padding padding padding padding padding padding\n'.repeat(3000)}`;
    const { err, ms } = rulesErrorOf(text, 'big.yml');
    expect(ms).toBeLessThan(1000);
    expect(err).toBeInstanceOf(RulesError);
    expect((err as Error).message).toMatch(/^big\.yml:\d{4}:\d+: is longer than 128 KiB.*split it/);
  });

  it.each([
    [
      'a flow sequence of numbers',
      `rules: [${'1,'.repeat(60_000)}1]\n`,
      /^many\.yml:1:\d+: has more than 10,000 YAML entries/,
    ],
    [
      'a block sequence',
      `rules:\n${'- 1\n'.repeat(30_000)}`,
      /^many\.yml:10001:1: has more than 10,000 YAML entries/,
    ],
  ])('%s with too many entries is refused before parsing', (_name, text, message) => {
    expect(text.length).toBeLessThan(128 * 1024);
    const { err, ms, rssMiB } = rulesErrorOf(text, 'many.yml');
    expect(ms).toBeLessThan(1000);
    expect(rssMiB).toBeLessThan(32);
    expect(err).toBeInstanceOf(RulesError);
    expect((err as Error).message).toMatch(message);
  });

  // Found by the fuzzer: a 64 KB copy of the default rules with a line of 59,631 `]` took 74 MiB,
  // one parse error (with a captured stack) per bracket.
  it('a line of brackets that close nothing is refused before parsing', () => {
    const text = `version: 1\nrules: []\n${']'.repeat(60_000)}\n`;
    const { err, ms, rssMiB } = rulesErrorOf(text, 'stray.yml');
    expect(ms).toBeLessThan(1000);
    expect(rssMiB).toBeLessThan(16);
    expect(err).toBeInstanceOf(RulesError);
    expect((err as Error).message).toMatch(
      /^stray\.yml:3:1001: has more than 1,000 '\]' or '\}' that close nothing/,
    );
  });

  it('thousands of parse errors cost their messages, not a stack trace each', () => {
    // 40,000 anchors in a row (120 KB): one error per anchor, all listed as problems.
    const text = `version: 1\nrules: ${'&a '.repeat(40_000)}x\n`;
    const { err, rssMiB } = rulesErrorOf(text, 'anchors.yml');
    expect(err).toBeInstanceOf(RulesError);
    expect((err as RulesError).problems.length).toBeGreaterThan(30_000);
    expect(rssMiB).toBeLessThan(40);
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
  });

  it('a file with thousands of problems lists the first 50 and counts the rest', () => {
    const text = `rules: [${'1,'.repeat(5_000)}1]\n`;
    const { err } = rulesErrorOf(text, 'wrong.yml');
    expect(err).toBeInstanceOf(RulesError);
    const lines = (err as Error).message.split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]).toMatch(/^wrong\.yml:1:9: /);
    expect(lines[50]).toBe('wrong.yml: … and 4,951 more problems');
    expect((err as RulesError).problems).toHaveLength(5_001);
  });
});

describe('an empty rules file', () => {
  it.each([
    ['empty', ''],
    ['only comments', '# rules come later\n\n'],
    ['an empty document', '---\n'],
  ])('%s is a rules error, not a gate that checks nothing', (_name, text) => {
    const { err } = rulesErrorOf(text, 'heapgate.yml');
    expect(err).toBeInstanceOf(RulesError);
    expect((err as Error).message).toMatch(/^heapgate\.yml:1:1: is empty: it has no rules/);
  });

  it('a file with only an ignore list is fine (used beside a shipped set)', () => {
    expect(parseRules('ignore: [Microsoft.*]\n', 'extra.yml').ignore).toHaveLength(1);
  });
});
