/**
 * Regular expressions of the rule language, run against type names that come from the snapshot
 * under test. They run on RE2 (re2js), whose matching time is linear in the name's length whatever
 * the pattern, so no rules file can make a check hang (`/(a+)+$/` on a long name included).
 */
import { RE2JS } from 're2js';

/** `/body/flags`: anything that starts with `/` is meant as a regex, and is one or an error. */
const REGEX_LITERAL = /^\/(.+)\/([A-Za-z]*)$/s;

const FLAGS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  // RE2 always matches by code point.
  u: 0,
};

/** True for a written pattern meant as a regex literal (`/…/flags`, well-formed or not). */
export function isRegexLiteral(text: string): boolean {
  return text.startsWith('/');
}

export interface TypeRegex {
  /** As written, `/body/flags`. */
  text: string;
  test(name: string): boolean;
}

/**
 * Compiles `/body/flags` or, with `bare`, a body alone. Unanchored, as JavaScript regexes are.
 * Throws an Error whose message says what is wrong (bad flag, syntax RE2 does not have).
 */
export function compileTypeRegex(written: string, opts: { bare?: boolean } = {}): TypeRegex {
  let body = written;
  let flags = '';
  const literal = REGEX_LITERAL.exec(written);
  if (literal) [, body, flags] = literal;
  else if (!opts.bare) throw new Error(`'${written}' is not a regex literal; write /pattern/ or /pattern/i`);
  let bits = 0;
  for (const flag of new Set(flags)) {
    const bit = FLAGS[flag];
    if (bit === undefined) {
      const why =
        flag === 'g' || flag === 'y'
          ? 'a rule tests each type name once, so it has no meaning'
          : 'it is not supported';
      throw new Error(`flag '${flag}' in ${written}: ${why} (flags: i, m, s, u)`);
    }
    bits |= bit;
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(body), bits);
  } catch (err) {
    throw new Error(
      `${(err as Error).message} (rule regexes use RE2 syntax: no backreferences or lookarounds)`,
    );
  }
  return { text: literal ? written : `/${written}/`, test: (name) => re.test(name) };
}
