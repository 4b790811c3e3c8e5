import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGcdump, readGcdumpFile } from '../../src/formats/gcdump/index.js';
import { openLazyFile } from '../../src/formats/gcdump/lazyFile.js';
import { completeSnapshot } from '../../src/stats/completeSnapshot.js';
import { FormatError } from '../../src/errors.js';
import { writeGcdump, type WriterGraph } from '../support/gcdumpWriter.js';

const read = (bytes: Uint8Array, opts: { graph: boolean; unreachable?: boolean }) =>
  completeSnapshot(readGcdump(bytes, 's.gcdump', opts));

const dir = mkdtempSync(join(tmpdir(), 'heapgate-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Statistics of `bytes` read as the CLI reads a file: from disk, the next chunk read on the thread
 * pool while the sweep decodes the last. `beforeRead` runs before each read is started.
 */
async function readFromFile(bytes: Uint8Array, beforeRead?: (call: number, path: string) => void) {
  const path = join(dir, 's.gcdump');
  writeFileSync(path, bytes);
  const file = openLazyFile(path);
  const startRead = file.startRead;
  let calls = 0;
  file.startRead = (at, into) => {
    beforeRead?.(++calls, path);
    return startRead(at, into);
  };
  try {
    return completeSnapshot(await readGcdumpFile(file, path, { graph: false }));
  } finally {
    await file.close();
  }
}

/** The message of the FormatError a file read fails with, with the file named as in memory. */
async function fileError(bytes: Uint8Array): Promise<string> {
  try {
    await readFromFile(bytes);
  } catch (e) {
    if (e instanceof FormatError) return e.message.replace(join(dir, 's.gcdump'), 's.gcdump');
    throw e;
  }
  throw new Error('expected a FormatError, but the file parsed');
}

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
  it('agrees with the graph across buffer refills: headers and child lists split at every point', async () => {
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
    const fromFile = await readFromFile(bytes);
    expect(fromFile.stats).toEqual(full.stats);
    expect(fromFile.totals).toEqual(lean.totals);
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

describe('a corrupt child wherever the sweep meets it', () => {
  // Leaves of 2 bytes, and every 500th node an array of 200 children (~340 bytes): ~1.2 MB of
  // blob, more than the first 1 MiB read. The last node's `pad` self-references move every
  // record after it (records are written in reverse node order) by about `pad` bytes.
  const n = 450_000;
  const graph = (pad: number): WriterGraph => {
    const nodes: WriterGraph['nodes'] = [{ type: 1, children: [1] }];
    for (let i = 1; i < n; i++) {
      const array = i % 500 === 1;
      const children = array ? Array.from({ length: 200 }, (_, k) => Math.min(n - 1, i + 1 + k)) : [];
      if (i === n - 1) children.push(...new Array<number>(pad).fill(i));
      nodes.push({ type: array ? 3 : 2, children, address: 0x10000 + i * 64 });
    }
    return { types: TYPES, nodes, root: 0 };
  };
  /** The array records (node i's ends where node i - 1's starts) and the blob's place in the file. */
  const layout = (pad: number) => {
    let offsets: number[] = [];
    let blob = new Uint8Array();
    const file = writeGcdump({
      ...graph(pad),
      patchOffsets: (o) => (offsets = [...o]),
      patchBlob: (b) => (blob = b.slice()),
    });
    const arrays = offsets.flatMap((start, i) => (i % 500 === 1 ? [{ start, end: offsets[i - 1] }] : []));
    return { arrays, blobAt: Buffer.from(file).indexOf(Buffer.from(blob.subarray(0, 4096))) };
  };

  /**
   * Writes 5 bytes with the high bit at blob offset `at`, after a byte without it: a child that
   * starts at `at` and never ends. Reads the file.
   */
  const spoiled = async (pad: number, at: number) => {
    const bytes = writeGcdump({
      ...graph(pad),
      patchBlob: (b) => {
        b[at - 1] = 0;
        b.fill(0x80, at, at + 5);
      },
    });
    const inMemory = error(() => read(bytes, { graph: false }));
    expect(await fileError(bytes), 'read from a file').toBe(inMemory);
    return inMemory;
  };

  it('in a child list inside the buffer: refused at the fifth byte', async () => {
    const { arrays, blobAt } = layout(0);
    const array = arrays.find((a) => a.start > 400_000 && a.end < 600_000)!;
    const at = array.start + 3 + 10;
    expect(await spoiled(0, at)).toBe(
      `s.gcdump: at byte ${blobAt + at + 4}: a child index is longer than 5 bytes — corrupt record`,
    );
  });

  it('in a child list that runs on past the first read: refused at the fifth byte', async () => {
    let found: { pad: number; blobAt: number } | undefined;
    for (let pad = 0; pad < 1400 && !found; pad += 100) {
      const { arrays, blobAt } = layout(pad);
      if (arrays.some((a) => a.start < 2 ** 20 - 50 && a.end > 2 ** 20 + 50)) found = { pad, blobAt };
    }
    expect(found, 'an array record spanning the first 1 MiB read').toBeDefined();
    const { pad, blobAt } = found!;
    const at = 2 ** 20 + 10;
    expect(await spoiled(pad, at)).toBe(
      `s.gcdump: at byte ${blobAt + at + 4}: a child index is longer than 5 bytes — corrupt record`,
    );
  });

  it('counts every record of the unspoiled files alike', async () => {
    for (const pad of [0, 700]) {
      const bytes = writeGcdump(graph(pad));
      const full = read(bytes, { graph: true }).stats;
      expect(read(bytes, { graph: false }).stats).toEqual(full);
      expect((await readFromFile(bytes)).stats).toEqual(full);
    }
  });

  it('refuses a file cut short after it was opened, at the byte where it now ends', async () => {
    const path = join(dir, 'cut.gcdump');
    const bytes = writeGcdump(graph(0));
    writeFileSync(path, bytes);
    const file = openLazyFile(path);
    // The reader starts at the trailer, in the file's last bytes: they are gone.
    const cut = bytes.length - 100;
    truncateSync(path, cut);
    try {
      await expect(readGcdumpFile(file, path, { graph: false })).rejects.toThrow(
        new FormatError(
          path,
          cut,
          'the file ends here, 100 bytes short of what its header describes — it was cut short or changed while being read',
        ),
      );
    } finally {
      await file.close();
    }
  });

  it('refuses a file cut short while it is read, at the byte where it now ends', async () => {
    const { blobAt } = layout(0);
    const cut = blobAt + 1000;
    // Reads go in file order, one ahead: the second is the node blob's first chunk, started while
    // the offset table's is still on its way.
    const cutOnSecondRead = (call: number, path: string) => {
      if (call === 2) truncateSync(path, cut);
    };
    await expect(readFromFile(writeGcdump(graph(0)), cutOnSecondRead)).rejects.toThrow(
      new FormatError(
        join(dir, 's.gcdump'),
        cut,
        'the file ends here, 1047576 bytes short of what its header describes — it was cut short or changed while being read',
      ),
    );
  });
});
