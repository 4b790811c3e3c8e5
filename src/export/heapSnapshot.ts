/**
 * A .NET object graph as a Chrome DevTools heap snapshot (`.heapsnapshot`, the JSON V8 writes), so
 * the Memory panel's Summary, Comparison, Containment and Retainers views work on .NET heaps.
 *
 * Layout, as V8 writes it: node 0 is a synthetic root (id 1) whose one edge leads to a synthetic
 * "(GC roots)" node — the .gcdump's `[.NET Roots]` — under which its root pseudo-nodes (`[static
 * vars]`, `[strong Handles]`, `[static var T.f]`, …) are synthetic nodes and every object is an
 * "object" node named by its .NET type (size buckets merged, so DevTools groups one row per type
 * like `heapgate stat`). References the .gcdump records but does not define (0-byte or untyped
 * nodes) are kept as "hidden" nodes, so no path is lost; DevTools counts nothing without a size.
 * A .gcdump records no field names: a reference is an element edge numbered by its position among
 * the object's references (an array's element index when the array has no null elements), and the
 * edge from a static-variable root is a property edge named after the field.
 *
 * Node ids: DevTools keeps every number in 32 bits and matches objects between two snapshots by
 * id in its Comparison view. Objects get odd ids derived from their address (an object the GC did
 * not move between two snapshots keeps its id); if two objects of one heap would share an id,
 * every object gets an id from its position instead. Other nodes get even ids, the root id 1.
 *
 * The text is produced as a sequence of chunks: a heap of millions of objects never becomes one
 * string, and the memory used besides the graph is one 32-bit id per node and the string table.
 */
import { classifyRootName } from '../graph/rootKinds.js';
import { UsageError } from '../errors.js';
import { stripSizeBucket } from '../model/typeNames.js';
import { NodeFlag, type HeapGraph, type HeapSnapshot } from '../model/snapshot.js';

const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
] as const;
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'] as const;

const NODE_HIDDEN = NODE_TYPES.indexOf('hidden');
const NODE_OBJECT = NODE_TYPES.indexOf('object');
const NODE_SYNTHETIC = NODE_TYPES.indexOf('synthetic');
const EDGE_ELEMENT = EDGE_TYPES.indexOf('element');
const EDGE_PROPERTY = EDGE_TYPES.indexOf('property');

/** The `snapshot.meta` V8 writes (node fields with detachedness, as current Chrome does). */
const META = {
  node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
  node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
  edge_fields: ['type', 'name_or_index', 'to_node'],
  edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
  trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
  trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
  sample_fields: ['timestamp_us', 'last_assigned_id'],
  location_fields: ['object_index', 'script_id', 'line', 'column'],
};
const NODE_FIELDS = META.node_fields.length;

/** DevTools reads every number into a Uint32Array. */
const UINT32_MAX = 0xffffffff;
/** Objects' ids are 2k+1 with k below this, so they stay below 2^32. */
const ID_SPACE = 2 ** 31;
/** Roughly this many characters per chunk. */
const CHUNK_CHARS = 1 << 18;

export interface HeapSnapshotExport {
  /** Nodes and edges written, the synthetic root and its edge included. */
  nodeCount: number;
  edgeCount: number;
  /** True when object ids come from addresses; false when they come from positions (see above). */
  idsFromAddresses: boolean;
  /** Objects larger than 4 GiB - 1 byte, written with that size (DevTools reads 32-bit sizes). */
  clampedSizes: number;
  /** The JSON text, in order. Iterate once. */
  chunks(): Generator<string>;
}

/**
 * Prepares the export of a snapshot that has an object graph; a statistics-only source (SOS text,
 * `dotnet-gcdump report`) is a UsageError. Nothing is written until `chunks()` is iterated.
 */
export function exportHeapSnapshot(snapshot: HeapSnapshot): HeapSnapshotExport {
  const graph = snapshot.graph;
  if (!graph) {
    throw new UsageError(
      `${snapshot.meta.source}: has per-type statistics only (${snapshot.meta.format}); a heap snapshot is an ` +
        'object graph, so export a .gcdump of the process instead (dotnet-gcdump collect -p <pid>, or heapgate collect)',
    );
  }
  const strings = new StringTable();
  const names = nodeNames(snapshot, graph, strings);
  const ids = objectIds(graph, snapshot.meta.pointerSize ?? 8);
  let clampedSizes = 0;
  for (let i = 0; i < graph.nodeCount; i++) if (graph.nodeSize[i] > UINT32_MAX) clampedSizes++;
  const edgeCount = graph.firstEdge[graph.nodeCount] + 1;
  return {
    nodeCount: graph.nodeCount + 1,
    edgeCount,
    idsFromAddresses: ids.fromAddresses,
    clampedSizes,
    chunks: () => writeChunks(graph, names, ids.ids, strings, edgeCount),
  };
}

