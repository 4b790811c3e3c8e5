/** The page shell: JSON embedding, self-containment and the treemap grouping, without a browser. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderHtmlPage, scriptSafeJson } from '../../src/report/html/page.js';
import { buildTreemap, namespaceOf } from '../../src/report/html/treemap.js';
import type { HtmlReport } from '../../src/report/html/model.js';

function report(title: string, typeName: string): HtmlReport {
  return {
    schemaVersion: 1,
    kind: 'snapshot',
    title,
    tool: 'heapgate test',
    generatedAt: '2026-01-01T00:00:00.000Z',
    headline: 'h',
    facts: [],
    notes: [],
    table: {
      title: 'Types',
      columns: [{ key: 'type', label: 'Type', kind: 'text' }],
      rows: [[typeName]],
      totalRows: 1,
      sort: { column: 0, descending: false },
    },
  };
}

/** The text of the page's JSON data block, as an HTML parser would cut it out. */
function dataBlock(html: string): string {
  const open = '<script type="application/json" id="heapgate-data">';
  const start = html.indexOf(open) + open.length;
  return html.slice(start, html.indexOf('</script', start));
}

describe('scriptSafeJson', () => {
  it('can never end or alter its script block, and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const json = scriptSafeJson({ s });
        expect(json).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(json)).toEqual({ s });
      }),
    );
  });

  it('keeps a hostile type name inside the data block', () => {
    const name = '</script><script>alert(1)</script><!--';
    const html = renderHtmlPage(report('t', name));
    const block = dataBlock(html);
    expect((JSON.parse(block) as HtmlReport).table?.rows[0][0]).toBe(name);
    // One data block and one script: nothing the data holds became an element.
    expect(html.match(/<script/g)).toHaveLength(2);
  });
});

describe('renderHtmlPage', () => {
  const html = renderHtmlPage(report('heapgate — <b>x</b> & "y"', 'T'));

  it('escapes the title and fetches nothing', () => {
    expect(html).toContain('<title>heapgate — &#60;b&#62;x&#60;/b&#62; &#38; &#34;y&#34;</title>');
    // The only URL is the SVG namespace name, which is an identifier, not a fetch.
    expect(html.match(/https?:\/\/[^\s'"]+/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).not.toMatch(/\b(src|href)=/);
  });

  it('allows only its own inline script and style', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(
      /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*';/,
    );
    expect(csp).not.toContain('unsafe');
  });
});

describe('treemap grouping', () => {
  it('names the namespace of generic, nested and array types', () => {
    expect(namespaceOf('System.Collections.Generic.List<System.String>')).toBe('System.Collections.Generic');
    expect(namespaceOf('System.Byte[]')).toBe('System');
    expect(namespaceOf('Entry<System.Int32,My.Order>[]')).toBe('(no namespace)');
    expect(namespaceOf('System.Byte[] (Bytes > 10K)')).toBe('System');
  });

  it('keeps every byte when it caps types and namespaces', () => {
    const leaves = Array.from({ length: 500 }, (_, i) => ({ name: `N${i % 50}.T${i}`, value: 1 + i }));
    const tm = buildTreemap(leaves, { title: 't', measure: 'm', maxTypes: 40, maxGroups: 10 });
    const total = leaves.reduce((a, l) => a + l.value, 0);
    expect(tm.total).toBe(total);
    expect(tm.groups).toHaveLength(11);
    expect(tm.groups.reduce((a, g) => a + g.value, 0)).toBe(total);
    for (const g of tm.groups) expect(g.children.reduce((a, c) => a + c.value, 0)).toBe(g.value);
    expect(
      tm.groups.flatMap((g) => g.children).filter((c) => c.name.includes('.T')).length,
    ).toBeLessThanOrEqual(40);
  });
});
