/**
 * Builds small HeapSnapshots by hand for graph tests:
 *
 *   const b = new GraphBuilder();
 *   const statics = b.pseudo('[static vars]', b.root);
 *   const field = b.pseudo('[static var MyApp.Cache.s_items]', statics);
 *   const list = b.object('System.Collections.Generic.List<MyApp.Order>', 32, field);
 *   b.edge(list, b.object('MyApp.Order', 48));
 *   const snapshot = b.build();
 *
 * Objects get increasing addresses from 0x10000 (step 0x100); pseudo-nodes have address 0 and
 * size 0, as in dotnet-gcdump files. Edges keep insertion order per source node.
 */
import type { HeapSnapshot, TypeStat } from '../../src/model/snapshot.js';
import { addressesInMemory, NodeFlag } from '../../src/model/snapshot.js';
import { stripSizeBucket } from '../../src/model/typeNames.js';

export class GraphBuilder {
  private readonly typeIndex = new Map<string, number>();
  private readonly typeNames: string[] = [];
  private readonly types: number[] = [];
  private readonly sizes: number[] = [];
  private readonly addresses: number[] = [];
  private readonly flags: number[] = [];
  private readonly edges: [number, number][] = [];
  private nextAddress = 0x10000;
  readonly root: number;

  constructor(rootName = '[.NET Roots]') {
    this.type('UNDEFINED');
    this.root = this.pseudo(rootName);
  }

  private type(name: string): number {
    let t = this.typeIndex.get(name);
    if (t === undefined) {
      t = this.typeNames.length;
      this.typeNames.push(name);
      this.typeIndex.set(name, t);
    }
    return t;
  }

  private add(type: string, size: number, address: number, flags: number, parent?: number): number {
    const id = this.types.length;
    this.types.push(this.type(type));
    this.sizes.push(size);
    this.addresses.push(address);
    this.flags.push(flags);
    if (parent !== undefined) this.edge(parent, id);
    return id;
  }

  /** A root-classification pseudo-node, optionally linked from `parent`. */
  pseudo(name: string, parent?: number): number {
    return this.add(name, 0, 0, NodeFlag.Pseudo, parent);
  }

  /** A heap object, optionally linked from `parent`. */
  object(type: string, size: number, parent?: number): number {
    const address = this.nextAddress;
    this.nextAddress += 0x100;
    return this.add(type, size, address, 0, parent);
  }

  /** gcdump's referenced-but-undefined node. */
  undefinedNode(parent?: number): number {
    return this.add('UNDEFINED', 0, 0, NodeFlag.Undefined, parent);
  }

  edge(from: number, to: number): this {
    this.edges.push([from, to]);
    return this;
  }

  get nodeCount(): number {
    return this.types.length;
  }

  build(source = 'built.gcdump'): HeapSnapshot {
    const n = this.types.length;
    const firstEdge = new Uint32Array(n + 1);
    for (const [from] of this.edges) firstEdge[from + 1]++;
    for (let i = 0; i < n; i++) firstEdge[i + 1] += firstEdge[i];
    const cursor = firstEdge.slice(0, n);
    const edgeTarget = new Uint32Array(this.edges.length);
    for (const [from, to] of this.edges) edgeTarget[cursor[from]++] = to;
    const stats = new Map<string, TypeStat>();
    let objects = 0;
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      if (this.flags[i] !== 0) continue;
      const name = stripSizeBucket(this.typeNames[this.types[i]]);
      const s = stats.get(name) ?? { name, count: 0, bytes: 0 };
      s.count++;
      s.bytes += this.sizes[i];
      stats.set(name, s);
      objects++;
      bytes += this.sizes[i];
    }
    return {
      meta: { source, format: 'gcdump', estimated: false, estimateReasons: [], notes: [] },
      types: { names: [...this.typeNames], modules: this.typeNames.map(() => null) },
      graph: {
        nodeCount: n,
        nodeType: Uint32Array.from(this.types),
        nodeSize: Float64Array.from(this.sizes),
        nodeAddress: addressesInMemory(Float64Array.from(this.addresses)),
        nodeFlags: Uint8Array.from(this.flags),
        firstEdge,
        edgeTarget,
        root: this.root,
      },
      stats: [...stats.values()].sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1)),
      totals: { objects, bytes },
    };
  }
}

/**
 * A snapshot from raw arrays (random graphs in property tests): node 0 is the root pseudo-node,
 * every other node is an object of type `T<k>` with the given size.
 */
export function snapshotFromEdges(
  nodeCount: number,
  edges: readonly (readonly [number, number])[],
  sizes: readonly number[],
  typeOfNode: (i: number) => string = (i) => `T${i % 3}`,
): HeapSnapshot {
  const b = new GraphBuilder();
  for (let i = 1; i < nodeCount; i++) b.object(typeOfNode(i), sizes[i] ?? 1);
  for (const [from, to] of edges) b.edge(from, to);
  return b.build('random.gcdump');
}
