/**
 * A tolerant parser for the three spellings of CLR type names heapgate meets:
 *  - reflection syntax (native SOS, windbg, psscor): ``Dictionary`2+Entry[[K, asm],[V, asm]][]``
 *  - C# syntax (current SOS, ClrMD 3): `Dictionary<K, V>+Entry[]`
 *  - dotnet-gcdump / TraceEvent: `Entry<K,V>[]`, `System.Int32<,>` (a rank-2 array), `[]c` (for `<>c`)
 * Generic arguments are kept flattened in declaration order, whichever nesting level declared
 * them, because that is all the gcdump spelling preserves.
 */

export interface ParsedTypeName {
  /** Nesting path, outermost first; the first element carries the namespace. */
  path: string[];
  /** Generic arguments of all nesting levels, outermost level first. */
  args: ParsedTypeName[];
  /** Array and pointer suffixes in order: `[]`, `[,]`, `[*]`, `*`. */
  suffixes: string[];
}

/**
 * Generic arguments and array suffixes nested deeper than this are not parsed: no real type
 * comes close, and a crafted name nested thousands deep would overflow the stack. Such a name is
 * kept as written.
 */
const MAX_NESTING = 64;

class Cursor {
  pos = 0;
  depth = 0;
  constructor(readonly s: string) {}
  peek(offset = 0): string {
    return this.s[this.pos + offset] ?? '';
  }
  skipSpaces(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }
  /** Next non-space character at or after `pos + offset`, without moving. */
  peekNonSpace(offset = 0): string {
    let i = this.pos + offset;
    while (i < this.s.length && /\s/.test(this.s[i])) i++;
    return this.s[i] ?? '';
  }
  done(): boolean {
    return this.pos >= this.s.length;
  }
}

class NotATypeName extends Error {}

const STOP = new Set(['<', '>', '[', ']', ',', '+', '/', '*', '&']);

/**
 * Parses a full type name, or returns null when the text is not one (pseudo names, `UNKNOWN 0x..`)
 * or is nested deeper than any real type.
 */
export function parseTypeName(text: string): ParsedTypeName | null {
  const c = new Cursor(text.trim());
  try {
    const t = parseType(c);
    c.skipSpaces();
    return c.done() ? t : null;
  } catch (err) {
    if (err instanceof NotATypeName) return null;
    throw err;
  }
}

function parseType(c: Cursor): ParsedTypeName {
  if (++c.depth > MAX_NESTING) throw new NotATypeName();
  const t: ParsedTypeName = { path: [], args: [], suffixes: [] };
  for (;;) {
    t.path.push(parseSegmentName(c));
    parseGenericArgs(c, t);
    const next = c.peek();
    // `/` is how CLR 1.x SOS wrote nesting.
    if (next === '+' || next === '/') {
      c.pos++;
      continue;
    }
    break;
  }
  parseSuffixes(c, t);
  c.depth--;
  return t;
}

/** One nesting level's name: identifier characters, arity markers dropped, compiler `<...>` parts kept. */
function parseSegmentName(c: Cursor): string {
  // Pieces are collected and joined once: testing or appending to a growing string per character
  // is quadratic on a long name.
  const parts: string[] = [];
  let last = '';
  for (;;) {
    const ch = c.peek();
    const atPartStart = last === '' || last === '.';
    if (ch === '<' && atPartStart) {
      parts.push(readBalancedAngles(c));
      last = '>';
    } else if (ch === '[' && c.peek(1) === ']' && atPartStart) {
      // dotnet-gcdump turns the compiler's `<>` into `[]` (`[]c__DisplayClass0_0`).
      parts.push('<>');
      last = '>';
      c.pos += 2;
    } else if (ch === '`') {
      c.pos++;
      if (!/[0-9]/.test(c.peek())) throw new NotATypeName();
      while (/[0-9]/.test(c.peek())) c.pos++;
    } else if (ch === '' || STOP.has(ch) || /\s/.test(ch)) {
      break;
    } else {
      const start = c.pos;
      while (c.pos < c.s.length && isNameChar(c.s[c.pos])) c.pos++;
      parts.push(c.s.slice(start, c.pos));
      last = c.s[c.pos - 1];
    }
  }
  if (parts.length === 0) throw new NotATypeName();
  return parts.join('');
}

