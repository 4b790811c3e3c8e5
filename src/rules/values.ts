/** Value schemas shared by the rules file and the rule kinds: names, counts, sizes, growth bounds. */
import { z } from '../json/zod.js';
import { isPercentText, parsePercent, parseSize } from './units.js';

export const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });

export const Count = z
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .nonnegative({ error: 'must be 0 or more' });

export const Size = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const bytes = parseSize(v);
  if (bytes === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `'${String(v)}' is not a size: write bytes (65536) or a size like 64KB, 10MB, 1GB`,
    });
    return z.NEVER;
  }
  return bytes;
});

/** A rate: objects (fractions allowed: 0.5 per round is one object every other round). */
export const Rate = z.number({ error: 'must be a number' }).nonnegative({ error: 'must be 0 or more' });

export interface GrowthValue {
  abs?: number;
  pct?: number;
}

/** One growth bound: an absolute amount, a percentage ("10%"), or a list of one of each. */
export function growthValue(abs: (v: number | string) => number | undefined, unitHelp: string) {
  const one = z.union([z.number(), z.string()]).transform((v, ctx): GrowthValue => {
    if (isPercentText(v)) return { pct: parsePercent(v) };
    const n = abs(v);
    if (n === undefined) {
      ctx.addIssue({ code: 'custom', message: `'${String(v)}' is not ${unitHelp} or a percentage like 10%` });
      return z.NEVER;
    }
    return { abs: n };
  });
  return z.union([one, z.array(one).min(1).max(2)]).transform((v, ctx): GrowthValue => {
    if (!Array.isArray(v)) return v;
    const merged: GrowthValue = {};
    for (const part of v) {
      if (
        (part.abs !== undefined && merged.abs !== undefined) ||
        (part.pct !== undefined && merged.pct !== undefined)
      ) {
        ctx.addIssue({
          code: 'custom',
          message: 'give at most one absolute amount and one percentage, e.g. [1000, 10%]',
        });
        return z.NEVER;
      }
      Object.assign(merged, part);
    }
    return merged;
  });
}

export const countAbs = (v: number | string): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
