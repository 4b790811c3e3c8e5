/**
 * The facts value rules judge (duplicate-string waste, LOH fragmentation, the finalizer backlog,
 * empty collections, sparse arrays), read from the head when it is a full dump and the rules ask
 * for them: one more pass of the ClrMD reader over the dump per question asked.
 */
import { decodeCollections, type WasteSection } from '../dumpinfo/collections.js';
import { decodeEEHeap, summarizeEEHeap } from '../dumpinfo/eeheap.js';
import { decodeFinalizer } from '../dumpinfo/finalizer.js';
import { decodeStrings } from '../dumpinfo/strings.js';
import { HeapgateError } from '../errors.js';
import { queryDump } from '../formats/dump/dumpQuery.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { RULE_KINDS } from '../rules/kinds/index.js';
import type { CollectionWasteFact, HeadValues, ValueFact, ValueFacts } from '../rules/kinds/kind.js';
import type { RuleSet } from '../rules/types.js';

const TOP = 5;

/** The facts the rules' kinds judge. */
function factsNeeded(rules: RuleSet): Set<ValueFact> {
  const facts = new Map<string, ValueFact>();
  for (const k of RULE_KINDS) if (k.data === 'diff' && k.needsValues) facts.set(k.name, k.needsValues.fact);
  const out = new Set<ValueFact>();
  for (const r of rules.rules)
    for (const key of r.written) {
      const fact = facts.get(key);
      if (fact !== undefined) out.add(fact);
    }
  return out;
}

/** Values of the last head, or undefined when the rules need none or the head has none (a .gcdump). */
export async function readHeadValues(
  rules: RuleSet,
  heads: readonly HeapSnapshot[],
): Promise<HeadValues | undefined> {
  const head = heads.at(-1);
  const needed = factsNeeded(rules);
  if (needed.size === 0 || head === undefined || head.meta.format !== 'dump') return undefined;
  const file = head.meta.source;
  const out: ValueFacts = {};
  try {
    if (needed.has('duplicateStrings')) {
      const report = decodeStrings(
        await queryDump(file, 'strings', ['--top', String(TOP)], { what: 'a duplicate-string rule' }),
      );
      out.duplicateStrings = {
        wastedBytes: report.wastedBytes,
        top: report.duplicates.map((d) => ({
          value: d.value,
          count: d.count,
          wastedBytes: d.wastedBytes,
          holders: d.holders.slice(0, 2).map((h) => h.holder),
        })),
      };
    }
    if (needed.has('lohFragmentation')) {
      const heap = decodeEEHeap(await queryDump(file, 'eeheap', [], { what: 'an LOH fragmentation rule' }));
      const loh = summarizeEEHeap(heap).areas.find((a) => a.area === 'loh');
      const segments = heap.segments.filter((s) => s.kind === 'loh');
      out.lohFragmentation = {
        allocatedBytes: loh?.allocatedBytes ?? 0,
        freeBytes: loh?.freeBytes ?? 0,
        fragmentation: loh?.fragmentation ?? 0,
        segments: segments.map((s) => ({
          address: s.address,
          allocatedBytes: s.allocatedBytes,
          freeBytes: s.generations.reduce((n, g) => n + g.freeBytes, 0),
        })),
        largestFree: segments
          .flatMap((s) => s.largestFree ?? [])
          .sort((a, b) => b.size - a.size)
          .slice(0, 3),
      };
    }
    if (needed.has('finalizerBacklog')) {
      const q = decodeFinalizer(
        await queryDump(file, 'finalizer', ['--top', String(TOP)], { what: 'a finalizer backlog rule' }),
      );
      out.finalizerBacklog = {
        ready: q.ready,
        readyBytes: q.readyBytes,
        registered: q.registered,
        ...(q.runningFinalizer === undefined ? {} : { runningFinalizer: q.runningFinalizer }),
        types: q.types,
      };
    }
    if (needed.has('emptyCollections') || needed.has('sparseArrays')) {
      const c = decodeCollections(
        await queryDump(file, 'collections', ['--top', String(2 * TOP)], { what: 'a collection waste rule' }),
      );
      if (needed.has('emptyCollections')) out.emptyCollections = wasteFact(c.emptyCollections);
      if (needed.has('sparseArrays')) out.sparseArrays = wasteFact(c.sparseArrays);
    }
  } catch (e) {
    // The rules are then inconclusive with this reason; the rest of the gate still runs.
    if (e instanceof HeapgateError) return { unavailable: e.message };
    throw e;
  }
  return out;
}

function wasteFact(s: WasteSection): CollectionWasteFact {
  const group = (g: WasteSection['types'][number]) => ({
    count: g.count,
    wastedBytes: g.wastedBytes,
    ...(g.nullSlots === undefined ? {} : { nullSlots: g.nullSlots }),
  });
  return {
    objects: s.objects,
    wastedBytes: s.wastedBytes,
    ...(s.nullSlots === undefined ? {} : { nullSlots: s.nullSlots }),
    holders: s.holders.map((h) => ({ holder: h.name, ...group(h) })),
    types: s.types.map((t) => ({ type: t.name, ...group(t) })),
  };
}
