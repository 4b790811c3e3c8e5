/**
 * The object graph of a full dump as dotnet/Heapgate.DumpReader writes it (ClrMD walks the heap
 * once): types, nodes with address, size and generation, references, and roots with their kind,
 * the static field and its declaring type, and the thread of stack and thread-static roots.
 * The byte layout is documented at the top of dotnet/Heapgate.DumpReader/Program.cs.
 *
 * Roots become the pseudo-nodes a .gcdump has (`[.NET Roots]` → `[static vars]` →
 * `[static var Declaring.Type.field]` → object), so every graph analysis reads both alike.
 */
import type { GraphContent } from '../../model/content.js';
import { addressesInMemory, NodeFlag, type HeapGraph, type TypeTable } from '../../model/snapshot.js';
import { clrmdMeta, Cursor, readStreamHeader } from './clrmdStream.js';

const CLRMD_GRAPH_MAGIC = 'HGCLRMD\0';
const TRAILER_MAGIC = 'HGCLRMD.';

/** Root kinds as the helper numbers them. */
export const ClrmdRootKind = {
  StaticField: 1,
  ThreadStaticField: 2,
  StackLocal: 3,
  StrongHandle: 4,
  PinnedHandle: 5,
  AsyncPinnedHandle: 6,
  RefCountedHandle: 7,
  SizedRefHandle: 8,
  FinalizerQueue: 9,
  StaticStorage: 10,
  Other: 11,
} as const;

/** The pseudo-node each kind of root hangs from, spelled as dotnet-gcdump spells it. */
const CATEGORY: Record<number, string> = {
  [ClrmdRootKind.StaticField]: '[static vars]',
  [ClrmdRootKind.ThreadStaticField]: '[thread static vars]',
  [ClrmdRootKind.StackLocal]: '[local vars]',
  [ClrmdRootKind.StrongHandle]: '[strong Handles]',
  [ClrmdRootKind.PinnedHandle]: '[pinning Handles]',
  [ClrmdRootKind.AsyncPinnedHandle]: '[async pinned Handles]',
  [ClrmdRootKind.RefCountedHandle]: '[RefCounted Handles]',
  [ClrmdRootKind.SizedRefHandle]: '[SizedRef Handles]',
  [ClrmdRootKind.FinalizerQueue]: '[finalizer Handles]',
  // The runtime's pinned object[] of statics (.NET 9+), held by one strong handle.
  [ClrmdRootKind.StaticStorage]: '[strong Handles]',
  [ClrmdRootKind.Other]: '[other roots]',
};

/** Generation byte per node: 0-2, 3 LOH, 4 POH, 5 frozen, 255 unknown. */
export const GENERATION_NAMES = ['gen0', 'gen1', 'gen2', 'LOH', 'POH', 'frozen'] as const;

export interface ClrmdGraphOptions {
  /** Keep only objects reachable from the roots, as `dumpheap -live` and a .gcdump do (default true). */
  liveOnly?: boolean;
}

export interface ClrmdGraph extends GraphContent {
  /** Generation byte per node of `graph` (see GENERATION_NAMES; pseudo-nodes 255). */
  generation: Uint8Array;
  /** Objects the heap walk found that no root reaches (garbage not yet collected). */
  unreachableObjects: number;
  unreachableBytes: number;
  /** The root records the helper wrote, by kind. */
  rootsByKind: Map<number, number>;
}

/**
 * Reads the helper's stream into heapgate's graph model. `file` names the dump in messages and
 * in meta.source; `dumpKind` is said in the notes.
 */
