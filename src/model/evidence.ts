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
  /** Shallow size in bytes, when known. */
  size?: number;
}

export interface RetentionPath {
  rootKind: RootKind;
  /** Static field (`Namespace.Type.field`) or handle/local description, when known. */
  rootName?: string;
  steps: PathStep[];
}

/** Instances of one type grouped by the type-level signature of their root path. */
export interface PathCluster {
  /** e.g. "static field MyApp.OrderCache.s_items → Dictionary<Int32,Order> → Entry<Int32,Order>[] → Order" */
  signature: string;
  rootKind: RootKind;
  rootName?: string;
  /** Holder types from the root to the instance's type (inclusive). */
  holders: string[];
  count: number;
  bytes: number;
  sample: RetentionPath;
}

export interface TypeEvidence {
  type: string;
  /** Instances examined (all instances of the type in the snapshot). */
  instances: number;
  /** Clusters, largest first. */
  clusters: PathCluster[];
  /** Retained bytes of the type's instances taken together (dominator tree), when computed. */
  retainedBytes?: number;
  /** Change of retainedBytes vs the baseline when known: "fixing this frees ~X". */
  retainedDelta?: number;
}
