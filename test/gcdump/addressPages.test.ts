import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGcdump } from '../../src/formats/gcdump/index.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { FormatError } from '../../src/errors.js';
import { writeGcdump, type WriterGraph } from '../support/gcdumpWriter.js';

const dir = mkdtempSync(join(tmpdir(), 'heapgate-addresses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 20,000 objects: five pages of the on-demand table. */
function graph(): WriterGraph {
  const n = 20_000;
  return {
    types: [
      { name: 'UNDEFINED', size: 0 },
      { name: '[.NET Roots]', size: 0 },
      { name: 'App.Item', size: 24 },
    ],
    nodes: Array.from({ length: n }, (_, i) =>
      i === 0
        ? { type: 1, children: [1] }
        : { type: 2, children: i + 1 < n ? [i + 1] : [], address: 0x7f0000000000 + i * 24 },
    ),
    root: 0,
  };
}

describe('addresses read from the file on demand', () => {
  const bytes = writeGcdump(graph());
  const file = join(dir, 'items.gcdump');
  writeFileSync(file, bytes);

  it('are the addresses the file holds, node by node, in any order', async () => {
    const inMemory = readGcdump(bytes, file);
    const onDemand = await loadSnapshot(file, { graph: true });
    if (inMemory.kind !== 'graph' || !onDemand.graph) throw new Error('expected graphs');
    const n = onDemand.graph.nodeCount;
    for (const v of [n - 1, 0, 4096, 4095, 12_345, 1]) {
      expect(onDemand.graph.nodeAddress.of(v)).toBe(inMemory.graph.nodeAddress.of(v));
    }
    for (let v = 0; v < n; v++)
      expect(onDemand.graph.nodeAddress.of(v)).toBe(inMemory.graph.nodeAddress.of(v));
    expect(onDemand.graph.nodeAddress.of(7)).toBe(0x7f0000000000 + 7 * 24);
  });

  it('refuse a file that changed after it was read, naming it', async () => {
    const changed = join(dir, 'changed.gcdump');
    writeFileSync(changed, bytes);
    const snap = await loadSnapshot(changed, { graph: true });
    appendFileSync(changed, 'more');
    // Node 19,999's page has not been read yet (only pseudo-node addresses were asked for).
    expect(() => snap.graph?.nodeAddress.of(19_999)).toThrow(FormatError);
    expect(() => snap.graph?.nodeAddress.of(19_999)).toThrow(
      /changed\.gcdump.*the file changed after it was read/,
    );
  });
});
