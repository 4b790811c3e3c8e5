import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGcdump } from '../../src/formats/gcdump/index.js';
import { completeSnapshot } from '../../src/stats/completeSnapshot.js';
import { runCli, repoRoot } from '../support/cli.js';
import { writeGcdump, type WriterGraph } from '../support/gcdumpWriter.js';

const readSnapshot = (...args: Parameters<typeof readGcdump>) => completeSnapshot(readGcdump(...args));

/** Every real dotnet-gcdump file kept in the repository. */
const realFiles = readdirSync(join(repoRoot, 'examples'))
  .filter((f) => f.endsWith('.gcdump'))
  .map((f) => join('examples', f));

interface StatJson {
  totals: Record<string, number>;
  types: { name: string; count: number; bytes: number }[];
}

const byName = (s: StatJson) =>
  s.types
    .map(({ name, count, bytes }) => ({ name, count, bytes }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));

describe('one definition of "object" for statistics and graph reading', () => {
  it('0-byte nodes are not objects in either mode, with or without an address', () => {
    const g: WriterGraph = {
      types: [
        { name: 'UNDEFINED', size: 0 },
        { name: '[.NET Roots]', size: 0 },
        { name: 'App.Zero', size: 0 },
        { name: 'App.Thing', size: 24 },
      ],
      nodes: [
        { type: 1, children: [1, 2, 3, 4] },
        { type: 2, address: 0x10000 }, // 0 bytes at a real address, type default 0
        { type: 3, size: 0 }, // explicit 0 bytes, no address, type default 24
        { type: 3, address: 0x10018 },
        { type: 3, address: 0x10030, size: 40 },
      ],
      root: 0,
    };
    const bytes = writeGcdump(g);
    const scan = readSnapshot(bytes, 'z.gcdump', { graph: false, unreachable: true });
    const sweep = readSnapshot(bytes, 'z.gcdump', { graph: false });
    const graph = readSnapshot(bytes, 'z.gcdump');
    expect(scan.stats).toEqual([{ name: 'App.Thing', count: 2, bytes: 64 }]);
    expect(graph.stats).toEqual(scan.stats);
    expect(sweep.stats).toEqual(scan.stats);
    expect(graph.totals).toEqual(scan.totals);
    expect(sweep.totals).toEqual({ objects: 2, bytes: 64 });
  });

  it('has real files to compare', () => expect(realFiles.length).toBeGreaterThanOrEqual(2));

  it.each(realFiles)('stat and stat --retained agree on %s', async (file) => {
    const [plain, scanned, retained] = await Promise.all([
      runCli(['stat', file, '--json']),
      runCli(['stat', '--unreachable', file, '--json']),
      runCli(['stat', '--retained', file, '--json']),
    ]);
    expect(plain.code).toBe(0);
    expect(scanned.code).toBe(0);
    expect(retained.code).toBe(0);
    const a = JSON.parse(plain.stdout) as StatJson;
    const s = JSON.parse(scanned.stdout) as StatJson;
    const b = JSON.parse(retained.stdout) as StatJson;
    expect(b.totals).toEqual(s.totals);
    expect(s.totals.unreachableObjects).toBeGreaterThan(0);
    expect(a.totals).toEqual({ objects: b.totals.objects, bytes: b.totals.bytes });
    expect(byName(b)).toEqual(byName(a));
    expect(byName(s)).toEqual(byName(a));
    // In-process too, every type row: the scan and the graph count the same nodes.
    const bytes = new Uint8Array(readFileSync(join(repoRoot, file)));
    expect(
      readSnapshot(bytes, file).stats.map(({ name, count, bytes: b2 }) => ({ name, count, bytes: b2 })),
    ).toEqual(readSnapshot(bytes, file, { graph: false }).stats);
  });
});
