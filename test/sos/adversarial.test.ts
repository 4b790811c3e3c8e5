import { afterAll, describe, expect, it } from 'vitest';
import { detectTextKind } from '../../src/formats/sos/detect.js';
import { readDumpHeapStat } from '../../src/formats/sos/dumpheapStat.js';
import { parseGcdumpReport } from '../../src/formats/sos/gcdumpReport.js';
import { parseGcRoot } from '../../src/formats/sos/gcroot.js';
import { FormatError } from '../../src/errors.js';
import { expectBadInput, hostileDir, timed } from '../support/hostileInput.js';

const files = hostileDir('adversarial-sos');
afterAll(() => files.remove());

const HEADER = ['Statistics:', '              MT    Count    TotalSize Class Name'];
const TRAILER = 'Total 3 objects, 72 bytes';

/** Detects and reads `text` as `stat` would; returns the result and how long it took. */
function readTimed(text: string) {
  return timed(() => {
    const kind = detectTextKind(text);
    if (kind !== 'sos-dumpheap') return { kind };
    return { kind, snapshot: readDumpHeapStat(text, 'x.txt') };
  });
}

/** Anything but a FormatError fails; the time is what matters. */
function anyOutcome(fn: () => unknown): number {
  return timed(() => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
    }
  }).ms;
}

describe('SOS text built to make the readers backtrack', () => {
  it('100,000 blank lines before a table', () => {
    const text = `${'\n'.repeat(100_000)}${HEADER.join('\n')}\n00007ff8a1b2c3d4        3           72 App.Thing\n${TRAILER}\n`;
    const { value, ms } = readTimed(text);
    expect(value.kind).toBe('sos-dumpheap');
    expect(value.snapshot?.stats).toEqual([{ name: 'App.Thing', count: 3, bytes: 72 }]);
    expect(ms).toBeLessThan(1000);
  });

  it('1 MB of newlines, spaces and tabs', () => {
    for (const filler of ['\n', ' \n', '\t\r\n']) {
      const text = filler.repeat(Math.ceil(1_000_000 / filler.length));
      expect(anyOutcome(() => detectTextKind(text))).toBeLessThan(1000);
      expect(anyOutcome(() => readDumpHeapStat(text, 'x.txt'))).toBeLessThan(1000);
      expect(anyOutcome(() => parseGcdumpReport(text, 'x.txt'))).toBeLessThan(1000);
      expect(anyOutcome(() => parseGcRoot(text))).toBeLessThan(1000);
    }
  });

  it('a 200,000-space type name', () => {
    const name = `App.${' '.repeat(200_000)}Thing`;
    const text = [...HEADER, `00007ff8a1b2c3d4        3           72 ${name}`, TRAILER, ''].join('\n');
    const { value, ms } = readTimed(text);
    expect(ms).toBeLessThan(1000);
    // Compared without printing: a failed comparison of a 200,000-character name takes minutes to show.
    expect(value.snapshot?.stats[0].name === name).toBe(true);
    expect(value.snapshot?.stats[0].count).toBe(3);
    for (const long of [`App.${'x'.repeat(200_000)}<T>`, `App.${'x.'.repeat(100_000)}T`]) {
      const row = [...HEADER, `00007ff8a1b2c3d4        3           72 ${long}`, TRAILER, ''].join('\n');
      const read = readTimed(row);
      expect(read.ms).toBeLessThan(1000);
      expect(read.value.snapshot?.stats[0].name === long).toBe(true);
    }
    for (const line of [
      `Object Bytes   Count  Type\n24  3  ${name}  [App.dll]\n`,
      `Object Bytes   Count  Type\n24  3  ${name}\n`,
      `Object Bytes   Count  Type\n24  3  (${' '.repeat(200_000)}x\n`,
    ]) {
      expect(anyOutcome(() => detectTextKind(line))).toBeLessThan(1000);
      expect(anyOutcome(() => parseGcdumpReport(line, 'x.txt'))).toBeLessThan(1000);
    }
    for (const junk of [
      `${' '.repeat(200_000)}x`,
      `<${'cut'.repeat(70_000)}`,
      `...(${' '.repeat(200_000)}x`,
      `0x1234 ${' '.repeat(200_000)}x`,
      `  -> 0000 ${' '.repeat(200_000)}x`,
    ]) {
      const text = [...HEADER, '00007ff8a1b2c3d4        3           72 App.Thing', junk, TRAILER, ''].join(
        '\n',
      );
      expect(anyOutcome(() => detectTextKind(junk))).toBeLessThan(1000);
      expect(anyOutcome(() => readDumpHeapStat(text, 'x.txt'))).toBeLessThan(1000);
      expect(anyOutcome(() => parseGcRoot(`HandleTable:\n${junk}\n`))).toBeLessThan(1000);
    }
  });

  it('a name wrapped over 10,000 continuation lines', () => {
    const parts = Array.from({ length: 10_000 }, (_, i) => `Arg${i},`);
    const text = [
      ...HEADER,
      `00007ff8a1b2c3d4        3           72 App.Thing<`,
      ...parts,
      'End>',
      TRAILER,
      '',
    ].join('\n');
    const { value, ms } = readTimed(text);
    expect(ms).toBeLessThan(1000);
    expect(value.snapshot?.stats[0].name === `App.Thing<${parts.join('')}End>`).toBe(true);
  });
});

describe('numbers no heap can hold in dotnet-gcdump report text', () => {
  it('a 20-digit count is refused when the file is read, naming the line', async () => {
    const text = [
      '        1,234  GC Heap bytes',
      '           12  GC Heap objects',
      '',
      '   Object Bytes     Count  Type',
      '             24  12345678901234567890  App.Thing  [App.dll]',
      '             24         3  App.Other  [App.dll]',
      '',
    ].join('\n');
    await expectBadInput(
      ['stat', files.path('report.txt', text)],
      /report\.txt: line 5: count 12345678901234567890 is larger than any \.NET heap can hold/,
    );
    await expectBadInput(
      [
        'baseline',
        'record',
        files.path('report.txt', text),
        '--scenario',
        'huge',
        '--out',
        files.path('b.json', ''),
      ],
      /report\.txt: line 5: count/,
    );
  });
});
