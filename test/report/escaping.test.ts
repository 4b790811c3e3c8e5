import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTypeName } from '../../src/model/typeNames.js';
import { size } from '../../src/report/budget.js';
import { code, escapeText, MAX_NAME_CHARS, revealInvisible } from '../../src/report/escape.js';
import { renderCheckMarkdown } from '../../src/report/markdown.js';
import { report, snap } from './fixtures.js';

/** Undo HTML entities (an independent decoder for the round-trip oracle). */
function decode(s: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return s.replace(/&(#(\d+)|[a-z]+);/g, (_, all: string, num?: string) =>
    num ? String.fromCodePoint(Number(num)) : named[all],
  );
}

const HOSTILE = [
  'System.Collections.Generic.List<Foo|Bar>',
  'System.Collections.Generic.List`1[[MyApp.Order, MyApp]]',
  '<script>alert(1)</script>',
  '@here please look',
  'MyApp.*Bold*_Italic_~~Strike~~',
  '[link](https://example.com)',
  '#123 $x^2$ \\escape',
  '<!-- heapgate:report scenario=other -->',
  `MyApp.Very${'Long'.repeat(2000)}Name`,
];

describe('escaping', () => {
  it('round-trips any text through entities, leaving no character markdown or GitHub acts on', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        // eslint-disable-next-line no-control-regex
        fc.pre(!/[\u0000-\u001f\u007f]/.test(s));
        const e = escapeText(s);
        // Invisible characters come back as <U+XXXX>, everything else exactly.
        expect(decode(e)).toBe(revealInvisible(s));
        expect(e.replace(/&(#\d+|[a-z]+);/g, '')).not.toMatch(/[<>|`*_~[\]\\@#$&!]/);
        expect(e).not.toMatch(/[\p{Cf}\u2028\u2029]/u);
        expect(e).not.toMatch(/www\./i);
      }),
    );
  });

  it('shortens very long names in the middle', () => {
    const long = code(HOSTILE[HOSTILE.length - 1]);
    expect(decode(long.replace(/<\/?code>/g, '')).length).toBe(
      MAX_NAME_CHARS - (MAX_NAME_CHARS % 2 === 0 ? 1 : 0),
    );
    expect(long).toContain('…');
  });

  it('hostile type names cannot break the report', () => {
    const base: Record<string, [number, number]> = {};
    const head: Record<string, [number, number]> = {};
    HOSTILE.forEach((n, i) => {
      base[n] = [1, 24];
      head[n] = [1000 + i, 24_000];
    });
    const md = renderCheckMarkdown(
      report({
        head: [snap('head.gcdump', head)],
        base: snap('b', base),
        rulesYaml:
          'rules:\n  - id: "<b>@team</b> |x|"\n    match: "*"\n    max-growth: { count: 0 }\n    message: "*see* @here | `x`"\n',
      }),
    );
    // Only our own tags survive as HTML.
    const tags = [...md.matchAll(/<\/?([a-z]+)[^>]*>/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(['code', 'details', 'summary', 'sub', 'br']));
    expect(md.match(/<!--/g)).toHaveLength(1);
    expect(md).not.toMatch(/@(here|team)/);
    expect(md).not.toContain('<script>');
    // Every table row has exactly as many cell separators as its header.
    const lines = md.split('\n');
    let pipes = -1;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        pipes = -1;
        continue;
      }
      const n = line.split('|').length;
      if (pipes < 0) pipes = n;
      expect(n).toBe(pipes);
    }
    // Backticks appear only in address code spans, and markdown emphasis characters not at all
    // outside our own **bold** counts.
    expect(md.replace(/`0x[0-9a-f]+`/g, '')).not.toContain('`');
    expect(md.replace(/\*\*[\d,]+\*\*/g, '')).not.toMatch(/[*_~]/);
    for (const name of HOSTILE.slice(0, -1)) expect(md).toContain(code(canonicalTypeName(name)));
  });

  it('never exceeds 65,536 characters, with 50,000 types, and says where the rest is', () => {
    const base: Record<string, [number, number]> = {};
    const head: Record<string, [number, number]> = {};
    for (let i = 0; i < 50_000; i++) {
      const name = `MyApp.Generated.Namespace${i % 97}.Type${i}<System.Collections.Generic.Dictionary<System.String,MyApp.Payload${i}>>`;
      base[name] = [10, 1000];
      head[name] = [10 + (i % 7) * 100, 1000 + i];
    }
    const r = report({
      head: [snap('head.gcdump', head)],
      base: snap('b', base),
      rulesYaml: 'rules:\n  - match: "*"\n    max-growth: { count: 0 }\n',
    });
    expect(r.findings.length).toBeGreaterThan(40_000);
    const md = renderCheckMarkdown(r, { artifact: 'heapgate-report.json' });
    expect(size(md)).toBeLessThanOrEqual(65_536);
    expect(md.length).toBeGreaterThan(60_000); // the budget is used, not wasted
    expect(md).toMatch(/more rows in heapgate-report\.json/);
    expect(md).toContain("This report was shortened to fit GitHub's comment limit");
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    // the verdict still comes first
    expect(md.split('\n')[1]).toMatch(/^### ❌ heapgate: memory gate failed/);
    // tighter budgets are honoured too
    for (const maxChars of [3000, 5000, 12_345, 30_000])
      expect(size(renderCheckMarkdown(r, { maxChars }))).toBeLessThanOrEqual(maxChars);
  });
});
