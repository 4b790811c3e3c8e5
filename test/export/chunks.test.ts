/**
 * The export is produced in bounded pieces: a heap of any size never becomes one string. The
 * pieces, joined, are the whole snapshot.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { exportHeapSnapshot } from '../../src/export/heapSnapshot.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { writeGcdump } from '../support/gcdumpWriter.js';
import type { WriterGraph } from '../support/gcdumpWriter.js';
import { bigGraph } from '../html/fixtures.js';

/** Adds a static field holding one array of `n` references to the first objects after the roots. */
function withOneBigArray(g: WriterGraph, n: number): WriterGraph {
  const type = g.types.length;
  g.types.push({ name: '[static var Big.OneArray.s_all]', size: 0 });
  const arrayNode = g.nodes.length + 1;
  g.nodes[1].children!.push(g.nodes.length);
  g.nodes.push({ type, children: [arrayNode] });
  const children: number[] = [];
  for (let i = 0; children.length < n; i++) if (g.nodes[i].address !== undefined) children.push(i);
  g.nodes.push({ type: 3, size: 24 + 8 * n, children, address: 0x7f8000000000 });
  return g;
}

const dir = mkdtempSync(join(tmpdir(), 'heapgate-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes 60,000 objects in pieces of at most about 256 K characters, even for one array of 30,000 references', async () => {
  const file = join(dir, 'heap.gcdump');
  writeFileSync(file, writeGcdump(withOneBigArray(bigGraph(60_000, 500, 20), 30_000)));
  const snapshot = await loadSnapshot(file);
  const out = exportHeapSnapshot(snapshot);
  const sizes: number[] = [];
  let text = '';
  for (const chunk of out.chunks()) {
    sizes.push(chunk.length);
    text += chunk;
  }
  expect(sizes.length).toBeGreaterThan(5);
  expect(Math.max(...sizes)).toBeLessThan(256 * 1024 + 4096);
  const doc = JSON.parse(text) as {
    snapshot: { node_count: number; edge_count: number };
    nodes: number[];
    edges: number[];
  };
  expect(doc.snapshot.node_count).toBe(out.nodeCount);
  expect(doc.nodes.length).toBe(out.nodeCount * 7);
  expect(doc.edges.length).toBe(out.edgeCount * 3);
  expect(out.idsFromAddresses).toBe(true);
});
