import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BlobCursor } from '../../src/formats/gcdump/blobCursor.js';
import { ByteReader } from '../../src/formats/gcdump/byteReader.js';
import type { RawMemoryGraph } from '../../src/formats/gcdump/memoryGraph.js';
import { NodeFlag } from '../../src/model/snapshot.js';
import { appendixGraph, ByteSink, writeGcdump, type WriterGraph } from '../support/gcdumpWriter.js';
import { readGcdump } from '../../src/formats/gcdump/index.js';
import { completeSnapshot } from '../../src/stats/completeSnapshot.js';

/** The reader, with statistics computed from what it read as loadSnapshot does. */
const readSnapshot = (...args: Parameters<typeof readGcdump>) => completeSnapshot(readGcdump(...args));

/** The 767-byte file of reference/gcdump-format.md §9, hand-assembled from the spec (an independent oracle). */
const appendixBytes = Uint8Array.from(
  readFileSync(new URL('./appendix.hex', import.meta.url), 'utf8')
    .trim()
    .split(/\s+/)
    .map((h) => parseInt(h, 16)),
);

function edgesOf(snap: ReturnType<typeof readSnapshot>, node: number): number[] {
  const g = snap.graph!;
  return Array.from(g.edgeTarget.subarray(g.firstEdge[node], g.firstEdge[node + 1]));
}

describe('readGcdump on the reference appendix file', () => {
  const snap = readSnapshot(appendixBytes, 'appendix.gcdump');

  it('decodes every node record as the spec tabulates it', () => {
    const g = snap.graph!;
    expect(g.nodeCount).toBe(9);
    expect(g.root).toBe(0);
    expect(Array.from(g.nodeType)).toEqual([4, 5, 7, 3, 8, 6, 1, 2, 3]);
    expect(Array.from(g.nodeSize)).toEqual([0, 0, 0, 30, 0, 0, 24, 48, 34]);
    expect(edgesOf(snap, 0)).toEqual([1, 2, 4]);
    expect(edgesOf(snap, 7)).toEqual([3, 8]);
    expect(edgesOf(snap, 5)).toEqual([6]);
    expect(g.nodeAddress.of(8)).toBe(0x7f0000001068);
    expect(g.nodeFlags[0] & NodeFlag.Pseudo).toBeTruthy();
    expect(g.nodeFlags[3]).toBe(0);
  });

  it('gives true per-type totals (not the type table size) and excludes pseudo-nodes', () => {
    expect(snap.stats).toEqual([
      { name: 'System.String', count: 2, bytes: 64 },
      { name: 'System.String[]', count: 1, bytes: 48 },
      { name: 'MyApp.Cache', count: 1, bytes: 24 },
    ]);
    expect(snap.totals).toMatchObject({ objects: 4, bytes: 136, unreachableObjects: 0 });
    expect(snap.meta).toMatchObject({
      format: 'gcdump',
      creationTool: 'dotnet-gcdump',
      pointerSize: 8,
      estimated: false,
    });
  });

  it('is reproduced byte for byte by the test writer', () => {
    expect(Buffer.from(writeGcdump(appendixGraph())).toString('hex')).toBe(
      Buffer.from(appendixBytes).toString('hex'),
    );
  });
});

