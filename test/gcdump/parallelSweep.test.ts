/**
 * Statistics of a large .gcdump on two threads (src/formats/gcdump/parallelSweep.ts) against the
 * one-thread sweep: the same totals on synthetic files whose records cross every buffer edge, and
 * the same accept/reject answer on damaged copies. The worker runs as built (build/), as the CLI
 * runs it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGcdump } from '../../src/formats/gcdump/index.js';
import { openLazyFile } from '../../src/formats/gcdump/lazyFile.js';
import type { TypeTotalsContent } from '../../src/model/content.js';
import { ensureBuilt } from '../support/built.js';
import { repoRoot, runCli } from '../support/cli.js';
import { writeGcdump, type WriterGraph } from '../support/gcdumpWriter.js';

const TYPES = [
  { name: 'UNDEFINED', size: 0 },
  { name: '[.NET Roots]', size: 0 },
  { name: 'App.Small', size: 24 },
  { name: 'System.Object[]', size: 32 },
  { name: 'System.String', size: 30 },
];

/** ~2.6 MB of records of 1–3-byte ints, 0–3 children, and one of 600,000 children (longer than the buffer). */
function graph(n: number, bigAt: number): WriterGraph {
  const nodes: WriterGraph['nodes'] = [{ type: 1, children: [1, 2] }];
  for (let i = 1; i < n; i++) {
    if (i === bigAt) {
      const big: number[] = [];
      for (let k = 0; k < 600_000; k++) big.push(3 + (k % (n - 3)));
      nodes.push({ type: 3, size: 8 * 600_000 + 32, children: big, address: 0x1000 });
      continue;
    }
    const node =
      i % 3 === 0
        ? { type: 4, size: 30 + (i % 70_000) * 2 }
        : { type: 2, children: i + 1 < n ? [i + 1].slice(0, i % 4) : [] };
    nodes.push({ ...node, address: 0x10000 + i * 64 });
  }
  return { types: TYPES, nodes, root: 0 };
}

type Parallel = typeof import('../../src/formats/gcdump/parallelSweep.js');
type Layout = typeof import('../../src/formats/gcdump/index.js');

const tmp = mkdtempSync(join(tmpdir(), 'heapgate-parallel-sweep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let parallel: Parallel;
let built: Layout;
beforeAll(async () => {
  await ensureBuilt();
  parallel = (await import(
    pathToFileURL(join(repoRoot, 'build/formats/gcdump/parallelSweep.js')).href
  )) as Parallel;
  built = (await import(pathToFileURL(join(repoRoot, 'build/formats/gcdump/index.js')).href)) as Layout;
});

/** Statistics of `bytes` (written to a file) through the built two-thread read, or its FormatError message. */
async function twoThreads(bytes: Uint8Array, name: string): Promise<TypeTotalsContent | string> {
  const file = join(tmp, name);
  writeFileSync(file, bytes);
  const lazy = openLazyFile(file);
  try {
    expect(parallel.sweepsInParallel(1, { HEAPGATE_PARALLEL_SWEEP_MIN_BYTES: '1' })).toBe(true);
    process.env.HEAPGATE_PARALLEL_SWEEP_MIN_BYTES = '1';
    return (await built.readGcdumpAsync(lazy.bytes, file, {
      graph: false,
      pages: lazy.pages,
    })) as TypeTotalsContent;
  } catch (e) {
    if (e instanceof Error && e.name === 'FormatError') return e.message;
    throw e;
  } finally {
    delete process.env.HEAPGATE_PARALLEL_SWEEP_MIN_BYTES;
    lazy.close();
  }
}

function oneThread(bytes: Uint8Array, name: string): TypeTotalsContent | string {
  try {
    return readGcdump(bytes, join(tmp, name), { graph: false }) as TypeTotalsContent;
  } catch (e) {
    if (e instanceof Error && e.name === 'FormatError') return e.message;
    throw e;
  }
}

const rows = (c: TypeTotalsContent | string) =>
  typeof c === 'string' ? c : c.types.names.map((name, t) => `${name} ${c.count[t]} ${c.bytes[t]}`);

describe('two-thread statistics sweep', () => {
  it('gives the totals of the one-thread sweep, whichever half the long record falls in', async () => {
    for (const bigAt of [5, 115_000, 229_990]) {
      const bytes = writeGcdump(graph(230_000, bigAt));
      const ours = await twoThreads(bytes, `big-${bigAt}.gcdump`);
      expect(typeof ours).not.toBe('string');
      expect(rows(ours)).toEqual(rows(oneThread(bytes, `big-${bigAt}.gcdump`)));
      expect(rows(ours).length).toBe(TYPES.length);
    }
  });

  it('accepts and refuses exactly what the one-thread sweep does, on damaged copies', async () => {
    const bytes = writeGcdump(graph(60_000, 30_000));
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    let refused = 0;
    for (let k = 0; k < 40; k++) {
      const bad = Uint8Array.from(bytes);
      // Flips in the second half of the file: the node blob and what follows it.
      const at = Math.floor(bytes.length / 2) + (next() % Math.floor(bytes.length / 2));
      bad[at] ^= 1 << (next() % 8);
      const ours = await twoThreads(bad, `flip-${k}.gcdump`);
      const theirs = oneThread(bad, `flip-${k}.gcdump`);
      expect(typeof ours, `flip at ${at}`).toBe(typeof theirs);
      if (typeof ours === 'string') {
        refused++;
        expect(ours).toMatch(/flip-\d+\.gcdump: at byte \d+: /);
      } else {
        expect(rows(ours)).toEqual(rows(theirs));
      }
    }
    expect(refused).toBeGreaterThanOrEqual(3);
  });

  it('is what the CLI runs on a large file, with the same output', async () => {
    const file = join(tmp, 'cli.gcdump');
    writeFileSync(file, writeGcdump(graph(230_000, 100_000)));
    const two = await runCli(['stat', file, '--json'], { env: { HEAPGATE_PARALLEL_SWEEP_MIN_BYTES: '1' } });
    const one = await runCli(['stat', file, '--json'], {
      env: { HEAPGATE_PARALLEL_SWEEP_MIN_BYTES: '1e15' },
    });
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });
});
