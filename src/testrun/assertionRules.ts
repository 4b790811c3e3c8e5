/**
 * A test's memory assertion as heapgate rules: the library's HeapAssert methods have exactly the
 * semantics of these rules, because heapgate parses and evaluates them with the same engine as a
 * rules file. A `match` is written as in a rules file: an exact name in any spelling .NET or SOS
 * gives (`Ns.Outer+Inner`, `List`1[[…]]`), a glob (`Ns.*`) or `/regex/`.
 */
import { parseRules } from '../rules/parse.js';
import type { RuleSet } from '../rules/types.js';
import type { AssertionSpec } from './protocol.js';

/** True when the assertion compares two checkpoints. */
export function needsBase(spec: AssertionSpec): boolean {
  return spec.kind === 'max-growth' || spec.kind === 'heap-growth';
}

/** The rule set one assertion stands for; `file` names it in errors (e.g. `assertion 3`). */
export function assertionRules(spec: AssertionSpec, file: string): RuleSet {
  if (spec.kind === 'rules') return parseRules(spec.text, file);
  const rule: Record<string, unknown> = { id: spec.kind, evidence: 1, severity: 'error' };
  switch (spec.kind) {
    case 'max-count':
      Object.assign(rule, { match: spec.match, 'max-count': spec.max });
      break;
    case 'max-bytes':
      Object.assign(rule, { match: spec.match, 'max-bytes': spec.max });
      break;
    case 'max-growth': {
      const growth: Record<string, number> = {};
      if (spec.count !== undefined) growth.count = spec.count;
      if (spec.bytes !== undefined) growth.bytes = spec.bytes;
      // "No growth" without a limit means no more instances than before.
      if (Object.keys(growth).length === 0) growth.count = 0;
      // A type the earlier checkpoint did not have grew from zero: the same limit applies.
      const fresh: Record<string, unknown> = { action: 'fail' };
      if (growth.count !== undefined) fresh['max-count'] = growth.count;
      if (growth.bytes !== undefined) fresh['max-bytes'] = growth.bytes;
      Object.assign(rule, { match: spec.match, 'max-growth': growth, 'new-types': fresh });
      break;
    }
    case 'heap-growth':
      Object.assign(rule, { match: 'total', 'max-growth': { bytes: spec.bytes } });
      break;
  }
  // JSON is YAML: the same parser, schema and error messages as a rules file.
  return parseRules(JSON.stringify({ version: 1, rules: [rule] }), file);
}
