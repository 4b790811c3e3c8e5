import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffStats } from '../../src/diff/diffStats.js';
import { sortDeltas, topChanges } from '../../src/diff/sort.js';

const side = (stats: { name: string; count: number; bytes: number }[]) => ({
  stats,
  totals: { objects: stats.reduce((n, s) => n + s.count, 0), bytes: stats.reduce((n, s) => n + s.bytes, 0) },
});

describe('diffStats', () => {
  it('compares SOS and gcdump spellings of the same type as one type', () => {
    const base = side([
      {
        name: 'System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[System.Int32, System.Private.CoreLib]]',
        count: 2,
        bytes: 160,
      },
    ]);
    const head = side([
      { name: 'System.Collections.Generic.Dictionary<System.String,System.Int32>', count: 3, bytes: 240 },
      { name: 'System.Byte[] (Bytes > 10K)', count: 1, bytes: 20_000 },
      { name: 'System.Byte[]', count: 4, bytes: 100 },
    ]);
    const d = diffStats(base, head);
    expect(d.types.map((t) => [t.name, t.status, t.countDelta, t.bytesDelta])).toEqual([
      ['System.Byte[]', 'new', 5, 20_100],
      ['System.Collections.Generic.Dictionary<System.String,System.Int32>', 'changed', 1, 80],
    ]);
    expect(d.types[1].countPct).toBe(50);
    expect(d.types[0].countPct).toBeNull();
    expect(d.totals).toMatchObject({ countDelta: 6, bytesDelta: 20_180 });
  });

  it('property: agrees with a naive per-name oracle', () => {
    const stat = fc.record({
      name: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
      count: fc.nat(1000),
      bytes: fc.nat(100_000),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(stat, { selector: (s) => s.name, maxLength: 6 }),
        fc.uniqueArray(stat, { selector: (s) => s.name, maxLength: 6 }),
        (b, h) => {
          const d = diffStats(side(b), side(h));
          const names = [...new Set([...b, ...h].map((s) => s.name))].sort();
          expect(d.types.map((t) => t.name)).toEqual(names);
          for (const t of d.types) {
            const bs = b.find((s) => s.name === t.name);
            const hs = h.find((s) => s.name === t.name);
            expect(t.countDelta).toBe((hs?.count ?? 0) - (bs?.count ?? 0));
            expect(t.bytesDelta).toBe((hs?.bytes ?? 0) - (bs?.bytes ?? 0));
            expect(t.status).toBe(
              !bs
                ? 'new'
                : !hs
                  ? 'gone'
                  : bs.count === hs.count && bs.bytes === hs.bytes
                    ? 'same'
                    : 'changed',
            );
          }
          expect(d.newTypes).toBe(h.filter((s) => !b.some((x) => x.name === s.name)).length);
          expect(d.goneTypes).toBe(b.filter((s) => !h.some((x) => x.name === s.name)).length);
        },
      ),
    );
  });

  it('sorts by absolute change and leaves unchanged types out of top changes', () => {
    const d = diffStats(
      side([
        { name: 'A', count: 10, bytes: 100 },
        { name: 'B', count: 10, bytes: 100 },
        { name: 'C', count: 1, bytes: 1 },
      ]),
      side([
        { name: 'A', count: 11, bytes: 90 },
        { name: 'B', count: 10, bytes: 400 },
        { name: 'C', count: 1, bytes: 1 },
      ]),
    );
    expect(topChanges(d.types, 10).map((t) => t.name)).toEqual(['B', 'A']);
    expect(sortDeltas(d.types, 'count').map((t) => t.name)).toEqual(['A', 'B', 'C']);
  });
});
