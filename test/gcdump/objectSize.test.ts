/**
 * `stat --min-object/--max-object` (SOS !DumpHeap -min/-max) on a real gcdump: the two sides of a
 * size split add up to the unfiltered table type by type, every counted object is within the range
 * (checked on single-object types), and text inputs are refused with what to use instead.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

interface StatDoc {
  types: { name: string; count: number; bytes: number }[];
  meta: { objectSize?: { min?: number; max?: number } };
}

async function stat(args: string[]): Promise<StatDoc> {
  const r = await runCli(['stat', 'examples/leaky-cache.gcdump', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as StatDoc;
}

const byName = (d: StatDoc) => new Map(d.types.map((t) => [t.name, t]));

describe('stat --min-object / --max-object', () => {
  it('splits the heap at a size: below + at-or-above = all, per type, in count and bytes', async () => {
    const [all, small, big] = await Promise.all([
      stat([]),
      stat(['--max-object', '199']),
      stat(['--min-object', '200']),
    ]);
    expect(small.meta.objectSize).toEqual({ max: 199 });
    expect(big.meta.objectSize).toEqual({ min: 200 });
    const s = byName(small);
    const b = byName(big);
    for (const t of all.types) {
      const parts = [s.get(t.name), b.get(t.name)];
      expect(
        parts.reduce((n, p) => n + (p?.count ?? 0), 0),
        t.name,
      ).toBe(t.count);
      expect(
        parts.reduce((n, p) => n + (p?.bytes ?? 0), 0),
        t.name,
      ).toBe(t.bytes);
    }
    for (const t of [...small.types, ...big.types]) expect(byName(all).has(t.name)).toBe(true);
    // Every object counted above the split is at least 200 bytes: a type's average is then too,
    // and below the split each object is at most 199.
    for (const t of big.types) expect(t.bytes / t.count).toBeGreaterThanOrEqual(200);
    for (const t of small.types) expect(t.bytes / t.count).toBeLessThanOrEqual(199);
    expect(big.types.length).toBeGreaterThan(3);
    expect(small.types.length).toBeGreaterThan(big.types.length);
  });

  it('a range that is one object size picks out exactly the objects of that size', async () => {
    const all = await stat([]);
    const one = all.types.find((t) => t.count === 1 && t.bytes > 1000);
    expect(one).toBeDefined();
    const exact = await stat(['--min-object', String(one!.bytes), '--max-object', String(one!.bytes)]);
    expect(byName(exact).get(one!.name)).toEqual(one);
    for (const t of exact.types) expect(t.bytes).toBe(t.count * one!.bytes);
  });

  it('refuses text inputs (no per-object sizes) and an empty range, with exit 2', async () => {
    const text = await runCli(['stat', 'test/fixtures/sos/dotnet-dump-stat.txt', '--min-object', '100']);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(
      /per-type totals only; give a \.gcdump, or run SOS itself: dumpheap -stat -min/,
    );
    const empty = await runCli([
      'stat',
      'examples/leaky-cache.gcdump',
      '--min-object',
      '2KB',
      '--max-object',
      '1KB',
    ]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--min-object (2000) is larger than --max-object (1000)');
  });
});
