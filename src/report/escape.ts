/**
 * Escaping for text from heaps and rule files placed into GitHub markdown. .NET names carry `<>`,
 * backticks (List`1), `+`, `[]` and, from hostile or generated code, anything else; none of it may
 * break a table, open HTML, ping people (@team), link issues (#1) or start emphasis or math.
 */

const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
  '@': '&#64;',
  '#': '&#35;',
  $: '&#36;',
  ':': '&#58;',
  '!': '&#33;',
};

const SPECIAL = /[&<>"'|`*_~[\]\\@#$:!]/g;

/** Longest name shown in full; longer ones keep their start and end around an ellipsis. */
export const MAX_NAME_CHARS = 200;

/** Plain markdown-safe text: entities for every character that markdown, HTML or GitHub would act on. */
export function escapeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(SPECIAL, (c) => ENTITY[c]);
}

/** Shortens very long names in the middle (generic argument lists can run to kilobytes). */
export function shorten(text: string, max = MAX_NAME_CHARS): string {
  if (text.length <= max) return text;
  const keep = Math.floor((max - 1) / 2);
  return `${text.slice(0, keep)}…${text.slice(text.length - keep)}`;
}

/**
 * A type (or other identifier) name as inline code. HTML <code> rather than a backtick span because
 * names may contain backticks, and GitHub does not turn `@x` into a mention inside <code>.
 */
export function code(name: string): string {
  return `<code>${escapeText(shorten(name))}</code>`;
}

/** An SOS-usable address in a code span; anything else is escaped as text. */
export function address(addr: string): string {
  return /^0x[0-9a-f]+$/i.test(addr) ? `\`${addr}\`` : code(addr);
}
