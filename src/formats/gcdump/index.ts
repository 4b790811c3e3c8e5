import { FormatError } from '../../errors.js';
import { NodeFlag, type HeapGraph, type HeapSnapshot, type SnapshotMeta, type TypeTable } from '../../model/snapshot.js';
import { computeTotals, computeTypeStats } from '../../stats/typeStats.js';
import { ByteReader } from './byteReader.js';
import { readGcHeapDumpFile, type RawGcHeapDump } from './gcHeapDump.js';
import { decodeNodeRecords } from './nodeRecords.js';

/** dotnet-gcdump stops adding nodes at this count; a graph this big is probably cut short. */
export const GCDUMP_NODE_CAP = 10_000_000;

/** Reads a whole .gcdump (FastSerialization + GCHeapDump + MemoryGraph) into a HeapSnapshot. */
export function readGcdump(bytes: Uint8Array, source: string): HeapSnapshot {
  const r = new ByteReader(bytes, source);
  const raw = readGcHeapDumpFile(r);
  const g = raw.graph;
  const nodes = decodeNodeRecords(g, source);
  if (nodes.sizeSum !== g.totalSize) {
    throw new FormatError(
      source,
      undefined,
      `the node sizes add up to ${nodes.sizeSum} bytes but the graph header says ${g.totalSize} — the node data is corrupt`,
    );
  }
  const nodeFlags = new Uint8Array(g.nodeCount);
  for (let i = 0; i < g.nodeCount; i++) {
    if (nodes.nodeType[i] === 0) nodeFlags[i] = NodeFlag.Undefined;
    else if (g.addresses[i] === 0 && nodes.nodeSize[i] === 0) nodeFlags[i] = NodeFlag.Pseudo;
  }
  const graph: HeapGraph = {
    nodeCount: g.nodeCount,
    nodeType: nodes.nodeType,
    nodeSize: nodes.nodeSize,
    nodeAddress: g.addresses,
    nodeFlags,
    firstEdge: nodes.firstEdge,
    edgeTarget: nodes.edgeTarget,
    root: g.rootIndex,
  };
  const types: TypeTable = {
    names: g.typeNames.map((n, t) => n ?? (g.deferredTypeIds[t] ? `TypeID(0x${g.deferredTypeIds[t].toString(16)})` : '')),
    modules: g.typeModules,
  };
  const sampled = raw.countMultipliersByType.some((m) => m !== 1) || raw.averageCountMultiplier !== 1;
  if (sampled && raw.countMultipliersByType.length > 0) types.countMultipliers = raw.countMultipliersByType;
  const stats = computeTypeStats(types, graph);
  const totals = computeTotals(graph, stats);
  return { meta: buildMeta(raw, source, sampled), types, graph, stats, totals };
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
