import { FormatError } from '../../errors.js';
import type { GraphContent, TypeTotalsContent } from '../../model/content.js';
import {
  addressesInMemory,
  NodeFlag,
  type HeapGraph,
  type NodeAddresses,
  type SnapshotMeta,
  type TypeTable,
} from '../../model/snapshot.js';
import { isObjectRecord } from './blobCursor.js';
import { ByteReader, type LazyPages } from './byteReader.js';
import { readGcHeapDumpFile, type RawGcHeapDump } from './gcHeapDump.js';
import type { RawMemoryGraph } from './memoryGraph.js';
import { decodeNodeRecords } from './nodeRecords.js';
import { scanRecords } from './recordScan.js';
import { sweepRecords } from './recordSweep.js';
import { runAsync, runSync, type Reading, type StartRead } from './fileReads.js';
import type { LazyFile } from './lazyFile.js';
import { addressPages } from './addressPages.js';

/** dotnet-gcdump stops adding nodes at this count; a graph this big is probably cut short. */
export const GCDUMP_NODE_CAP = 10_000_000;

export interface GcdumpReadOptions {
  /**
   * Build the object graph (default). Without it only statistics are computed, in a fraction of
   * the memory: no edge arrays, no addresses.
   */
  graph?: boolean;
  /**
   * Without `graph`: also count the objects no root reaches. That needs the offset table and the
   * blob in memory and a reachability pass; without it statistics stream through the file once.
   */
  unreachable?: boolean;
  /** The file is read lazily through these pages (see snapshot/load). */
  pages?: LazyPages;
  /**
   * With `graph`: leave the address table in the file (`source` is its path) and read pages of
   * it when an address is asked for, instead of holding 8 bytes per node.
   */
  addressesOnDemand?: boolean;
}

type GcdumpContent = GraphContent | TypeTotalsContent;

/**
 * Reads a whole .gcdump (FastSerialization + GCHeapDump + MemoryGraph): the object graph, or
 * without `graph` only per type-index sums. Statistics are computed from this by the caller.
 */
export function readGcdump(bytes: Uint8Array, source: string, opts: GcdumpReadOptions = {}): GcdumpContent {
  const pages = opts.pages;
  const startRead: StartRead = pages
    ? (at, into) => {
        pages.copyInto(at, into);
        return into.length;
      }
    : (at, into) => {
        const from = bytes.subarray(at, at + into.length);
        into.set(from);
        return from.length;
      };
  return runSync(readSteps(bytes, source, opts, startRead));
}

/**
 * `readGcdump` of a lazily opened file (its `pages` are used): the statistics sweep reads the
 * file ahead on Node's thread pool while it decodes what it has.
 */
export function readGcdumpFile(
  file: LazyFile,
  source: string,
  opts: Omit<GcdumpReadOptions, 'pages'> = {},
): Promise<GcdumpContent> {
  return runAsync(readSteps(file.bytes, source, { ...opts, pages: file.pages }, file.startRead));
}