class StringTable {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

interface NodeNames {
  /** Per type index: string index of the node name. */
  name: Uint32Array;
  /** Per type index: string index of the edge name from a static-variable root, or -1. */
  staticField: Int32Array;
  /** String index of "(GC roots)", the name of the graph's root node. */
  gcRoots: number;
  /** String index of "" (the synthetic root's name). */
  empty: number;
}

function nodeNames(snapshot: HeapSnapshot, graph: HeapGraph, strings: StringTable): NodeNames {
  const typeCount = snapshot.types.names.length;
  const name = new Uint32Array(typeCount);
  const staticField = new Int32Array(typeCount).fill(-1);
  const empty = strings.id('');
  const gcRoots = strings.id('(GC roots)');
  // Pseudo-nodes keep their names as written; objects are named by type, size buckets merged.
  const pseudoType = new Uint8Array(typeCount);
  for (let i = 0; i < graph.nodeCount; i++)
    if (graph.nodeFlags[i] & NodeFlag.Pseudo) pseudoType[graph.nodeType[i]] = 1;
  for (let t = 0; t < typeCount; t++) {
    const raw = snapshot.types.names[t] || `(unnamed type ${t})`;
    if (pseudoType[t]) {
      name[t] = strings.id(raw);
      const field = classifyRootName(raw).staticName;
      if (field !== undefined) staticField[t] = strings.id(field);
    } else {
      name[t] = strings.id(stripSizeBucket(raw));
    }
  }
  return { name, staticField, gcRoots, empty };
}

/**
 * Per node: its id (objects odd, from the address when every object's is distinct; other nodes
 * even, from the position).
 */
function objectIds(graph: HeapGraph, pointerSize: number): { ids: Uint32Array; fromAddresses: boolean } {
  const n = graph.nodeCount;
  const ids = new Uint32Array(n);
  let fromAddresses = true;
  for (let i = 0; i < n; i++) {
    if (graph.nodeFlags[i] !== 0) {
      ids[i] = 2 * (i + 1);
      continue;
    }
    const address = graph.nodeAddress.of(i);
    if (!(address > 0)) {
      fromAddresses = false;
      break;
    }
    // 2k+1 with k >= 1: id 1 is the synthetic root's.
    const k = Math.floor(address / pointerSize) % (ID_SPACE - 1);
    ids[i] = 2 * (k + 1) + 1;
  }
  if (fromAddresses && hasDuplicateObjectIds(graph, ids)) fromAddresses = false;
  if (!fromAddresses)
    for (let i = 0; i < n; i++) ids[i] = graph.nodeFlags[i] !== 0 ? 2 * (i + 1) : 2 * (i + 1) + 1;
  return { ids, fromAddresses };
}

function hasDuplicateObjectIds(graph: HeapGraph, ids: Uint32Array): boolean {
  let objects = 0;
  for (let i = 0; i < graph.nodeCount; i++) if (graph.nodeFlags[i] === 0) objects++;
  const sorted = new Uint32Array(objects);
  for (let i = 0, j = 0; i < graph.nodeCount; i++) if (graph.nodeFlags[i] === 0) sorted[j++] = ids[i];
  sorted.sort();
  for (let j = 1; j < objects; j++) if (sorted[j] === sorted[j - 1]) return true;
  return false;
}

function* writeChunks(
  graph: HeapGraph,
  names: NodeNames,
  ids: Uint32Array,
  strings: StringTable,
  edgeCount: number,
): Generator<string> {
  const { nodeCount, nodeType, nodeSize, nodeFlags, firstEdge, edgeTarget, root } = graph;
  yield (
    '{"snapshot":{"meta":' +
    JSON.stringify(META) +
    `,"node_count":${nodeCount + 1},"edge_count":${edgeCount},"trace_function_count":0},\n"nodes":[`
  );

  // The synthetic root (id 1) with one edge, to "(GC roots)".
  let out = `${NODE_SYNTHETIC},${names.empty},1,0,1,0,0`;
  for (let i = 0; i < nodeCount; i++) {
    const flags = nodeFlags[i];
    const type =
      i === root || (flags & NodeFlag.Pseudo) !== 0
        ? NODE_SYNTHETIC
        : flags !== 0
          ? NODE_HIDDEN
          : NODE_OBJECT;
    const name = i === root ? names.gcRoots : names.name[nodeType[i]];
    const size = flags !== 0 ? 0 : Math.min(nodeSize[i], UINT32_MAX);
    out += `,\n${type},${name},${ids[i]},${size},${firstEdge[i + 1] - firstEdge[i]},0,0`;
    if (out.length >= CHUNK_CHARS) {
      yield out;
      out = '';
    }
  }
  yield out + '],\n"edges":[';

  out = `${EDGE_ELEMENT},1,${(root + 1) * NODE_FIELDS}`;
  for (let i = 0; i < nodeCount; i++) {
    const from = firstEdge[i];
    const end = firstEdge[i + 1];
    if (from === end) continue;
    const t = nodeType[i];
    const field = nodeFlags[i] & NodeFlag.Pseudo ? names.staticField[t] : -1;
    for (let e = from; e < end; e++) {
      const to = (edgeTarget[e] + 1) * NODE_FIELDS;
      // Element indexes count from 0 per node; a static root's edges are named by the field.
      out += field >= 0 ? `,\n${EDGE_PROPERTY},${field},${to}` : `,\n${EDGE_ELEMENT},${e - from},${to}`;
      // Inside the loop: one array can hold millions of references.
      if (out.length >= CHUNK_CHARS) {
        yield out;
        out = '';
      }
    }
  }
  yield out + '],\n"trace_function_infos":[],"trace_tree":[],"samples":[],"locations":[],\n"strings":[';

  out = '';
  const list = strings.list;
  for (let s = 0; s < list.length; s++) {
    out += (s === 0 ? '' : ',\n') + JSON.stringify(list[s]);
    if (out.length >= CHUNK_CHARS) {
      yield out;
      out = '';
    }
  }
  yield out + ']}\n';
}
