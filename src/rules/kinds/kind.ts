/**
 * What a rule kind is: the key it adds to a rule, how that key is validated and compiled, how it
 * judges a subject, and how its findings read. One file per kind under src/rules/kinds/, listed
 * once in src/rules/kinds/index.ts; parsing, check, soak and every report go through that list.
 */
import type * as z from 'zod';
import type { CountBytes } from '../../diff/types.js';
import type { SoakSeries } from '../../soak/series.js';
import type { MetricTrend } from '../../soak/trend.js';
import type { RulesProblem } from '../errors.js';
import type { NoiseTolerance } from '../../calibrate/noiseModel.js';
import type { Finding, FindingNoise, FindingTrend } from '../findings.js';
import type { YamlPath } from '../positions.js';
import type { Rule, Severity, SourcePos } from '../types.js';

export type Metric = 'count' | 'bytes';
export const METRICS: readonly Metric[] = ['count', 'bytes'];

/** A limit a subject broke: what the kind measured, against what. */
export interface Violation {
  check: string;
  metric: Metric;
  actual: number;
  limit: number;
  base?: number;
  head: number;
  pct?: number | null;
  trend?: FindingTrend;
  noise?: FindingNoise;
  /** Defaults to the rule's severity. */
  severity?: Severity;
  /** Evidence lines (e.g. the duplicated values and the fields holding them). */
  detail?: string[];
}

/** One string value held in several copies, as a waste rule reports it. */
export interface DuplicateStringFact {
  value: string;
  count: number;
  wastedBytes: number;
  /** `Type.field` (or array type) holding the copies, most first. */
  holders: string[];
}

/** The large object heap's free space (never compacted by default), as SOS !HeapStat and !EEHeap -gc show it. */
export interface LohFragmentationFact {
  allocatedBytes: number;
  freeBytes: number;
  /** freeBytes / allocatedBytes, 0..1 (0 for an empty LOH). */
  fragmentation: number;
  segments: { address: string; allocatedBytes: number; freeBytes: number }[];
  /** The largest free blocks, largest first, with the objects either side of each. */
  largestFree: {
    address: string;
    size: number;
    before?: { address: string; type: string; size: number };
    after?: { address: string; type: string; size: number };
  }[];
}

/** Objects the GC found unreferenced that wait for the finalizer thread (SOS !FinalizeQueue). */
export interface FinalizerBacklogFact {
  ready: number;
  readyBytes: number;
  /** Objects registered for finalization and not (yet) found unreferenced. */
  registered: number;
  /** The finalizer the finalizer thread is running when the dump was taken, if any. */
  runningFinalizer?: string;
  /** Ready objects by type, most first. */
  types: { type: string; count: number; bytes: number }[];
}

/** Empty collections that keep storage, or sparse reference arrays: what they waste and who holds them. */
export interface CollectionWasteFact {
  objects: number;
  wastedBytes: number;
  /** Sparse arrays only: null slots. */
  nullSlots?: number;
  /** `Type.field` (or array type) holding them, most wasted bytes first. */
  holders: { holder: string; count: number; wastedBytes: number; nullSlots?: number }[];
  types: { type: string; count: number; wastedBytes: number; nullSlots?: number }[];
}

/** What only a heap with values (a full dump) can tell, for the kinds that need it. */
export interface ValueFacts {
  duplicateStrings?: { wastedBytes: number; top: DuplicateStringFact[] };
  lohFragmentation?: LohFragmentationFact;
  finalizerBacklog?: FinalizerBacklogFact;
  emptyCollections?: CollectionWasteFact;
  sparseArrays?: CollectionWasteFact;
}
export type ValueFact = keyof ValueFacts;

/** The facts a full dump gave, or why the head cannot tell them. */
export type HeadValues = ValueFacts | { unavailable: string };

/** What a kind judges that only a full dump has. */
export interface NeedsValues {
  fact: ValueFact;
  /** What of the dump it reads, for "needs a full memory dump (…)". */
  what: string;
}

