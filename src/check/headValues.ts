/**
 * The facts value rules judge (duplicate-string waste), read from the head when it is a full
 * dump and the rules ask for them: one more pass of the ClrMD reader over the dump.
 */
import { decodeStrings } from '../dumpinfo/strings.js';
import { HeapgateError } from '../errors.js';
import { queryDump } from '../formats/dump/dumpQuery.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { RULE_KINDS } from '../rules/kinds/index.js';
import type { HeadValues } from '../rules/kinds/kind.js';
import type { RuleSet } from '../rules/types.js';

const TOP = 5;

export function rulesNeedValues(rules: RuleSet): boolean {
  const names = new Set(RULE_KINDS.filter((k) => k.data === 'diff' && k.needsValues).map((k) => k.name));
  return rules.rules.some((r) => r.written.some((key) => names.has(key)));
}

/** Values of the last head, or undefined when the rules need none or the head has none (a .gcdump). */
export async function readHeadValues(
  rules: RuleSet,
  heads: readonly HeapSnapshot[],
): Promise<HeadValues | undefined> {
  const head = heads.at(-1);
  if (!rulesNeedValues(rules) || head === undefined || head.meta.format !== 'dump') return undefined;
  try {
    const report = decodeStrings(
      await queryDump(head.meta.source, 'strings', ['--top', String(TOP)], {
        what: 'a duplicate-string rule',
      }),
    );
    return {
      duplicateStrings: {
        wastedBytes: report.wastedBytes,
        top: report.duplicates.map((d) => ({
          value: d.value,
          count: d.count,
          wastedBytes: d.wastedBytes,
          holders: d.holders.slice(0, 2).map((h) => h.holder),
        })),
      },
    };
  } catch (e) {
    // The rule is then inconclusive with this reason; the rest of the gate still runs.
    if (e instanceof HeapgateError) return { unavailable: e.message };
    throw e;
  }
}
