import { afterAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../src/rules/parse.js';
import { RulesError } from '../../src/rules/errors.js';
import { expectBadInput, hostileDir, timed } from '../support/hostileInput.js';

const files = hostileDir('hostile-rules');
afterAll(() => files.remove());

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
    const { value: err, ms } = timed(() => {
      try {
        parseRules(text, 'bomb.yml');
      } catch (e) {
        return e;
      }
      return undefined;
    });
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
    const { value: err, ms } = timed(() => {
      try {
        parseRules(text, 'deep.yml');
      } catch (e) {
        return e;
      }
      return undefined;
    });
    expect(ms).toBeLessThan(1000);
    expect(err).toBeInstanceOf(RulesError);
    expect((err as Error).message).toMatch(message);
  });

  it('ordinary nesting, quoted brackets and comments are not counted', () => {
    const text = `# [[[[[[ ${'[ '.repeat(100)}\nrules:\n  - id: a\n    type: "${'['.repeat(100)}Foo"\n    max-count: 5\n`;
    expect(() => parseRules(text, 'ok.yml')).not.toThrow(/nests collections/);
  });
});
