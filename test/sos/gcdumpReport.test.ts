import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { parseGcdumpReport, readGcdumpReport } from '../../src/formats/sos/gcdumpReport.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { collectScenarioSnapshots } from '../support/scenario.js';
import { gcdumpReport } from '../support/tools.js';
import { gcdumpNameAsCanonical, gcdumpReportText } from '../support/referenceText.js';

type Rows = Map<string, { count: number; bytes: number }>;

/** Rows of the test-only reader, by canonical name: count, and size of one instance × count. */
function referenceRows(text: string): Rows {
  const rows: Rows = new Map();
  for (const r of gcdumpReportText(text).rows) {
    const name = gcdumpNameAsCanonical(r.name);
    const prev = rows.get(name) ?? { count: 0, bytes: 0 };
    rows.set(name, { count: prev.count + r.count, bytes: prev.bytes + r.size * r.count });
  }
  return rows;
}

/** Sorted [name, count, bytes] rows: equal tables have the same types, nothing missing or extra. */
const table = (rows: Rows) =>
  [...rows].map(([n, r]) => [n, r.count, r.bytes]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
const statRows = (stats: { name: string; count: number; bytes: number }[]): Rows =>
  new Map(stats.map((s) => [s.name, { count: s.count, bytes: s.bytes }]));

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'sos');

describe('dotnet-gcdump report text', () => {
  it('reads the real report of the cache scenario: exact counts, size x count bytes, marked estimated', () => {
    const text = readFileSync(join(fixtures, 'gcdump-report.txt'), 'utf8');
    const snap = readGcdumpReport(text, 'report.txt');
    expect(snap.meta.format).toBe('gcdump-report');
    expect(snap.meta.estimated).toBe(true);
    expect(snap.meta.estimateReasons[0]).toMatch(/size of one instance/);
    // Oracle: every row, read by the test-only reader; both directions, count and bytes.
    expect(table(statRows(snap.stats))).toEqual(table(referenceRows(text)));
    expect(snap.stats.length).toBeGreaterThan(50);
    expect(snap.stats.find((s) => s.name === 'HeapgateScenarios.Leaks.CacheEntry')?.count).toBe(1000);
    // The exact heap size comes from the summary line.
    expect(snap.totals.bytes).toBe(
      Number(/^ +([\d,]+) {2}GC Heap bytes$/m.exec(text)![1].replaceAll(',', '')),
    );
  });

  it('merges size buckets of one type', () => {
    const text = [
      '        300,000  GC Heap bytes',
      '             10  GC Heap objects',
      '',
      '   Object Bytes     Count  Type',
      '        200,024         1  System.Byte[] (Bytes > 100K)  [System.Private.CoreLib.dll]',
      '         10,024         2  System.Byte[] (Bytes > 10K)  [System.Private.CoreLib.dll]',
      '             40         5  System.Byte[]  [System.Private.CoreLib.dll]',
      '             24         1  Entry<System.Int32,Contoso.Item>[]',
    ].join('\n');
    const snap = readGcdumpReport(text, 'r.txt');
    expect(snap.stats).toEqual([
      { name: 'System.Byte[]', count: 8, bytes: 200_024 + 2 * 10_024 + 5 * 40 },
      { name: 'Entry<System.Int32,Contoso.Item>[]', count: 1, bytes: 24 },
    ]);
    expect(snap.totals).toEqual({ objects: 9, bytes: 300_000 });
  });

  it('reads culture-formatted numbers and rows without a count', () => {
    const r = parseGcdumpReport(
      '   Object Bytes     Count  Type\n      1.234.567     1.000  A.B\n             24            C.D\n',
      'x',
    );
    expect(r.rows.map((x) => [x.name, x.instanceBytes, x.count])).toEqual([
      ['A.B', 1_234_567, 1000],
      ['C.D', 24, 0],
    ]);
  });

  it('rejects text without report rows', () => {
    expect(() => readGcdumpReport('   Object Bytes     Count  Type\nnothing here\n', 'bad.txt')).toThrow(
      FormatError,
    );
    expect(() => readGcdumpReport('   Object Bytes     Count  Type\nnothing here\n', 'bad.txt')).toThrow(
      /bad\.txt: .*line 2 does not fit: "nothing here"/,
    );
  });

  it('counts what the .gcdump itself holds (live report of a freshly collected gcdump)', async () => {
    const files = await collectScenarioSnapshots('static-list', {
      rounds: 1,
      perRound: 300,
      checkpoints: ['round-1'],
    });
    const gcdump = files['round-1'];
    const fromFile = await loadSnapshot(gcdump);
    const report = await gcdumpReport(gcdump);
    const fromReport = readGcdumpReport(report, 'report');
    const reference = referenceRows(report);
    // heapgate's report reader against the test-only reader of the same text, both directions.
    expect(table(statRows(fromReport.stats))).toEqual(table(reference));
    // And the counts of the .gcdump itself against the report's, both directions.
    const fileCounts = new Map<string, number>();
    for (const s of fromFile.stats) {
      const name = gcdumpNameAsCanonical(s.name);
      fileCounts.set(name, (fileCounts.get(name) ?? 0) + s.count);
    }
    const refCounts = new Map([...reference].map(([name, r]) => [name, r.count]));
    expect(fileCounts).toEqual(refCounts);
    expect(refCounts.get('HeapgateScenarios.Leaks.LeakedOrder')).toBe(600);
  });
});

describe('absurd numbers in report text', () => {
  it('rejects a count no heap can hold, naming the file and line', () => {
    const text =
      '        263,884  GC Heap bytes\n          3,765  GC Heap objects\n\n   Object Bytes     Count  Type\n         29,450  99999999999999999999  System.String  [System.Private.CoreLib.dll]\n';
    expect(() => readGcdumpReport(text, 'r.txt')).toThrow(
      /r\.txt: line 5: count 99999999999999999999 is larger than any \.NET heap can hold/,
    );
  });
});
