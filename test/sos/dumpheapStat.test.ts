import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { parseDumpHeapStat, readDumpHeapStat } from '../../src/formats/sos/dumpheapStat.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'sos');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');

// The invented heap every hand-written variant shows (see variants/): worked out by hand, per
// canonical name, with the Free row (17 blocks, 4,020 bytes) left out.
const VARIANT_STATS = [
  { name: 'Entry<System.String,Contoso.Item>[]', count: 5, bytes: 1_234_560 },
  { name: 'System.String', count: 12_001, bytes: 480_040 },
  { name: 'Inner', count: 41, bytes: 984 },
  { name: 'Contoso.Cache<System.String,Contoso.Item>', count: 3, bytes: 72 },
  { name: 'Contoso.Settings', count: 2, bytes: 48 },
];

describe('dumpheap -stat: hand-written layouts of every SOS generation', () => {
  const variants = readdirSync(join(fixtures, 'variants')).filter((f) => f.endsWith('.txt'));
  it('has the variants', () => expect(variants.length).toBeGreaterThanOrEqual(12));

  it.each(variants)('%s', (file) => {
    const snap = readDumpHeapStat(read(join('variants', file)), file);
    expect(snap.stats).toEqual(VARIANT_STATS);
    expect(snap.totals).toEqual({ objects: 12_052, bytes: 1_715_704 });
    expect(snap.meta.format).toBe('sos-dumpheap');
    expect(snap.meta.notes.join('\n')).toContain('free space: 17 blocks, 4020 bytes');
    if (file.startsWith('g0-')) {
      // CLR 1.x captures carry no trailer: the reader cannot know the table is whole.
      expect(snap.meta.estimated).toBe(true);
      expect(snap.meta.estimateReasons.join(' ')).toMatch(/no 'Total N objects' trailer/);
    } else {
      expect(snap.meta.estimateReasons).toEqual([]);
    }
  });

  it('infers the pointer size from the method-table width', () => {
    expect(readDumpHeapStat(read('variants/g2-windbg-64.txt'), 'x').meta.pointerSize).toBe(8);
    expect(readDumpHeapStat(read('variants/windbg-backticks.txt'), 'x').meta.pointerSize).toBe(8);
    expect(readDumpHeapStat(read('variants/g2-psscor4-32.txt'), 'x').meta.pointerSize).toBe(4);
    expect(readDumpHeapStat(read('variants/g4-en.txt'), 'x').meta.pointerSize).toBe(8);
  });

  it('remembers the echoed command', () => {
    expect(parseDumpHeapStat(read('variants/g2-psscor4-32.txt'), 'x').command).toBe('dumpheap -stat');
    expect(parseDumpHeapStat(read('variants/wrapped-lldb.txt'), 'x').command).toBe('dumpheap -stat');
  });
});

/** Independent oracle: a compact regex over the G4 rows, summed per printed name. */
function oracleRows(text: string): Map<string, { count: number; bytes: number }> {
  const out = new Map<string, { count: number; bytes: number }>();
  for (const m of text.matchAll(/^([0-9a-f]{12}) +([\d,]+) +([\d,]+) (.+)$/gm)) {
    const prev = out.get(m[4]) ?? { count: 0, bytes: 0 };
    out.set(m[4], {
      count: prev.count + Number(m[2].replaceAll(',', '')),
      bytes: prev.bytes + Number(m[3].replaceAll(',', '')),
    });
  }
  return out;
}

describe('dumpheap -stat: real dotnet-dump output of the scenario app', () => {
  it.each([
    'dotnet-dump-stat.txt',
    'dotnet-dump-stat-live.txt',
    'dotnet-dump-type-listing.txt',
    'dotnet-dump-interactive.txt',
  ])('%s', (file) => {
    const text = read(file);
    const snap = readDumpHeapStat(text, file);
    const oracle = oracleRows(text);
    const free = oracle.get('Free');
    oracle.delete('Free');
    expect(snap.meta.estimated).toBe(false);
    expect(snap.totals.objects).toBe([...oracle.values()].reduce((a, r) => a + r.count, 0));
    expect(snap.totals.bytes).toBe([...oracle.values()].reduce((a, r) => a + r.bytes, 0));
    // The trailer counts Free blocks too.
    const trailer = /^Total ([\d,]+) objects, ([\d,]+) bytes$/m.exec(text);
    expect(trailer).not.toBeNull();
    expect(snap.totals.objects + (free?.count ?? 0)).toBe(Number(trailer![1].replaceAll(',', '')));
    // The app's own types keep their names (no nesting, no generics).
    for (const [name, row] of oracle) {
      if (!name.startsWith('HeapgateScenarios.')) continue;
      expect(snap.stats.find((s) => s.name === name)).toEqual({ name, count: row.count, bytes: row.bytes });
    }
  });

  it('finds the leaked cache entries and their dictionary storage', () => {
    const snap = readDumpHeapStat(read('dotnet-dump-stat-live.txt'), 'live');
    expect(snap.stats.find((s) => s.name === 'HeapgateScenarios.Leaks.CacheEntry')?.count).toBe(1000);
    expect(
      snap.stats.find((s) => s.name === 'Entry<System.Int32,HeapgateScenarios.Leaks.CacheEntry>[]')?.count,
    ).toBe(1);
    expect(snap.stats.map((s) => s.name)).not.toContain('Free');
  });

  it('notes a filtered table', () => {
    const snap = readDumpHeapStat(read('dotnet-dump-interactive.txt'), 'x');
    expect(snap.meta.notes.join('\n')).toMatch(/filtered table \('dumpheap -stat -type heapgatescenarios'\)/);
  });
});

