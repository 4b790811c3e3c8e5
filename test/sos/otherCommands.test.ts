import { afterAll, describe, expect, it } from 'vitest';
import { detectTextKind } from '../../src/formats/sos/detect.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { FormatError } from '../../src/errors.js';
import { hostileDir } from '../support/hostileInput.js';

const files = hostileDir('other-sos-commands');
afterAll(() => files.remove());

// The layout of sos-text-formats §9: field token, offset and type look like a bare dumpheap row.
const FIELD_TABLE = [
  '              MT    Field   Offset                 Type VT     Attr            Value Name',
  '00007ff8a0001111  4000017        8        System.String  0 instance 00007f00aa000010 _id',
  '00007ff8a0002222  4000018       10         System.Int32  1 instance               42 _qty',
  '00007ff8a0003333  4000019       18 ...ts.OrderLineList  0   static 0000000000000000 s_lines',
].join('\n');

async function refusal(text: string): Promise<string> {
  const file = files.path('pasted.txt', text);
  const err = await loadSnapshot(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FormatError);
  return (err as Error).message;
}

describe('SOS output that is not per-type statistics', () => {
  it('a dumpobj field table is not read as dumpheap rows (field tokens are not counts)', async () => {
    expect(detectTextKind(FIELD_TABLE)).toBeNull();
    expect(await refusal(FIELD_TABLE)).toMatch(/this is SOS 'dumpobj' output \(an object's field table\)/);
  });

  it('bare CLR 1.x dumpheap rows are still read', () => {
    const rows = ['0x79b925c8        3           72 System.String', '0x79b9a7f8        2           48 Foo'];
    expect(detectTextKind(rows.join('\n'))).toBe('sos-dumpheap');
  });

  it('objsize listings are refused even though they carry a statistics table', async () => {
    const text = [
      'Objects which 7fe467c53c90 (Contoso.Order) transitively keep alive:',
      '',
      '         Address               MT           Size',
      '    7fe467c53c90     7ff0423d0018             40',
      '',
      'Statistics:',
      '          MT Count TotalSize Class Name',
      '7ff0423d0018     1        40 Contoso.Order',
      'Total 1 objects, 40 bytes',
    ].join('\n');
    expect(detectTextKind(text)).toBe('sos-dumpheap');
    expect(await refusal(text)).toMatch(/this is SOS 'objsize' output \(what one object keeps alive/);
  });

  it('text that is no known command still quotes the first line that does not fit', async () => {
    expect(await refusal('hello\nworld\n')).toMatch(/line 1 does not fit: "hello"/);
  });
});