/** A character copied into a segment name as is. */
function isNameChar(ch: string): boolean {
  return ch !== '<' && ch !== '`' && !STOP.has(ch) && !/\s/.test(ch);
}

/** `<...>` with nesting, as in `<<Main>$>g__Local|0_0`. */
function readBalancedAngles(c: Cursor): string {
  const start = c.pos;
  let depth = 0;
  do {
    const ch = c.peek();
    if (ch === '') throw new NotATypeName();
    if (ch === '<') depth++;
    else if (ch === '>') depth--;
    c.pos++;
  } while (depth > 0);
  return c.s.slice(start, c.pos);
}

function isRankAhead(c: Cursor, close: string): boolean {
  // `[]`, `[,]`, `[*]` (and gcdump's `<,>`): only commas, a star or spaces before the closer.
  let i = c.pos + 1;
  while (i < c.s.length && (c.s[i] === ',' || c.s[i] === '*' || c.s[i] === ' ')) i++;
  return c.s[i] === close;
}

function parseGenericArgs(c: Cursor, t: ParsedTypeName): void {
  const ch = c.peek();
  if (ch === '<' && !isRankAhead(c, '>')) {
    c.pos++;
    parseArgList(c, t, '>', false);
  } else if (ch === '[' && !isRankAhead(c, ']')) {
    c.pos++;
    parseArgList(c, t, ']', true);
  }
}

function parseArgList(c: Cursor, t: ParsedTypeName, close: string, reflection: boolean): void {
  for (;;) {
    c.skipSpaces();
    if (reflection && c.peek() === '[') {
      // Assembly-qualified argument: `[System.String, System.Private.CoreLib, Version=...]`.
      c.pos++;
      c.skipSpaces();
      t.args.push(parseType(c));
      skipAssemblyQualifier(c);
      if (c.peek() !== ']') throw new NotATypeName();
      c.pos++;
    } else {
      t.args.push(parseType(c));
    }
    c.skipSpaces();
    const ch = c.peek();
    c.pos++;
    if (ch === close) return;
    if (ch !== ',') throw new NotATypeName();
  }
}

function skipAssemblyQualifier(c: Cursor): void {
  c.skipSpaces();
  if (c.peek() !== ',') return;
  while (!c.done() && c.peek() !== ']') {
    if (c.peek() === '[') throw new NotATypeName();
    c.pos++;
  }
}

function parseSuffixes(c: Cursor, t: ParsedTypeName): void {
  for (;;) {
    const ch = c.peek();
    if (ch === '*' || ch === '&') {
      t.suffixes.push(ch);
      c.pos++;
    } else if ((ch === '[' && isRankAhead(c, ']')) || (ch === '<' && isRankAhead(c, '>'))) {
      const close = ch === '[' ? ']' : '>';
      c.pos++;
      let commas = 0;
      let star = false;
      while (c.peek() !== close) {
        if (c.peek() === ',') commas++;
        if (c.peek() === '*') star = true;
        c.pos++;
      }
      c.pos++;
      t.suffixes.push(star && commas === 0 ? '[*]' : `[${','.repeat(commas)}]`);
    } else {
      return;
    }
  }
}

/**
 * Renders in the canonical spelling: dotnet-gcdump's structure (an object's own type, when
 * nested, is named by its innermost simple name; generic arguments are flattened, comma
 * separated without spaces, without assemblies), with gcdump's two lossy manglings undone
 * (`<,>` back to `[,]`, `[]c` back to `<>c`).
 */
export function renderCanonical(t: ParsedTypeName, depth = 0): string {
  let s = depth === 0 && t.path.length > 1 ? t.path[t.path.length - 1] : t.path.join('+');
  if (t.args.length > 0) s += `<${t.args.map((a) => renderCanonical(a, depth + 1)).join(',')}>`;
  return s + t.suffixes.join('');
}
