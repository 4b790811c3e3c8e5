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
}

export interface TypeEvidence {
  type: string;
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
