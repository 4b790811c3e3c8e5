import { FormatError } from '../../errors.js';
/**
 * Lexical helpers shared by the SOS / dotnet-gcdump text readers: line splitting, debugger
 * prompts, culture-formatted numbers and hex addresses as printed by every tool generation.
 */

/** Decodes text as saved by shells and editors: UTF-8 (with or without BOM) or UTF-16 with a BOM. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** True when the bytes look like text rather than a binary file (no NULs outside UTF-16). */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)))
    return true;
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) if (head[i] === 0) return false;
  return true;
}

export function splitLines(text: string): string[] {
  // Splitting on a plain string is several times faster than on a pattern.
  return text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
}

/** Calls `fn` with each non-blank line, trimmed, without splitting the whole text first. */
export function forEachContentLine(text: string, fn: (line: string) => boolean | void): void {
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = start;
    let blank = true;
    for (; end < n; end++) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      if (blank && c !== 32 && c !== 9) blank = false;
    }
    if (!blank) {
      const line = text.slice(start, end).trim();
      if (line !== '' && fn(line) === true) return;
    }
    start = end + 1;
  }
}

// windbg/cdb `0:000> `, lldb `(lldb) `, dotnet-dump `> `, shells `$ `; matched after trimStart().
const PROMPT = /^(?:\d+:\d+(?::[\w]+)?>|\(lldb\)|>|\$)\s?/;

export interface PromptLine {
  /** The command typed after the prompt (without a leading `!` or `sos `), lower-cased. */
  command: string;
}

/** Recognises an echoed debugger command line such as `0:000> !dumpheap -stat`. */
export function parsePrompt(line: string): PromptLine | null {
  const start = line.trimStart();
  // A chain line in gcroot output starts with "->"; a bare ">" followed by text is a prompt.
  if (start.startsWith('->')) return null;
  const m = PROMPT.exec(start);
  if (!m) return null;
  const rest = start.slice(m[0].length).trim();
  const command = rest
    .replace(/^!(?:\w+\.)?/, '')
    .replace(/^sos\s+/i, '')
    .toLowerCase();
  return { command };
}

// Group separators used by ToString("N0") across cultures: , . ' NBSP, narrow NBSP, thin space.
const GROUPED = /^\d{1,3}(?:[,.'\u00a0\u202f\u2009]\d{3})+$/;
const PLAIN = /^\d+$/;

/** A decimal count or size, with or without any culture's thousands separators; NaN otherwise. */
export function parseCount(token: string): number {
  if (PLAIN.test(token)) return Number(token);
  if (GROUPED.test(token)) return Number(token.replace(/[^\d]/g, ''));
  return Number.NaN;
}

/** A count or size of a table row: as parseCount, but a number no heap can hold (2^53 and up) is an error. */
export function parseHeapNumber(token: string, what: string, file: string, line: number): number {
  const value = parseCount(token);
  // A damaged or invented row, not a rounding matter: doubles stop counting exactly there.
  if (value > Number.MAX_SAFE_INTEGER) {
    throw new FormatError(
      file,
      undefined,
      `line ${line}: ${what} ${token} is larger than any .NET heap can hold`,
    );
  }
  return value;
}

/** Regex source for a number token as parseCount accepts it. */
export const NUMBER = String.raw`\d{1,3}(?:[,.'\u00a0\u202f\u2009]\d{3})+|\d+`;

/** Regex source for an address / method-table token: optional 0x, hex, at most one backtick. */
export const HEX = String.raw`(?:0x)?[0-9a-fA-F]+(?:\x60[0-9a-fA-F]+)?`;

/** Normalises a hex token (`0x`, backtick, leading zeros, case) to `0x` + lower-case digits. */
export function normalizeAddress(token: string): string {
  const digits = token
    .replace(/^0x/i, '')
    .replace('`', '')
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
  return `0x${digits}`;
}

/** Digits of a hex token as printed (backtick and 0x removed), for pointer-width inference. */
export function hexDigits(token: string): string {
  return token.replace(/^0x/i, '').replace('`', '');
}

// Lines that authors use to show that output was cut: `...`, `…`, `<cut>`, `[...]`, `省略`,
// `... (200 more)`. Tested by hand rather than by one regex: patterns such as `<[^>]*cut[^>]*>`
// backtrack quadratically on long lines.
const DOTS = /^(?:\.{3,}|…+)$/;
const BRACKETED_DOTS = /^\[\s*(?:\.{3}|…)\s*\]$/;
const CUT_WORD = /cut|snip|omitted|省略/i;

export function isElision(line: string): boolean {
  const t = line.trim();
  if (DOTS.test(t) || BRACKETED_DOTS.test(t) || t.startsWith('省略')) return true;
  if (t.startsWith('<') && t.indexOf('>') === t.length - 1) return CUT_WORD.test(t);
  return t.startsWith('...') && t.endsWith(')') && t.slice(3).trimStart().startsWith('(');
}

// An annotation starts at a marker preceded by at least two spaces.
const ANNOTATION = /\s\s(?:#|\/\/|<--)/;

/** Strips author annotations pasted after a row (`  # look here`, `  // <--`). */
export function stripAnnotation(text: string): string {
  const m = ANNOTATION.exec(text);
  if (!m) return text;
  let cut = m.index;
  while (cut > 0 && /\s/.test(text[cut - 1])) cut--;
  return text.slice(0, cut);
}
