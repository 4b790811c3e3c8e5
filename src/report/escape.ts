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

/**
 * Characters that show nothing themselves but can change how the text around them reads: every
 * format character (Unicode category Cf: the bidi embeddings, overrides and isolates U+202A–U+202E
 * and U+2066–U+2069, the marks U+200E/U+200F/U+061C, zero-width space, joiners and U+2060–U+2064,
 * the byte-order mark U+FEFF, soft hyphen, tag characters, …), the line and paragraph separators
 * U+2028/U+2029, C1 controls, and the blank Hangul fillers.
 */
const INVISIBLE = /[\p{Cf}\u2028\u2029\u0080-\u009f\u115f\u1160\u3164\uffa0]/gu;

/**
 * Shows every invisible or bidi character as `<U+XXXX>`, so a type name cannot hide part of
 * itself, reverse how it reads (`Evil\u202Egnp.exe` shows as `Evil<U+202E>gnp.exe`) or look equal
 * to another. Used by every renderer that puts names in front of people: markdown, HTML, annotations.
 */
export function revealInvisible(text: string): string {
  return text.replace(
    INVISIBLE,
    (c) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}

/**
 * Plain markdown-safe text: invisible characters shown as `<U+XXXX>`, entities for every character
 * that markdown, HTML or GitHub would act on, and `www.` written `www&#46;` so GitHub does not turn a
 * bare domain into a link (`:` is always an entity, so `http://` never starts one either).
 */
export function escapeText(text: string): string {
  return (
    revealInvisible(text)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(SPECIAL, (c) => ENTITY[c])
      .replace(/(www)\./gi, '$1&#46;')
  );
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