describe('compressed ints', () => {
  /** Decodes one compressed int with the reader's own BlobCursor over a one-record blob. */
  const decode = (bytes: number[]) => {
    const blob = Uint8Array.from(bytes);
    const graph: RawMemoryGraph = {
      totalSize: 0,
      rootIndex: 0,
      typeNames: [],
      typeSizes: new Int32Array(0),
      typeModules: [],
      nodeCount: 1,
      nodeOffsets: new Uint32Array([0, blob.length]),
      blob,
      blobFileOffset: 0,
      layout: { nodeCount: 1, offsetsAt: 0, blobAt: 0, blobLength: blob.length, addressesAt: -1 },
      addresses: undefined,
      is64Bit: true,
      deferredTypeIds: [],
    };
    const cursor = new BlobCursor(graph, 'spec.gcdump');
    const value = cursor.int('spec example');
    expect(cursor.pos).toBe(blob.length);
    return value;
  };

  it('matches the spec examples', () => {
    expect(decode([0x7e])).toBe(-2);
    expect(decode([0x22])).toBe(34);
    expect(decode([0x8c, 0x0f])).toBe(1551);
    expect(decode([0xb3, 0x7b])).toBe(6651);
    expect(decode([0xff, 0x7f])).toBe(-1);
    expect(decode([0x80, 0x40])).toBe(64);
  });

  it('round-trips child deltas of every magnitude through writer and reader', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 30 }),
        fc.integer(),
        (kids, size) => {
          // Node 0 is the root; deltas reach forward to arbitrary nodes, sizes span the whole i32 range.
          const n = 41;
          const explicit = Math.abs(size) % 2147483647;
          const graph: WriterGraph = {
            types: [
              { name: 'UNDEFINED', size: 0 },
              { name: '[.NET Roots]', size: 0 },
              { name: 'T', size: 8 },
            ],
            nodes: Array.from({ length: n }, (_, i) =>
              i === 0
                ? { type: 1, children: kids.map((k) => k) }
                : { type: 2, size: i === 1 ? explicit : 8, address: 0x1000 + i * 8 },
            ),
            root: 0,
          };
          const snap = readSnapshot(writeGcdump(graph), 't.gcdump');
          expect(edgesOf(snap, 0)).toEqual(kids);
          expect(snap.graph!.nodeSize[1]).toBe(explicit);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('strings', () => {
  it('decode non-BMP characters written as separate surrogates, and 2-byte forms', () => {
    const s = new ByteSink().str('Ünïcödé 🙂 名前').finish();
    expect(new ByteReader(s, 'x').string('name')).toBe('Ünïcödé 🙂 名前');
  });
  it('keep type names with generics, nested types and mangled compiler names', () => {
    const names = ['Entry<System.String,System.Object>[]', '[]c__DisplayClass5_0<System.Int32>', 'A+B'];
    const graph: WriterGraph = {
      types: [
        { name: 'UNDEFINED', size: 0 },
        { name: '[.NET Roots]', size: 0 },
        ...names.map((name) => ({ name, size: 16 })),
      ],
      nodes: [
        { type: 1, children: [1, 2, 3] },
        { type: 2, address: 16 },
        { type: 3, address: 32 },
        { type: 4, address: 48 },
      ],
      root: 0,
    };
    const snap = readSnapshot(writeGcdump(graph), 't.gcdump');
    expect(snap.stats.map((s) => s.name).sort()).toEqual([...names].sort());
  });
});

describe('size buckets and special nodes', () => {
  const graph: WriterGraph = {
    types: [
      { name: 'UNDEFINED', size: 0 },
      { name: '[.NET Roots]', size: 0 },
      { name: 'System.Byte[]', size: 100 },
      { name: 'System.Byte[] (Bytes > 1K)', size: 5000 },
      { name: 'System.Byte[] (Bytes > 10K)', size: 20000 },
    ],
    nodes: [
      { type: 1, children: [1, 2, 3, 4, 5] },
      { type: 2, address: 0x10 },
      { type: 3, address: 0x20 },
      { type: 3, size: 7000, address: 0x30 },
      { type: 4, address: 0x40 },
      { type: 0 }, // referenced but never defined
      { type: 2, address: 0x50 }, // unreachable
    ],
    root: 0,
  };

  it('merges bucket variants into one row with the true total, and counts unreachable objects', () => {
    const snap = readSnapshot(writeGcdump(graph), 'b.gcdump');
    expect(snap.stats).toEqual([{ name: 'System.Byte[]', count: 5, bytes: 100 + 5000 + 7000 + 20000 + 100 }]);
    expect(snap.totals).toMatchObject({ objects: 5, unreachableObjects: 1, unreachableBytes: 100 });
  });

  it('scales sampled snapshots and marks them estimated', () => {
    const snap = readSnapshot(
      writeGcdump({ ...graph, countMultipliers: [1, 1, 10, 1, 1], averageCountMultiplier: 2.5 }),
      's.gcdump',
    );
    expect(snap.meta.estimated).toBe(true);
    expect(snap.meta.estimateReasons.join()).toMatch(/sampled/);
    expect(snap.stats[0].count).toBe(2 * 10 + 3);
  });

  it('reads 32-bit snapshots and process metadata', () => {
    const ticks = 621355968000000000 + Date.UTC(2026, 0, 2, 3, 4, 5) * 10000;
    const snap = readSnapshot(
      writeGcdump({
        ...graph,
        is64Bit: false,
        processName: 'w3wp',
        processId: 4242,
        timeCollectedTicks: ticks,
        creationTool: null,
      }),
      'p.gcdump',
    );
    expect(snap.meta).toMatchObject({
      pointerSize: 4,
      processName: 'w3wp',
      processId: 4242,
      collectedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(snap.meta.creationTool).toBeUndefined();
  });
});

describe('statistics-only reading', () => {
  it('agrees with the full graph on random graphs: counts, bytes and unreachable objects', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 60 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.array(fc.nat({ max: n - 1 }), { maxLength: 4 }), { minLength: n, maxLength: n }),
              fc.array(fc.integer({ min: 2, max: 4 }), { minLength: n, maxLength: n }),
              fc.nat({ max: n - 1 }),
            ),
          ),
        ([n, children, types, root]) => {
          const graph: WriterGraph = {
            types: [
              { name: 'UNDEFINED', size: 0 },
              { name: '[.NET Roots]', size: 0 },
              { name: 'A', size: 24 },
              { name: 'B', size: 40 },
              { name: 'C (Bytes > 1K)', size: 2000 },
            ],
            nodes: Array.from({ length: n }, (_, i) =>
              i === root
                ? { type: 1, children: children[i] }
                : { type: types[i], children: children[i], address: 0x1000 + 64 * i },
            ),
            root,
          };
          const bytes = writeGcdump(graph);
          const full = readSnapshot(bytes, 'r.gcdump');
          const scan = readSnapshot(bytes, 'r.gcdump', { graph: false, unreachable: true });
          expect(scan.stats).toEqual(full.stats);
          expect(scan.totals).toEqual(full.totals);
          expect(scan.graph).toBeUndefined();
          // The streaming pass does not look for unreachable objects; everything else agrees.
          const lean = readSnapshot(bytes, 'r.gcdump', { graph: false });
          expect(lean.stats).toEqual(full.stats);
          expect(lean.totals).toEqual({ objects: full.totals.objects, bytes: full.totals.bytes });
          expect(lean.graph).toBeUndefined();
        },
      ),
      { numRuns: 500 },
    );
  });
});
