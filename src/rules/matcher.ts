/** Type-name matchers of the rule language: exact, glob, regex, namespace, and the heap `total`. */
import { canonicalTypeName } from '../model/typeNames.js';
import type { Matcher, MatcherKind } from './types.js';

/** Written form of a matcher: a shorthand string or an object naming its kind. */
export type MatcherSpec =
  string | { type: string } | { glob: string } | { regex: string } | { namespace: string };

const REGEX_LITERAL = /^\/(.+)\/([imsu]*)$/s;

/**
 * Namespace of a type name: "System.Collections.Generic" for
 * "System.Collections.Generic.Dictionary<System.String, MyApp.Order>[]", "MyApp" for "MyApp.Outer+Inner".
 */
export function typeNamespace(name: string): string {
  let end = name.length;
  for (const stop of ['<', '[', '+', '`']) {
    const i = name.indexOf(stop);
    if (i >= 0 && i < end) end = i;
  }
  const head = name.slice(0, end);
  const dot = head.lastIndexOf('.');
  return dot < 0 ? '' : head.slice(0, dot);
}

/** `*` is any run of characters (dots and generic arguments included), `?` is one character. */
export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const ch of glob) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 's');
}

/** Throws a SyntaxError (with the engine's message) when a regex does not compile. */
export function compileMatcher(spec: MatcherSpec): Matcher {
  if (typeof spec === 'string') {
    if (spec === 'total') return { kind: 'total', text: 'total', test: () => false };
    if (REGEX_LITERAL.test(spec)) return regexMatcher(spec);
    if (/[*?]/.test(spec)) return globMatcher(spec);
    return exactMatcher(spec);
  }
  if ('type' in spec) return exactMatcher(spec.type);
  if ('glob' in spec) return globMatcher(spec.glob);
  if ('regex' in spec) return regexMatcher(spec.regex);
  const ns = spec.namespace.replace(/\.$/, '');
  return make('namespace', `namespace ${ns}`, (name) => {
    const own = typeNamespace(name);
    return own === ns || own.startsWith(`${ns}.`);
  });
}

// Exact names are canonicalised like snapshot names, so SOS spellings ("List`1[[...]]", "Outer+Inner") match.
function exactMatcher(written: string): Matcher {
  const name = canonicalTypeName(written);
  return make('type', name, (n) => n === name);
}

function globMatcher(glob: string): Matcher {
  const re = globToRegExp(glob);
  return make('glob', glob, (n) => re.test(n));
}

/** `/body/flags`, or a bare body (object form `{regex: ...}`). Unanchored, as JavaScript regexes are. */
function regexMatcher(text: string): Matcher {
  const m = REGEX_LITERAL.exec(text);
  const re = m ? new RegExp(m[1], m[2]) : new RegExp(text);
  return make('regex', m ? text : `/${text}/`, (n) => re.test(n));
}

function make(kind: MatcherKind, text: string, test: (name: string) => boolean): Matcher {
  return { kind, text, test };
}

export function matchesAny(matchers: readonly Matcher[], name: string): boolean {
  for (const m of matchers) if (m.test(name)) return true;
  return false;
}
