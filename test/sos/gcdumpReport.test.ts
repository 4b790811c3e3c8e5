import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { parseGcdumpReport, readGcdumpReport } from '../../src/formats/sos/gcdumpReport.js';
import { canonicalTypeName } from '../../src/model/typeNames.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { collectScenarioSnapshots } from '../support/scenario.js';
import { gcdumpReport } from '../support/tools.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'sos');

describe('dotnet-gcdump report text', () => {
  it('reads the real report of the cache scenario: exact counts, size x count bytes, marked estimated', () => {
    const text = readFileSync(join(fixtures, 'gcdump-report.txt'), 'utf8');
    const snap = readGcdumpReport(text, 'report.txt');
    expect(snap.meta.format).toBe('gcdump-report');
    expect(snap.meta.estimated).toBe(true);
    expect(snap.meta.estimateReasons[0]).toMatch(/size of one instance/);
    // Oracle: the rows of the app's own types, read with a compact regex.
    for (const m of text.matchAll(
      /^ +([\d,]+) +([\d,]+) {2}(HeapgateScenarios\.\S+) {2}\[LeakScenarios\.dll\]$/gm,
    )) {
      const size = Number(m[1].replaceAll(',', ''));
      const count = Number(m[2].replaceAll(',', ''));
      expect(snap.stats.find((s) => s.name === m[3])).toEqual({ name: m[3], count, bytes: size * count });
    }
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
    const fromReport = readGcdumpReport(await gcdumpReport(gcdump), 'report');
    const fromFile = await loadSnapshot(gcdump);
    const fileCounts = new Map<string, number>();
    for (const s of fromFile.stats) {
      const name = canonicalTypeName(s.name, 'gcdump');
      fileCounts.set(name, (fileCounts.get(name) ?? 0) + s.count);
    }
    expect(fromReport.stats.find((s) => s.name === 'HeapgateScenarios.Leaks.LeakedOrder')?.count).toBe(600);
    for (const s of fromReport.stats) expect([s.name, fileCounts.get(s.name)]).toEqual([s.name, s.count]);
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
