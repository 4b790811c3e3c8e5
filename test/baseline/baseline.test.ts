import { describe, expect, it } from 'vitest';
import { lowerMedian } from '../../src/baseline/median.js';
import { parseBaseline } from '../../src/baseline/parse.js';
import { recordBaseline } from '../../src/baseline/record.js';
import { serializeBaseline } from '../../src/baseline/serialize.js';
import { baselineToSnapshot } from '../../src/baseline/toSnapshot.js';
import type { HeapSnapshot } from '../../src/model/snapshot.js';

function snap(source: string, stats: Record<string, [number, number]>, estimated = false): HeapSnapshot {
  const list = Object.entries(stats).map(([name, [count, bytes]]) => ({ name, count, bytes }));
  return {
    meta: {
      source,
      format: 'gcdump',
      creationTool: 'dotnet-gcdump',
      estimated,
      estimateReasons: estimated ? ['sampled'] : [],
      notes: [],
    },
    types: { names: list.map((s) => s.name), modules: list.map(() => null) },
    stats: list,
    totals: { objects: list.reduce((n, s) => n + s.count, 0), bytes: list.reduce((n, s) => n + s.bytes, 0) },
  };
}

const opts = { scenario: 'steady', createdAt: '2026-01-01T00:00:00.000Z', tool: 'heapgate test' };

describe('baselines', () => {
  it('median is the lower middle value: always an observed sample', () => {
    expect(lowerMedian([5])).toBe(5);
    expect(lowerMedian([9, 1, 5])).toBe(5);
    expect(lowerMedian([4, 1, 9, 6])).toBe(4);
  });

  it('records every sample per type, the median as the value, absent types as 0', () => {
    const b = recordBaseline(
      [
        snap('a', { X: [10, 100], Y: [1, 8] }),
        snap('b', { X: [12, 120] }),
        snap('c', { X: [11, 110], Y: [3, 24] }),
      ],
      opts,
    );
    expect(b.types.X).toEqual({
      count: 11,
      bytes: 110,
      samples: { count: [10, 12, 11], bytes: [100, 120, 110] },
    });
    expect(b.types.Y).toEqual({ count: 1, bytes: 8, samples: { count: [1, 0, 3], bytes: [8, 0, 24] } });
    expect(b.samples.map((s) => s.source)).toEqual(['a', 'b', 'c']);
    expect(b.estimated).toBe(false);
  });

  it('serialises with sorted types, one per line, and round-trips exactly', () => {
    const b = recordBaseline(
      [snap('a.gcdump', { 'Z.Last': [1, 24], 'A.First': [2, 48], 'List<A|B>': [1, 32] })],
      opts,
    );
    const text = serializeBaseline(b);
    const typeLines = text.split('\n').filter((l) => l.startsWith('    "') && l.includes('"count"'));
    expect(typeLines).toEqual([
      '    "A.First": {"count": 2, "bytes": 48},',
      '    "List<A|B>": {"count": 1, "bytes": 32},',
      '    "Z.Last": {"count": 1, "bytes": 24}',
    ]);
    expect(serializeBaseline(parseBaseline(text, 'b.json'))).toBe(text);
    expect(JSON.parse(text)).toEqual(b);
  });

  it('stores the median retained bytes per type when given', () => {
    const retained = [
      new Map([['X', 500]]),
      new Map([
        ['X', 900],
        ['Y', 40],
      ]),
      new Map([['X', 700]]),
    ];
    const b = recordBaseline(
      [snap('a', { X: [1, 10] }), snap('b', { X: [1, 10], Y: [1, 8] }), snap('c', { X: [1, 10] })],
      { ...opts, retained },
    );
    expect([b.types.X.retained, b.types.Y.retained]).toEqual([700, 0]);
    const text = serializeBaseline(b);
    expect(text).toContain('"X": {"count": 1, "bytes": 10, "retained": 700, "samples"');
    expect(
      baselineToSnapshot(parseBaseline(text, 'b.json'), 'b.json').stats.find((s) => s.name === 'X')?.retained,
    ).toBe(700);
  });

  it('marks a baseline from an estimated snapshot as estimated, with the reason', () => {
    const b = recordBaseline([snap('s.gcdump', { X: [1, 1] }, true)], opts);
    expect(b.estimated).toBe(true);
    expect(b.estimateReasons).toEqual(['s.gcdump: sampled']);
    expect(baselineToSnapshot(b, 'b.json').meta).toMatchObject({
      estimated: true,
      format: 'baseline',
      source: 'b.json',
    });
  });

  it('rejects damaged files naming the file and the place', () => {
    const good = serializeBaseline(recordBaseline([snap('a', { X: [1, 1] })], opts));
    expect(() => parseBaseline(good.replace('"count": 1,', '"count": 1'), 'baselines/s.json')).toThrow(
      /^baselines\/s\.json:\d+:\d+: not valid JSON/,
    );
    expect(() => parseBaseline(good.replace('"count": 1,', '"count": -1,'), 'baselines/s.json')).toThrow(
      /^baselines\/s\.json: not a valid heapgate baseline: types\.X\.count: /,
    );
    expect(() => parseBaseline(good.replace('"schemaVersion": 1', '"schemaVersion": 7'), 'b.json')).toThrow(
      'b.json: baseline schema version 7 is newer than this heapgate understands (2); upgrade heapgate',
    );
    expect(() => parseBaseline(good.replace('"tool"', '"tol"'), 'b.json')).toThrow(
      /Unrecognized key.*tol|tool/,
    );
  });

  it('adapts to a stats-only snapshot sorted like readers sort', () => {
    const b = recordBaseline([snap('a', { Small: [1, 8], Big: [1, 800], Mid: [2, 80] })], opts);
    expect(baselineToSnapshot(b, 'x.json').stats.map((s) => s.name)).toEqual(['Big', 'Mid', 'Small']);
  });
});