/** One fact of the head's values, when the head was read for it. */
export function factOf<F extends ValueFact>(ctx: DiffContext, fact: F): ValueFacts[F] | undefined {
  const values = ctx.values;
  return values === undefined || 'unavailable' in values ? undefined : values[fact];
}

/** A type, the heap total, or a group of types summed, as a rule sees it. */
export interface Subject {
  name: string;
  types: string[];
}

/** `check`: one head against a baseline. */
export interface DiffSubject extends Subject {
  base?: CountBytes;
  head: CountBytes;
  /** In the head but not in the baseline. */
  isNew: boolean;
  /** One type's measured noise, when the baseline has a noise model (see calibrate/noiseModel). */
  noise?: NoiseTolerance;
}
export interface DiffContext {
  baselineMissing: boolean;
  /** The baseline's noise model, when it was recorded from enough clean runs. */
  noise?: { runs: number; confidence: number };
  /** Facts from the head's values, for kinds with `needsValues`. */
  values?: HeadValues;
}

/** `soak`: one value per analysed snapshot. */
export interface SeriesSubject extends Subject {
  count: Float64Array;
  bytes: Float64Array;
}
export interface SeriesContext {
  series: SoakSeries;
  /** The trend of a row (cached: several rules look at the same rows). */
  trendOf(values: Float64Array): MetricTrend;
}

export interface CompileContext {
  /** Position of `key` inside the map at `sub` (relative to the rule), or of `sub` itself. */
  at(sub: YamlPath, key?: string): SourcePos;
  /** The rule matches `total` (the whole heap) rather than types. */
  isTotal: boolean;
}

/** How findings of one check read in reports. */
export interface CheckWords {
  label(f: Finding): string;
  actual(f: Finding): string;
  limit(f: Finding): string;
}

interface KindCommon<S, L> {
  /** The rule key this kind adds (`max-count`, `trend`, …); also the kind's name. */
  name: string;
  /** Schema of the key's value, as written. */
  schema: z.ZodType<S, unknown>;
  /** The key may also be written under `defaults:`. */
  inDefaults?: boolean;
  /** Keys of nested maps, by the map's key, for "did you mean". */
  knownKeys?: Record<string, readonly string[]>;
  /** A plain message for a value under this key that fits none of its shapes. */
  unionMessage?(path: YamlPath): string | undefined;
  /** Compiled limits, or undefined when the rule does not use this kind. */
  compile(written: S | undefined, defaults: S | undefined): L | undefined;
  /** Problems zod cannot see (combinations), reported with the rule file's positions. */
  problems?(written: S, ctx: CompileContext): RulesProblem[];
  /** Wording per check this kind's findings carry. */
  describe: Record<string, CheckWords>;
}

export interface DiffKind<S, L> extends KindCommon<S, L> {
  data: 'diff';
  /** Without a baseline the kind cannot judge anything. */
  needsBaseline: boolean;
  /** Judges facts only a heap with values has (a full dump): without them the rule is inconclusive. */
  needsValues?: NeedsValues;
  evaluate(limits: L, rule: Rule, s: DiffSubject, ctx: DiffContext): Violation[];
}

export interface SeriesKind<S, L> extends KindCommon<S, L> {
  data: 'series';
  /** Why this series cannot be judged (too few rounds, …), if it cannot. */
  undecidable?(limits: L, rule: Rule, series: SoakSeries): string | undefined;
  evaluate(limits: L, rule: Rule, s: SeriesSubject, ctx: SeriesContext): Violation[];
}

/** A kind as the registry holds it: its own spec and limit types are known only inside its file. */
export type RuleKind = DiffKind<unknown, unknown> | SeriesKind<unknown, unknown>;

/** Checks a kind against its own types and erases them for the registry. */
export function defineKind<S, L>(kind: DiffKind<S, L> | SeriesKind<S, L>): RuleKind {
  // The registry passes each kind only the values its own schema and compile produced.
  return kind as unknown as RuleKind;
}
