/**
 * The in-memory model every reader produces and every analysis consumes.
 *
 * A snapshot is either a full object graph (from a .gcdump, or a full dump driven through the
 * diagnostics tools) or only per-type statistics (SOS text, `dotnet-gcdump report` text).
 * Graphs are flat typed arrays: millions of nodes must not become millions of JS objects.
 */

export type SnapshotFormat = 'gcdump' | 'dump' | 'sos-dumpheap' | 'gcdump-report' | 'baseline';

export interface SnapshotMeta {
  /** Path (or label) of the file this snapshot was read from. */
  source: string;
  format: SnapshotFormat;
  /** Writer of the file, e.g. "dotnet-gcdump", "PerfView", "dotnet-dump analyze". */
  creationTool?: string;
  processName?: string;
  processId?: number;
  machineName?: string;
  /** 4 or 8 when known. */
  pointerSize?: 4 | 8;
  /** ISO-8601 time of collection when the file records it. */
  collectedAt?: string;
  /**
   * True when the counts are estimates: the writer sampled the heap (multipliers != 1),
   * hit an object cap, or the text source was partial. Rules turn this into "inconclusive".
   */
  estimated: boolean;
  /** Human-readable reasons for `estimated` (empty when exact). */
  estimateReasons: string[];
  /** Free-form facts shown in headers (runtime, dump kind, warnings of the producer...). */
  notes: string[];
  /**
   * Types whose counts may be too low while the rest are exact (a live walk that may have missed
   * their roots), and why: rules covering them are inconclusive, the other rules still decide.
   */
  uncertainTypes?: { names: string[]; reason: string };
}

/** Type table shared by the graph: index -> display name as the producer wrote it. */
export interface TypeTable {
  /** Name as written (gcdump display form, size-bucket suffix included); '' when unnamed. */
  names: string[];
  /** Full module path or null. */
  modules: (string | null)[];
  /** Per-type estimate multiplier for counts (sampled gcdumps); 1 when exact. */
  countMultipliers?: Float32Array;
}

/** Object graph in CSR form. Node `i` has edges `edgeTarget[firstEdge[i] .. firstEdge[i+1])`. */
export interface HeapGraph {
  nodeCount: number;
  /** Index into TypeTable per node. */
  nodeType: Uint32Array;
  /**
   * Shallow size in bytes: 4 bytes per node where no size can exceed 4 GiB (a .gcdump stores
   * sizes as 31-bit ints), doubles where an object can be larger (full dumps).
   */
  nodeSize: Float64Array | Uint32Array;
  /** Object address per node (0 for pseudo-nodes), possibly read from the file only when asked. */
  nodeAddress: NodeAddresses;
  /** Flags per node, see NodeFlag. */
  nodeFlags: Uint8Array;
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
  /** Index of the single root pseudo-node (`[.NET Roots]`). */
  root: number;
}

/**
 * Object addresses by node. Only printed objects need theirs, so a reader may leave the table in
 * the file (8 bytes per node) and read pages of it on demand.
 */
export interface NodeAddresses {
  /** The address of `node`'s object, 0 for pseudo-nodes; doubles are exact below 2^53. */
  of(node: number): number;
}

/** Addresses held in memory. */
export function addressesInMemory(addresses: Float64Array): NodeAddresses {
  return { of: (node) => addresses[node] };
}

export const NodeFlag = {
  /** A root-classification node such as `[static vars]`: not an object on the heap. */
  Pseudo: 1,
  /** Referenced but never defined (gcdump type 0 `UNDEFINED`): not counted as an object. */
  Undefined: 2,
} as const;

/** Per-type statistics keyed by canonical type name (size buckets merged). */
export interface TypeStat {
  name: string;
  count: number;
  bytes: number;
  /** Retained bytes (dominator tree), when computed. */
  retained?: number;
}

export interface HeapTotals {
  objects: number;
  bytes: number;
  /** Objects not reachable from the root (present in graph snapshots only). */
  unreachableObjects?: number;
  unreachableBytes?: number;
}

export interface HeapSnapshot {
  meta: SnapshotMeta;
  types: TypeTable;
  /** Present for graph sources; absent for text sources that carry only statistics. */
  graph?: HeapGraph;
  /** Per-type statistics, sorted by bytes descending then name. */
  stats: TypeStat[];
  totals: HeapTotals;
  /**
   * Per-type values of each clean run a baseline was recorded from (absent for one run and for
   * snapshots): the measurements the gate's noise model is computed from.
   */
  samples?: RunSamples;
  /** A baseline's record of known leaks, by fingerprint id (src/baseline/leaks.ts). */
  leaks?: Readonly<
    Record<
      string,
      { subject: string; kind: 'path' | 'type'; basis: string; firstSeen: { date: string; commit?: string } }
    >
  >;
}

export interface RunSamples {
  runs: number;
  /** Per type, one value per run in run order; a type a run did not have is 0 there. */
  types: ReadonlyMap<string, { count: readonly number[]; bytes: readonly number[] }>;
}
