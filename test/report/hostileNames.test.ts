/**
 * Type names that try to fool a reader of the PR comment: bidi overrides and isolates, zero-width
 * and other format characters, and bare domains or URLs that GitHub would turn into links. Fed to
 * the real CLI as an SOS `dumpheap -stat` table; the markdown it writes is rendered with a GFM parser
 * (micromark with the GFM extensions, the syntax GitHub documents) to see what a reader would get.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revealInvisible } from '../../src/report/escape.js';
import { runCli } from '../support/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'heapgate-hostile-names-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** [name in the heap, how the report must show it]. */
const INVISIBLE: [string, string][] = [
  ['MyApp.Evil\u202Egnp.exe', 'MyApp.Evil<U+202E>gnp.exe'],
  ['MyApp.Embed\u202Aed\u202B\u202C\u202D', 'MyApp.Embed<U+202A>ed<U+202B><U+202C><U+202D>'],
  ['MyApp.Iso\u2066late\u2067\u2068\u2069', 'MyApp.Iso<U+2066>late<U+2067><U+2068><U+2069>'],
  ['MyApp.Zero\u200Bwidth\u200C\u200D', 'MyApp.Zero<U+200B>width<U+200C><U+200D>'],
  ['MyApp.Marks\u200E\u200F\u061C', 'MyApp.Marks<U+200E><U+200F><U+061C>'],
  ['MyApp.Bom\uFEFFx', 'MyApp.Bom<U+FEFF>x'],
  ['MyApp.Word\u2060Joiner\u2064', 'MyApp.Word<U+2060>Joiner<U+2064>'],
  ['MyApp.Soft\u00ADhyphen', 'MyApp.Soft<U+00AD>hyphen'],
  ['MyApp.Tag\u{E0041}', 'MyApp.Tag<U+E0041>'],
  ['MyApp.Filler\u3164', 'MyApp.Filler<U+3164>'],
];

const DOMAINS = [
  'Pay www.evil.example now',
  'MyApp.Go WWW.Evil.Example',
  'MyApp.Visit (www.evil.example/login)',
  'MyApp.Url http://evil.example/x',
  'MyApp.Secure https://evil.example/',
];

let markdown = '';
let html = '';

beforeAll(async () => {
  const names = [...INVISIBLE.map(([n]) => n), ...DOMAINS];
  const rows = ['Statistics:', '          MT Count TotalSize Class Name'];
  names.forEach((n, i) =>
    rows.push(`7f857ed0${i.toString(16).padStart(4, '0')} ${100 + i} ${2400 + i * 24} ${n}`),
  );
  writeFileSync(join(scratch, 'head.txt'), rows.join('\n') + '\n');
  writeFileSync(
    join(scratch, 'base.txt'),
    'Statistics:\n          MT Count TotalSize Class Name\n7f857ed01570     3        72 MyApp.Order\n',
  );
  const r = await runCli(
    ['check', 'head.txt', '--baseline', 'base.txt', '--format', 'md', '--no-evidence', '--top', '100'],
    { cwd: scratch },
  );
  expect(r.stderr).toBe('');
  markdown = r.stdout;
  html = micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
});

/** The text of every <code> element in the rendered page, entities decoded. */
function codeTexts(page: string): string[] {
  return [...page.matchAll(/<code>(.*?)<\/code>/gs)].map((m) =>
    m[1]
      .replace(/<[^>]*>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  );
}

describe('invisible and bidi characters in type names', () => {
  it('the markdown holds none of them', () => {
    expect(markdown).not.toMatch(/[\p{Cf}\u2028\u2029\u3164]/u);
  });

  it.each(INVISIBLE)('%j reads as %j in the rendered comment', (_name, shown) => {
    expect(codeTexts(html)).toContain(shown);
  });

  it('revealInvisible leaves ordinary text, generics and non-Latin names alone', () => {
    for (const s of [
      'System.Collections.Generic.List<MyApp.Order>',
      'Приложение.Заказ',
      '名前空間.型',
      'Ünïcödé+Nested[]',
    ])
      expect(revealInvisible(s)).toBe(s);
  });
});

describe('bare domains and URLs in type names', () => {
  it('render as text, never as links', () => {
    expect(html).not.toMatch(/<a /);
    for (const name of DOMAINS) expect(codeTexts(html)).toContain(name);
  });
});

describe('the same names in the HTML report', () => {
  it('the page and its data hold none of them; names read with <U+XXXX>', async () => {
    const r = await runCli(
      [
        'check',
        'head.txt',
        '--baseline',
        'base.txt',
        '--format',
        'html',
        '--no-evidence',
        '--output',
        'report.html',
      ],
      { cwd: scratch },
    );
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(join(scratch, 'report.html'), 'utf8');
    expect(page).not.toMatch(/[\p{Cf}\u2028\u2029\u3164]/u);
    const data = /<script type="application\/json" id="heapgate-data">(.*?)<\/script>/s.exec(page)?.[1] ?? '';
    const strings: string[] = [];
    JSON.parse(data, (_key, value: unknown) => {
      if (typeof value === 'string') strings.push(value);
      return value;
    });
    expect(strings.join('\n')).not.toMatch(/[\p{Cf}\u2028\u2029\u3164]/u);
    for (const [, shown] of INVISIBLE) expect(strings).toContain(shown);
  });
});

describe('input quoted in an error message', () => {
  it('shows a bidi override in a rules file as <U+202E> on the one error line', async () => {
    writeFileSync(
      join(scratch, 'rules.yml'),
      'rules:\n  - id: x\n    match: "*"\n    max-growth: { count: 0 }\n    sev\u202Eerity: error\n',
    );
    const r = await runCli(['check', 'head.txt', '--baseline', 'base.txt', '--rules', 'rules.yml'], {
      cwd: scratch,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "heapgate: rules.yml:5:5: unknown key 'sev<U+202E>erity' (did you mean 'severity'?)\n",
    );
  });
});
