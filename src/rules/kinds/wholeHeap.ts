/** Shared by the waste kinds: limits on the whole heap, and the names in their evidence. */
import type { z } from '../../json/zod.js';
import type { RulesProblem } from '../errors.js';
import {
  defineKind,
  factOf,
  type CheckWords,
  type CompileContext,
  type Metric,
  type RuleKind,
  type ValueFact,
  type ValueFacts,
} from './kind.js';

/** A whole-heap key written on a type rule is a rules error (it would never be judged). */
export function wholeHeapOnly(name: string) {
  return (_written: unknown, ctx: CompileContext): RulesProblem[] =>
    ctx.isTotal
      ? []
      : [
          {
            ...ctx.at([], name),
            message: `${name} measures the whole heap: write it on a rule with 'match: total'`,
          },
        ];
}

/** Control characters would corrupt a terminal; a type or field name from the dump never needs them. */
// eslint-disable-next-line no-control-regex
export const noControls = (name: string) => name.replace(/[\u0000-\u001f\u007f]+/g, ' ');

/**
 * A kind whose key is one limit on one number a full dump's fact gives for the whole heap
 * (`max-…: N` on a `match: total` rule): a finding when the number is above the limit, with the
 * fact's evidence lines.
 */
export function wholeHeapLimit<F extends ValueFact>(spec: {
  name: string;
  fact: F;
  /** What of the dump the fact needs, for "needs a full memory dump (…)". */
  what: string;
  schema: z.ZodType<number, unknown>;
  metric: Metric;
  measure(fact: NonNullable<ValueFacts[F]>): number;
  detail(fact: NonNullable<ValueFacts[F]>): string[];
  words: CheckWords;
}): RuleKind {
  const { name } = spec;
  return defineKind<number, number>({
    name,
    data: 'diff',
    needsBaseline: false,
    needsValues: { fact: spec.fact, what: spec.what },
    schema: spec.schema,
    compile: (written) => written,
    problems: wholeHeapOnly(name),
    evaluate(max, _rule, s, ctx) {
      const fact = factOf(ctx, spec.fact);
      if (s.name !== 'total' || fact === undefined) return [];
      const actual = spec.measure(fact);
      if (actual <= max) return [];
      return [
        { check: name, metric: spec.metric, actual, limit: max, head: actual, detail: spec.detail(fact) },
      ];
    },
    describe: { [name]: spec.words },
  });
}