function* readSteps(
  bytes: Uint8Array,
  source: string,
  opts: GcdumpReadOptions,
  startRead: StartRead,
): Reading<GcdumpContent> {
  const withGraph = opts.graph !== false;
  const sweep = !withGraph && opts.unreachable !== true;
  const r = new ByteReader(bytes, source, opts.pages);
  const onDemand = withGraph && opts.addressesOnDemand === true;
  const raw = readGcHeapDumpFile(r, { addresses: withGraph && !onDemand, skipTables: sweep });
  const g = raw.graph;
  const types = typeTable(raw);
  const meta = buildMeta(raw, source, types.countMultipliers !== undefined);
  if (sweep) {
    const totals = yield* sweepRecords(g.layout, g.typeSizes, startRead, source);
    checkTotal(totals.sizeSum, g, source);
    return { kind: 'type-totals', meta, types, count: totals.count, bytes: totals.bytes };
  }
  if (!withGraph) {
    const scan = scanRecords(g, source);
    checkTotal(scan.sizeSum, g, source);
    return {
      kind: 'type-totals',
      meta,
      types,
      count: scan.count,
      bytes: scan.bytes,
      unreachableObjects: scan.unreachableObjects,
      unreachableBytes: scan.unreachableBytes,
    };
  }
  const nodes = decodeNodeRecords(g, source);
  checkTotal(nodes.sizeSum, g, source);
  const addresses: NodeAddresses = onDemand
    ? addressPages(source, bytes.length, g.layout.addressesAt, g.nodeCount)
    : addressesInMemory(g.addresses ?? new Float64Array(g.nodeCount));
  const nodeFlags = new Uint8Array(g.nodeCount);
  for (let i = 0; i < g.nodeCount; i++) {
    if (isObjectRecord(nodes.nodeType[i], nodes.nodeSize[i])) continue;
    // Not an object (the scan counts the same nodes): a root pseudo-node has no address; a
    // 0-byte node with an address is not one, so it is left out like an undefined node.
    nodeFlags[i] = nodes.nodeType[i] !== 0 && addresses.of(i) === 0 ? NodeFlag.Pseudo : NodeFlag.Undefined;
  }
  const graph: HeapGraph = {
    nodeCount: g.nodeCount,
    nodeType: nodes.nodeType,
    nodeSize: nodes.nodeSize,
    nodeAddress: addresses,
    nodeFlags,
    firstEdge: nodes.firstEdge,
    edgeTarget: nodes.edgeTarget,
    root: g.rootIndex,
  };
  return { kind: 'graph', meta, types, graph };
}

function checkTotal(sizeSum: number, g: RawMemoryGraph, source: string): void {
  if (sizeSum !== g.totalSize) {
    throw new FormatError(
      source,
      undefined,
      `the node sizes add up to ${sizeSum} bytes but the graph header says ${g.totalSize} — the node data is corrupt`,
    );
  }
}

function typeTable(raw: RawGcHeapDump): TypeTable {
  const g = raw.graph;
  const types: TypeTable = {
    names: g.typeNames.map(
      (n, t) => n ?? (g.deferredTypeIds[t] ? `TypeID(0x${g.deferredTypeIds[t].toString(16)})` : ''),
    ),
    modules: g.typeModules,
  };
  const sampled = raw.countMultipliersByType.some((m) => m !== 1) || raw.averageCountMultiplier !== 1;
  if (sampled) types.countMultipliers = raw.countMultipliersByType;
  return types;
}

const TICKS_AT_UNIX_EPOCH = 621355968000000000;

function buildMeta(raw: RawGcHeapDump, source: string, sampled: boolean): SnapshotMeta {
  const g = raw.graph;
  const reasons: string[] = [];
  if (sampled) {
    reasons.push(
      `the heap was sampled (average count multiplier ${raw.averageCountMultiplier.toFixed(2)}): counts and bytes are estimates`,
    );
  }
  if (g.nodeCount >= GCDUMP_NODE_CAP) {
    reasons.push(`the graph has ${g.nodeCount} nodes, the collector's cap: objects beyond it are missing`);
  }
  const is64 = g.is64Bit ?? raw.legacyIs64Bit;
  const meta: SnapshotMeta = {
    source,
    format: 'gcdump',
    estimated: reasons.length > 0,
    estimateReasons: reasons,
    notes: [],
  };
  if (raw.creationTool) meta.creationTool = raw.creationTool;
  if (raw.processName) meta.processName = raw.processName;
  if (raw.processId) meta.processId = raw.processId;
  if (raw.machineName) meta.machineName = raw.machineName;
  if (is64 !== undefined) meta.pointerSize = is64 ? 8 : 4;
  if (raw.timeCollectedTicks > TICKS_AT_UNIX_EPOCH) {
    // DateTime ticks carry no time zone; PerfView writes local time. Shown as recorded.
    meta.collectedAt = new Date((raw.timeCollectedTicks - TICKS_AT_UNIX_EPOCH) / 10000).toISOString();
  }
  if (raw.version < 9) meta.notes.push(`legacy GCHeapDump version ${raw.version}`);
  return meta;
}