export function readClrmdGraph(
  bytes: Uint8Array,
  file: string,
  dumpKind: 'elf-core' | 'minidump',
  opts: ClrmdGraphOptions = {},
): ClrmdGraph {
  const c = new Cursor(bytes, `${file} (graph stream of Heapgate.DumpReader)`, 'graph');
  const header = readStreamHeader(c, CLRMD_GRAPH_MAGIC, 'graph');
  const { names, modules } = header;
  const typeCount = names.length;

  // Nodes: four columns of n values; edges: n counts, then the targets node by node.
  const countAt = c.pos;
  const n = c.u64('the node count');
  if (n > c.remaining / 21) c.fail(countAt, `node count ${n} exceeds the stream`);
  if (n >= 0xffff_fff0) c.fail(countAt, `node count ${n} is more than this reader indexes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const address = new Float64Array(n);
  const nodeType = new Uint32Array(n);
  const size = new Float64Array(n);
  const gen = new Uint8Array(n);
  const addressAt = c.pos;
  readU64Column(c, view, address, 'the node addresses');
  for (let i = 1; i < n; i++) {
    if (address[i] <= address[i - 1])
      c.fail(addressAt + 8 * i, `node ${i} is not in ascending address order`);
  }
  const typesAt = c.pos;
  copyColumn(c, bytes, nodeType, 'the node types');
  for (let i = 0; i < n; i++) {
    if (nodeType[i] >= typeCount) {
      c.fail(typesAt + 4 * i, `node ${i} has type ${nodeType[i]} but there are ${typeCount} types`);
    }
  }
  readU64Column(c, view, size, 'the node sizes');
  copyColumn(c, bytes, gen, 'the node generations');

  const edgeCountAt = c.pos;
  const edgeTotal = c.u64('the edge count');
  if (edgeTotal > c.remaining / 4) c.fail(edgeCountAt, `edge count ${edgeTotal} exceeds the stream`);
  if (edgeTotal >= 0xffff_fff0)
    c.fail(edgeCountAt, `edge count ${edgeTotal} is more than this reader indexes`);
  const countsAt = c.pos;
  const perNode = new Uint32Array(n);
  copyColumn(c, bytes, perNode, 'the reference count of each node');
  const targetsAt = c.pos;
  c.need(4 * edgeTotal, 'the reference targets');
  c.pos += 4 * edgeTotal;

  const rootCount = c.u32('the root count');
  if (rootCount > c.remaining / 13) c.fail(c.pos - 4, `root count ${rootCount} exceeds the stream`);
  const roots: { kind: number; node: number; thread: number; name: string }[] = [];
  const rootsByKind = new Map<number, number>();
  for (let i = 0; i < rootCount; i++) {
    const at = c.pos;
    const kind = c.u8('a root kind');
    const node = c.u32('a root target');
    const thread = c.u32('a root thread');
    const name = c.string('a root name');
    if (CATEGORY[kind] === undefined) c.fail(at, `root ${i} has unknown kind ${kind}`);
    if (node >= n) c.fail(at + 1, `root ${i} targets node ${node} but there are ${n} nodes`);
    roots.push({ kind, node, thread, name });
    rootsByKind.set(kind, (rootsByKind.get(kind) ?? 0) + 1);
  }
  const trailerAt = c.pos;
  if (c.ascii(8, 'the trailer') !== TRAILER_MAGIC)
    c.fail(trailerAt, 'the trailer magic is missing: the stream is corrupt');
  const trailerNodes = c.u64('the trailer node count');
  const trailerEdges = c.u64('the trailer edge count');
  if (trailerNodes !== n || trailerEdges !== edgeTotal) {
    c.fail(
      trailerAt,
      `the trailer says ${trailerNodes} nodes and ${trailerEdges} edges, the stream holds ${n} and ${edgeTotal}`,
    );
  }
  if (c.remaining !== 0) c.fail(c.pos, `${c.remaining} bytes follow the trailer`);

  // Pseudo-nodes after the objects: the root, one per category, one per named static.
  const pseudoNames: string[] = ['[.NET Roots]'];
  const pseudoIndex = new Map<string, number>();
  const pseudoChildren: number[][] = [[]];
  const pseudo = (name: string, parent: number): number => {
    const key = `${parent}\0${name}`;
    let p = pseudoIndex.get(key);
    if (p === undefined) {
      p = pseudoNames.length;
      pseudoNames.push(name);
      pseudoChildren.push([]);
      pseudoIndex.set(key, p);
      pseudoChildren[parent].push(n + p);
    }
    return p;
  };
  const seenRootEdge = new Set<string>();
  for (const r of roots) {
    let p = pseudo(CATEGORY[r.kind], 0);
    const named =
      r.name !== '' && (r.kind === ClrmdRootKind.StaticField || r.kind === ClrmdRootKind.ThreadStaticField);
    if (named) p = pseudo(`[static var ${r.name}]`, p);
    const key = `${p}\0${r.node}`;
    if (seenRootEdge.has(key)) continue;
    seenRootEdge.add(key);
    pseudoChildren[p].push(r.node);
  }

  const total = n + pseudoNames.length;
  let pseudoEdges = 0;
  for (const ch of pseudoChildren) pseudoEdges += ch.length;
  const firstEdge = new Uint32Array(total + 1);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += perNode[i];
    if (sum > edgeTotal)
      c.fail(countsAt + 4 * i, `the reference counts add up to more than the ${edgeTotal} edges`);
    firstEdge[i + 1] = sum;
  }
  if (sum !== edgeTotal) c.fail(countsAt, `the reference counts add up to ${sum}, not ${edgeTotal}`);
  const edgeTarget = new Uint32Array(edgeTotal + pseudoEdges);
  new Uint8Array(edgeTarget.buffer, 0, 4 * edgeTotal).set(
    bytes.subarray(targetsAt, targetsAt + 4 * edgeTotal),
  );
  for (let k = 0; k < edgeTotal; k++) {
    if (edgeTarget[k] >= n)
      c.fail(targetsAt + 4 * k, `a reference targets node ${edgeTarget[k]} but there are ${n} nodes`);
  }
  let e = edgeTotal;
  for (let p = 0; p < pseudoNames.length; p++) {
    for (const t of pseudoChildren[p]) edgeTarget[e++] = t;
    firstEdge[n + p + 1] = e;
  }

  const typeNames = [...names, ...pseudoNames];
  const nodeType2 = new Uint32Array(total);
  nodeType2.set(nodeType);
  for (let p = 0; p < pseudoNames.length; p++) nodeType2[n + p] = typeCount + p;
  const nodeSize = new Float64Array(total);
  nodeSize.set(size);
  const nodeAddress = new Float64Array(total);
  nodeAddress.set(address);
  const nodeFlags = new Uint8Array(total);
  nodeFlags.fill(NodeFlag.Pseudo, n);
  const generation = new Uint8Array(total);
  generation.set(gen);
  generation.fill(255, n);

  let graph: HeapGraph = {
    nodeCount: total,
    nodeType: nodeType2,
    nodeSize,
    nodeAddress: addressesInMemory(nodeAddress),
    nodeFlags,
    firstEdge,
    edgeTarget,
    root: n,
  };

  const reached = reach(graph);
  let unreachableObjects = 0;
  let unreachableBytes = 0;
  for (let i = 0; i < n; i++) {
    if (reached[i] === 0) {
      unreachableObjects++;
      unreachableBytes += size[i];
    }
  }
  let generationOut: Uint8Array = generation;
  const liveOnly = opts.liveOnly ?? true;
  if (liveOnly && unreachableObjects > 0) {
    ({ graph, generation: generationOut } = keepReached(graph, generation, reached));
  }

  const types: TypeTable = { names: typeNames, modules: [...modules, ...pseudoNames.map(() => null)] };
  const meta = clrmdMeta(
    file,
    dumpKind,
    header,
    { objects: n, unreachableObjects, unreachableBytes, liveOnly },
    'the whole object graph',
  );
  return {
    kind: 'graph',
    meta,
    types,
    graph,
    generation: generationOut,
    unreachableObjects,
    unreachableBytes,
    rootsByKind,
  };
}

/** n little-endian u64 values into doubles (exact below 2^53). */
function readU64Column(c: Cursor, view: DataView, into: Float64Array, what: string): void {
  c.need(8 * into.length, what);
  let pos = c.pos;
  for (let i = 0; i < into.length; i++, pos += 8) {
    const hi = view.getUint32(pos + 4, true);
    if (hi >= 0x200000) c.fail(pos, `a value of ${what} is too large to be real`);
    into[i] = hi * 0x1_0000_0000 + view.getUint32(pos, true);
  }
  c.pos = pos;
}

/** A column of n little-endian values copied as bytes (heapgate runs on little-endian machines). */
function copyColumn(c: Cursor, bytes: Uint8Array, into: Uint32Array | Uint8Array, what: string): void {
  const length = into.byteLength;
  c.need(length, what);
  new Uint8Array(into.buffer, into.byteOffset, length).set(bytes.subarray(c.pos, c.pos + length));
  c.pos += length;
}

function reach(graph: HeapGraph): Uint8Array {
  const { nodeCount, firstEdge, edgeTarget, root } = graph;
  const seen = new Uint8Array(nodeCount);
  const stack = new Uint32Array(nodeCount);
  let top = 0;
  seen[root] = 1;
  stack[top++] = root;
  while (top > 0) {
    const v = stack[--top];
    for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
      const t = edgeTarget[e];
      if (seen[t] === 0) {
        seen[t] = 1;
        stack[top++] = t;
      }
    }
  }
  return seen;
}

/** The subgraph of reached nodes, renumbered in order (edges from reached nodes only reach reached nodes). */
function keepReached(
  g: HeapGraph,
  generation: Uint8Array,
  reached: Uint8Array,
): { graph: HeapGraph; generation: Uint8Array } {
  const map = new Uint32Array(g.nodeCount);
  let m = 0;
  let edges = 0;
  for (let i = 0; i < g.nodeCount; i++) {
    if (reached[i] === 0) continue;
    map[i] = m++;
    edges += g.firstEdge[i + 1] - g.firstEdge[i];
  }
  const nodeType = new Uint32Array(m);
  const nodeSize = new Float64Array(m);
  const nodeAddress = new Float64Array(m);
  const nodeFlags = new Uint8Array(m);
  const gen = new Uint8Array(m);
  const firstEdge = new Uint32Array(m + 1);
  const edgeTarget = new Uint32Array(edges);
  let e = 0;
  for (let i = 0; i < g.nodeCount; i++) {
    if (reached[i] === 0) continue;
    const j = map[i];
    nodeType[j] = g.nodeType[i];
    nodeSize[j] = g.nodeSize[i];
    nodeAddress[j] = g.nodeAddress.of(i);
    nodeFlags[j] = g.nodeFlags[i];
    gen[j] = generation[i];
    for (let k = g.firstEdge[i], end = g.firstEdge[i + 1]; k < end; k++)
      edgeTarget[e++] = map[g.edgeTarget[k]];
    firstEdge[j + 1] = e;
  }
  return {
    graph: {
      nodeCount: m,
      nodeType,
      nodeSize,
      nodeAddress: addressesInMemory(nodeAddress),
      nodeFlags,
      firstEdge,
      edgeTarget,
      root: map[g.root],
    },
    generation: gen,
  };
}
