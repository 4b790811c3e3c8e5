import { describe, expect, it } from 'vitest';
import { readGcdump } from '../../src/formats/gcdump/index.js';
import { completeSnapshot } from '../../src/stats/completeSnapshot.js';
import { FormatError } from '../../src/errors.js';
import { writeGcdump, type WriterGraph } from '../support/gcdumpWriter.js';

const read = (bytes: Uint8Array, opts: { graph: boolean; unreachable?: boolean }) =>
  completeSnapshot(readGcdump(bytes, 's.gcdump', opts));

const TYPES = [
  { name: 'UNDEFINED', size: 0 },
  { name: '[.NET Roots]', size: 0 },
  { name: 'App.Small', size: 24 },
  { name: 'System.Object[]', size: 32 },
  { name: 'System.String', size: 30 },
];

function error(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormatError) return e.message;
    throw e;
  }
  throw new Error('expected a FormatError, but the file parsed');
}

describe('statistics in one streaming pass', () => {
  it('agrees with the graph across buffer refills: headers and child lists split at every point', () => {
    // ~2.6 MB of blob: records cross the 1 MiB buffer edge at many alignments, and one array
    // holds 600,000 children (a record of ~1.8 MB, longer than the buffer).
    const n = 230_000;
    const nodes: WriterGraph['nodes'] = [{ type: 1, children: [1, 2] }];
    const big: number[] = [];
    for (let i = 0; i < 600_000; i++) big.push(3 + (i % (n - 3)));
    nodes.push({ type: 3, size: 8 * 600_000 + 32, children: big, address: 0x1000 });
    nodes.push({ type: 3, children: [3], address: 0x2000 });
    for (let i = 3; i < n; i++) {
      // Sizes of 1, 2 and 3 bytes, types at default and explicit sizes, 0–3 children.
      const node =
        i % 3 === 0
          ? { type: 4, size: 30 + (i % 70_000) * 2 }
          : { type: 2, children: i + 1 < n ? [i + 1].slice(0, i % 4) : [] };
      nodes.push({ ...node, address: 0x10000 + i * 64 });
    }
    const bytes = writeGcdump({ types: TYPES, nodes, root: 0 });
    const full = read(bytes, { graph: true });
    const lean = read(bytes, { graph: false });
    expect(lean.stats).toEqual(full.stats);
    expect(lean.totals).toEqual({ objects: full.totals.objects, bytes: full.totals.bytes });
    expect(full.totals.objects).toBe(n - 1);
  });

  it('counts the undefined record once per node pointing at it, and never as an object', () => {
    const bytes = writeGcdump({
      types: TYPES,
      nodes: [{ type: 1, children: [1, 2, 3] }, { type: 0 }, { type: 0 }, { type: 2, address: 0x10 }],
      root: 0,
    });
    expect(read(bytes, { graph: false }).stats).toEqual([{ name: 'App.Small', count: 1, bytes: 24 }]);
  });

  const base = (): WriterGraph => ({
    types: TYPES,
    nodes: [
      { type: 1, children: [1, 2] },
      { type: 2, address: 0x10 },
      { type: 2, address: 0x28 },
    ],
    root: 0,
  });

  it('refuses a record no node points at (the blob is not the nodes’ records)', () => {
    // Node 1 now shares node 2's record; node 1's own record is left over.
    const bytes = writeGcdump({ ...base(), patchOffsets: (o) => (o[1] = o[2]) });
    expect(error(() => read(bytes, { graph: false }))).toMatch(
      /^s\.gcdump: at byte \d+: node 2 shares its record \(offset \d+\) with another node/,
    );
  });

  it('refuses an offset into the middle of a record', () => {
    const bytes = writeGcdump({ ...base(), patchOffsets: (o) => (o[1] += 1) });
    expect(error(() => read(bytes, { graph: false }))).toMatch(
      /a record starts here that no node points at|child count|type index/,
    );
  });

  it('refuses a node pointing at offset 0 while its own record is left in the blob', () => {
    const bytes = writeGcdump({ ...base(), patchOffsets: (o) => (o[1] = 0) });
    expect(error(() => read(bytes, { graph: false }))).toMatch(/a record starts here that no node points at/);
  });

  it('refuses an offset past the blob, naming the entry of the offset table', () => {
    const bytes = writeGcdump({ ...base(), patchOffsets: (o) => (o[2] = 1_000_000) });
    expect(error(() => read(bytes, { graph: false }))).toMatch(
      /^s\.gcdump: at byte \d+: node 2's record offset 1000000 is outside the \d+-byte node blob/,
    );
  });

  it('refuses a child index longer than 5 bytes, as the graph reader does', () => {
    const g = base();
    g.nodes[1] = { type: 2, children: [2], address: 0x10 };
    // The last record written is node 1's (reverse index order): its one child byte becomes the
    // start of an endless continuation run.
    const bytes = writeGcdump({
      ...g,
      patchBlob: (b) => {
        b[b.length - 1] = 0x80;
      },
    });
    for (const graph of [true, false]) expect(() => read(bytes, { graph })).toThrow(FormatError);
  });
});
