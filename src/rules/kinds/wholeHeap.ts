/** Shared by the waste kinds: limits on the whole heap, and the names in their evidence. */
import type { RulesProblem } from '../errors.js';
import type { CompileContext } from './kind.js';

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
