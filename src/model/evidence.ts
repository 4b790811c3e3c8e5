/**
 * GC-root evidence attached to findings: why instances of a type are alive.
 * Produced by src/graph (from object graphs) or src/formats/sos (from `gcroot` text).
 */

/** Plain-words root kinds, as a reader of `!GCRoot` output would name them. */
export type RootKind =
  | 'static field'
  | 'thread-static field'
  | 'stack local'
  | 'strong handle'
  | 'pinned handle'
  | 'async pinned handle'
  | 'weak handle'
  | 'finalizer queue'
  | 'COM/WinRT'
  | 'ref-counted handle'
  | 'dependent handle'
  | 'sized-ref handle'
  | 'other root'
  | 'unreachable';

/** One step of a retention path, root side first. */
export interface PathStep {
  /** Display type name (canonical form). */
  type: string;
  /** Object address as 0x-prefixed hex (SOS accepts it), absent for pseudo-nodes. */
  address?: string;
  /** Shallow size in bytes, when known (absent on a folded run). */
  size?: number;
  /**
   * Set when this step stands for a run of `repeat` (>= 2) consecutive objects of one type,
   * such as a linked list; `address` is then the first object of the run.
   */
  repeat?: number;
}

export interface RetentionPath {
  rootKind: RootKind;
  /**
   * For static roots: the field. dotnet-gcdump does not record the declaring class, so this is
   * the bare field name (`s_items`) for .gcdump sources, and `Namespace.Class.field` when the
   * producer names the declaring class (SOS, PerfView's HeapDump).
   */
  rootName?: string;
  steps: PathStep[];
}

/** Instances of one type grouped by the type-level signature of their root path. */
export interface PathCluster {
  /**
   * One line naming the holder, e.g. "static field s_items → Dictionary<Int32,Order> →
   * Entry<Int32,Order>[] → Order" (root label, then the holder types).
   */
  signature: string;
  rootKind: RootKind;
  /** As RetentionPath.rootName. */
  rootName?: string;
  /**
   * Holder types from the rooted object to the instance's type (inclusive). A type that repeats
   * on consecutive steps (a linked list) appears once, suffixed ` ×n`.
   */
  holders: string[];
  count: number;
  bytes: number;
  sample: RetentionPath;
  /**
   * Other root-path clusters folded into this one because their paths reach the same accumulation
   * point (another root's structure entering the same list or collection); count and bytes include them.
   */
  merged?: number;
}

/** The structure where the instances of a type pile up, and who owns it (src/graph/accumulation.ts). */
export interface AccumulationEvidence {
  /**
   * The first evidence line, after "N x Type": "held by OptionsMonitor<…>._onChange (delegate
   * invocation list: 5,500 of 5,500 instances), reached from the DI container".
   */
  summary: string;
  kind:
    'collection' | 'delegate invocation list' | 'linked list' | 'timer list' | 'channel' | 'array' | 'object';
  /** Instances of the type held there. */
  count: number;
  /** The object named first: the collection, the delegate's owner, the list's owner. */
  holder: {
    type: string;
    address?: string;
    /**
     * The holder's field that leads to the structure. .gcdump files record no field names, so it is
     * set only for well-known framework shapes (`List<T>._items`); `fieldKnownBy: 'type'` says so.
     */
    field?: string;
    fieldKnownBy?: 'type';
    /** Type of the object that field points to (the delegate, the array, the list head). */
    via?: string;
  };
  /** The array / list head / object the instances hang from; `structures` > 1 when several of one kind were merged. */
  structure: { type: string; address?: string; elements: number; structures: number };
  /** The nearest application type above the holder, when the holder is a framework type. */
  owner?: { type: string; address?: string };
  /** Where the owner (or holder) lives: "the DI container", "static field s_items", … */
  reachedFrom: string;
  /**
   * Set when the baseline is a snapshot with an object graph: the type's instances in the same
   * place there (matched by the structure's type-level root path) and how many were added since
   * (negative when fewer). Points are then ordered by `added`, most first.
   */
  sinceBaseline?: { baseline: number; added: number };
  /** The root path to the structure. */
  path: RetentionPath;
}

export interface TypeEvidence {
  type: string;
  /**
   * Where the instances accumulate, most instances first: the first evidence line names
   * accumulation[0]. Absent when no structure holds a share of them (or the source has no graph).
   */
  accumulation?: AccumulationEvidence[];
  /** Instances examined (all instances of the type in the snapshot). */
  instances: number;
  /** Shallow bytes of all instances. */
  bytes?: number;
  /** Clusters, most instances first (at most the requested number). */
  clusters: PathCluster[];
  /** Instances in clusters beyond the requested number, when any were left out. */
  omitted?: { clusters: number; count: number; bytes: number };
  /** Retained bytes of the type's instances taken together (dominator tree), when computed. */
  retainedBytes?: number;
  /** Change of retainedBytes vs the baseline when known: "fixing this frees ~X". */
  retainedDelta?: number;
  /**
   * Set when the clusters come from `gcroot` on this many sample instances (full dumps) rather
   * than from every instance: cluster counts are then sample counts and carry no bytes.
   */
  sampled?: number;
}

/** Where a type was allocated, from the GC AllocationTick events of a trace (src/allocs). */
export interface AllocationSitesEvidence {
  type: string;
  /** The trace the ticks come from. */
  trace: string;
  ticks: number;
  /** Sum of the ticks' allocation amounts: the estimated bytes allocated for the type. */
  estimatedBytes: number;
  /** Relative error of estimatedBytes (1/sqrt(ticks)). */
  relativeError: number;
  /** Top stacks, most ticks first; frames innermost (the allocating method) first. */
  stacks: Array<{ frames: string[]; ticks: number; share: number; shareError: number }>;
}
