import type { ByteReader } from './byteReader.js';
import { FastSerializationStream, Tag, type TypeDescriptor } from './fastSerialization.js';
import {
  MEMORY_GRAPH_TYPE,
  readMemoryGraph,
  type GraphReadOptions,
  type RawMemoryGraph,
} from './memoryGraph.js';

/** The `GCHeapDump` entry object: the graph plus process metadata (reference §4). */
export interface RawGcHeapDump {
  version: number;
  graph: RawMemoryGraph;
  averageCountMultiplier: number;
  averageSizeMultiplier: number;
  countMultipliersByType: Float32Array;
  collectionLog: string | null;
  /** .NET DateTime ticks (local time of the collecting machine), 0 when absent. */
  timeCollectedTicks: number;
  machineName: string | null;
  processName: string | null;
  processId: number;
  totalProcessCommit: number;
  totalProcessWorkingSet: number;
  creationTool: string | null;
  legacyIs64Bit: boolean | undefined;
}

interface Segment {
  start: number;
  end: number;
}
interface DotNetHeapInfo {
  sizeOfAllSegments: number;
  segments: unknown[];
}

const MAX_READER_VERSION = 10;

/** Parses the whole container and returns the entry object. */
export function readGcHeapDumpFile(r: ByteReader, opts: GraphReadOptions): RawGcHeapDump {
  const readFields = (rr: ByteReader, type: TypeDescriptor): unknown => {
    switch (type.name) {
      case 'GCHeapDump':
        return readEntry(rr, fs, type);
      case MEMORY_GRAPH_TYPE:
        return readMemoryGraph(rr, fs, type, opts);
      case 'DotNetHeapInfo':
        return readDotNetHeapInfo(rr, fs);
      case 'GCHeapDumpSegment':
        return readSegment(rr, type);
      case 'JSHeapInfo':
        return {};
      case 'Graphs.Module':
        return readModule(rr);
      default:
        // Untagged fields of an unknown type cannot be skipped safely.
        return rr.fail(`unsupported object type '${type.name}' in a .gcdump`);
    }
  };
  const fs: FastSerializationStream = new FastSerializationStream(r, readFields);
  fs.readHeader();
  const entryAt = r.pos;
  const entry = fs.readObject('the GCHeapDump entry object');
  if (!isEntry(entry))
    r.fail('the file does not start with a GCHeapDump object — not a heap snapshot', entryAt);
  return entry;
}

function readEntry(r: ByteReader, fs: FastSerializationStream, type: TypeDescriptor): RawGcHeapDump {
  const at = r.pos;
  if (type.minReaderVersion > MAX_READER_VERSION) {
    r.fail(
      `GCHeapDump needs reader version ${type.minReaderVersion}; heapgate reads up to ${MAX_READER_VERSION}`,
      at,
    );
  }
  if (type.version === 8)
    r.fail('GCHeapDump version 8 is not a released format (the reference reader rejects it too)', at);
  if (type.version < 4)
    r.fail(`GCHeapDump version ${type.version} is too old (heapgate reads versions 4–7 and 9–10)`, at);

  const graph = fs.readObject('the memory graph');
  if (!isGraph(graph)) r.fail('the GCHeapDump does not hold a memory graph', at);
  const dump: RawGcHeapDump = {
    version: type.version,
    graph,
    averageCountMultiplier: 1,
    averageSizeMultiplier: 1,
    countMultipliersByType: new Float32Array(0),
    collectionLog: null,
    timeCollectedTicks: 0,
    machineName: null,
    processName: null,
    processId: 0,
    totalProcessCommit: 0,
    totalProcessWorkingSet: 0,
    creationTool: null,
    legacyIs64Bit: undefined,
  };
  return type.version >= 9 ? readCurrentFields(r, fs, dump) : readLegacyFields(r, fs, dump, type.version);
}

function readCurrentFields(r: ByteReader, fs: FastSerializationStream, d: RawGcHeapDump): RawGcHeapDump {
  d.legacyIs64Bit = r.u8('pointer-size flag') !== 0;
  d.averageCountMultiplier = r.f32('average count multiplier');
  d.averageSizeMultiplier = r.f32('average size multiplier');
  fs.readObject('JavaScript heap info');
  fs.readObject('.NET heap info');
  readProcessFields(r, d);
  const n = r.count('per-type count multiplier count', 4);
  const m = new Float32Array(n);
  for (let i = 0; i < n; i++) m[i] = r.f32(`count multiplier of type ${i}`);
  d.countMultipliersByType = m;
  if (fs.tryTag(Tag.SkipRegion)) {
    // COM interop tables: not needed for heap statistics; jump over the region.
    const at = r.pos - 1;
    const index = r.i32('interop region forward index');
    r.seek(fs.forwardTargetAfter(index, at), 'end of the interop region');
  }
  if (fs.tryTag(Tag.String)) d.creationTool = r.string('creation tool');
  return d;
}

function readLegacyFields(
  r: ByteReader,
  fs: FastSerializationStream,
  d: RawGcHeapDump,
  version: number,
): RawGcHeapDump {
  r.i64('size of all segments');
  r.i64('dumped bytes');
  r.i64('dumped objects');
  r.u8('all-dumped flag');
  if (version >= 5) readProcessFields(r, d);
  if (version >= 6) {
    const n = r.count('segment count', 1);
    for (let i = 0; i < n; i++) fs.readObject(`segment ${i}`);
  }
  if (version >= 7) d.legacyIs64Bit = r.u8('pointer-size flag') !== 0;
  return d;
}

/** Collection log, time, machine and process: the same run of fields in every version that has them. */
function readProcessFields(r: ByteReader, d: RawGcHeapDump): void {
  d.collectionLog = r.string('collection log');
  d.timeCollectedTicks = r.i64('collection time');
  d.machineName = r.string('machine name');
  d.processName = r.string('process name');
  d.processId = r.i32('process id');
  d.totalProcessCommit = r.i64('process commit size');
  d.totalProcessWorkingSet = r.i64('process working set');
}

function readDotNetHeapInfo(r: ByteReader, fs: FastSerializationStream): DotNetHeapInfo {
  const sizeOfAllSegments = r.i64('size of all segments');
  const n = r.count('segment count', 1);
  const segments: unknown[] = [];
  for (let i = 0; i < n; i++) segments.push(fs.readObject(`segment ${i}`));
  return { sizeOfAllSegments, segments };
}

function readSegment(r: ByteReader, type: TypeDescriptor): Segment {
  const start = r.i64('segment start');
  const end = r.i64('segment end');
  for (const g of ['gen0', 'gen1', 'gen2', 'gen3']) r.i64(`segment ${g} end`);
  if (type.version >= 1) r.i64('segment gen4 end');
  return { start, end };
}

function readModule(r: ByteReader): { path: string | null } {
  const path = r.string('module path');
  r.i64('module image base');
  r.i64('module size');
  r.i64('module build time');
  r.string('module PDB name');
  r.slice(16, 'module PDB GUID');
  r.i32('module PDB age');
  return { path };
}

function isGraph(v: unknown): v is RawMemoryGraph {
  return typeof v === 'object' && v !== null && 'nodeOffsets' in v;
}

function isEntry(v: unknown): v is RawGcHeapDump {
  return typeof v === 'object' && v !== null && 'graph' in v && 'averageCountMultiplier' in v;
}