const G2 = (rows: string[], trailer?: string) =>
  ['Statistics:', '      MT    Count    TotalSize Class Name', ...rows, ...(trailer ? [trailer] : [])].join(
    '\n',
  );
const ROWS = [
  '79b1c2d4        2           48 Contoso.Settings',
  '00a1b2c0       17         4020      Free',
  '79b1c000      310        12400 System.String',
];

describe('dumpheap -stat: partial and bad input', () => {
  it('is exact when the rows add up to the trailer', () => {
    const snap = readDumpHeapStat(G2(ROWS, 'Total 329 objects'), 'ok.txt');
    expect(snap.meta.estimated).toBe(false);
    expect(snap.totals).toEqual({ objects: 312, bytes: 12448 });
  });

  it('marks a table whose rows do not add up to the trailer', () => {
    const snap = readDumpHeapStat(G2([ROWS[0], ROWS[1]], 'Total 329 objects'), 'edited.txt');
    expect(snap.meta.estimated).toBe(true);
    expect(snap.meta.estimateReasons[0]).toMatch(
      /rows add up to 19 objects but the trailer \(line 5\) says 329/,
    );
  });

  it('marks a cut table (no trailer)', () => {
    const snap = readDumpHeapStat(G2(ROWS), 'cut.txt');
    expect(snap.meta.estimated).toBe(true);
    expect(snap.meta.estimateReasons.join()).toMatch(/may have been cut/);
  });

  it('marks elided rows', () => {
    const snap = readDumpHeapStat(G2([ROWS[0], '...', ROWS[2]], 'Total 329 objects'), 'elided.txt');
    expect(snap.meta.estimateReasons.join('\n')).toMatch(/elision/);
  });

  it('marks a heap walk that hit corruption, naming the line', () => {
    const text = [
      '0:000> !dumpheap -stat',
      'object 0a1b2c3d: does not have valid MT',
      'curr_object : 0a1b2c3d',
      'Last good object: 0a1b2c00',
      '----------------',
      G2(ROWS, 'Total 329 objects'),
    ].join('\n');
    const snap = readDumpHeapStat(text, 'corrupt.txt');
    expect(snap.meta.estimated).toBe(true);
    expect(snap.meta.estimateReasons[0]).toMatch(
      /incomplete heap walk \(line 2: object 0a1b2c3d: does not have valid MT\)/,
    );
    expect(snap.stats.map((s) => s.name)).toEqual(['System.String', 'Contoso.Settings']);
  });

  it('marks a row it could not read inside the table', () => {
    const snap = readDumpHeapStat(G2([ROWS[0], 'zz garbage zz', ROWS[2]], 'Total 312 objects'), 'odd.txt');
    expect(snap.meta.estimateReasons.join('\n')).toMatch(
      /line 4 inside the table could not be read: "zz garbage zz"/,
    );
  });

  it('rejects SOS output that has no statistics because the heap could not be walked', () => {
    const text =
      '> dumpheap -stat\nThe GC heap is not in a valid state for traversal.  (Use -ignoreGCState to override.)\n';
    expect(() => readDumpHeapStat(text, 'midgc.txt')).toThrow(FormatError);
    expect(() => readDumpHeapStat(text, 'midgc.txt')).toThrow(
      /midgc\.txt: SOS could not walk the heap.*line 2/,
    );
  });

  it('rejects text that is not SOS output, naming the file and the first line that does not fit', () => {
    expect(() => readDumpHeapStat('Statistics:\nhello world\nsecond line\n', 'notes.txt')).toThrow(
      /notes\.txt: no 'dumpheap -stat' table found; line 1 does not fit: "Statistics:"/,
    );
    expect(() => readDumpHeapStat('just some notes\n', 'n.txt')).toThrow(
      /line 1 does not fit: "just some notes"/,
    );
  });

  it('merges rows that share a canonical name (two method tables, e.g. two load contexts)', () => {
    const rows = [
      '79b1c2d4        2           48 Contoso.Settings',
      '79b1c2d8        3           72 Contoso.Settings',
    ];
    const snap = readDumpHeapStat(G2(rows, 'Total 5 objects'), 'alc.txt');
    expect(snap.stats).toEqual([{ name: 'Contoso.Settings', count: 5, bytes: 120 }]);
  });
});

describe('absurd numbers', () => {
  it('rejects a count no heap can hold, naming the file and line', () => {
    const text =
      'MT    Count    TotalSize Class Name\n00007ff8a1b2c3d4 99999999999999999999 123 System.String\nTotal 99999999999999999999 objects\n';
    expect(() => readDumpHeapStat(text, 'huge.txt')).toThrow(
      /huge\.txt: line 2: count 99999999999999999999 is larger than any \.NET heap can hold/,
    );
  });
});
