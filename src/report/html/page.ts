/**
 * Renders an HtmlReport as one self-contained page: inline style and script, the data as a JSON
 * block, and a Content-Security-Policy that allows nothing but that style and script (no network,
 * no inline event handlers). The data is never written as markup: the script draws it with DOM calls.
 */
import { createHash } from 'node:crypto';
import { CLIENT_SCRIPT, CLIENT_STYLE } from './client.js';
import type { HtmlReport } from './model.js';
import { revealInvisible } from '../escape.js';

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return revealInvisible(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that is safe inside a `<script type="application/json">` block: `<`, `>` and `&` (so no
 * `</script>` or `<!--` can end or change the block) and the two line separators JavaScript once
 * treated as line ends become \u escapes, which JSON.parse turns back into the same characters.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * The report with every string's invisible and bidi characters shown as `<U+XXXX>` (type names come
 * from user processes; the page draws them as text, where U+202E would still reverse them).
 */
function withInvisibleRevealed(report: HtmlReport): unknown {
  return JSON.parse(
    JSON.stringify(report, (_key, value: unknown) =>
      typeof value === 'string' ? revealInvisible(value) : value,
    ),
  );
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export function renderHtmlPage(report: HtmlReport): string {
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(CLIENT_SCRIPT)}`,
    `style-src ${sha256(CLIENT_STYLE)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="${escapeHtml(report.tool)}">`,
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${CLIENT_STYLE}</style>`,
    '</head>',
    '<body>',
    '<noscript>This report draws itself with JavaScript; the data is in the JSON block of this file.</noscript>',
    '<main id="app"></main>',
    `<script type="application/json" id="heapgate-data">${scriptSafeJson(withInvisibleRevealed(report))}</script>`,
    `<script>${CLIENT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
