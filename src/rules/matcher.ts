/** Type-name matchers of the rule language: exact, glob, regex, namespace, and the heap `total`. */
import { globTest } from '../model/typeMatch.js';
import { canonicalTypeName } from '../model/typeNames.js';
import { compileTypeRegex, isRegexLiteral } from './typeMatcher.js';
import type { Matcher, MatcherKind } from './types.js';

/** Written form of a matcher: a shorthand string or an object naming its kind. */
export type MatcherSpec =
  string | { type: string } | { glob: string } | { regex: string } | { namespace: string };

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

/** Throws an Error saying what is wrong when a regex does not compile or has a flag it cannot have. */
export function compileMatcher(spec: MatcherSpec): Matcher {
  if (typeof spec === 'string') {
    if (spec === 'total') return { kind: 'total', text: 'total', test: () => false };
    if (isRegexLiteral(spec)) return regexMatcher(spec, false);
    if (/[*?]/.test(spec)) return globMatcher(spec);
    return exactMatcher(spec);
  }
  if ('type' in spec) return exactMatcher(spec.type);
  if ('glob' in spec) return globMatcher(spec.glob);
  if ('regex' in spec) return regexMatcher(spec.regex, true);
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

// `*` is any run of characters (dots and generic arguments included), `?` is one character.
function globMatcher(glob: string): Matcher {
  return make('glob', glob, globTest(glob));
}

/** `/body/flags`, or also a bare body (object form `{regex: ...}`). Unanchored; RE2, linear time. */
function regexMatcher(text: string, bare: boolean): Matcher {
  const re = compileTypeRegex(text, { bare: bare && !text.startsWith('/') });
  return make('regex', re.text, re.test);
}

function make(kind: MatcherKind, text: string, test: (name: string) => boolean): Matcher {
  return { kind, text, test };
}

export function matchesAny(matchers: readonly Matcher[], name: string): boolean {
  for (const m of matchers) if (m.test(name)) return true;
  return false;
}
