import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { detectKind } from '../../src/formats/registry.js';
import { loadSnapshot } from '../../src/snapshot/load.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'sos');
const bytes = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
const tmp = mkdtempSync(join(tmpdir(), 'heapgate-sos-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = join(tmp, name);
  writeFileSync(file, content);
  return file;
}

describe('content detection of text inputs', () => {
  it.each([
    ['dotnet-dump-stat.txt', 'sos-dumpheap'],
    ['dotnet-dump-type-listing.txt', 'sos-dumpheap'],
    ['dotnet-dump-interactive.txt', 'sos-dumpheap'],
    ['variants/g0-clr1.txt', 'sos-dumpheap'],
    ['variants/g1-narrow.txt', 'sos-dumpheap'],
    ['variants/g4-fr-nbsp.txt', 'sos-dumpheap'],
    ['gcdump-report.txt', 'gcdump-report'],
    ['dotnet-dump-gcroot.txt', 'sos-gcroot'],
    ['gcroot-variants/gcroot-g1.txt', 'sos-gcroot'],
    ['gcroot-variants/gcroot-g2.txt', 'sos-gcroot'],
  ])('%s is %s', (file, kind) => {
    expect(detectKind(bytes(file))).toBe(kind);
  });

  it('ignores the extension', () => {
    expect(detectKind(new TextEncoder().encode('hello\n'))).toBe('text');
    expect(detectKind(new Uint8Array([0, 1, 2, 3, 0, 0]))).toBe('unknown');
  });
});

describe('loadSnapshot on text', () => {
  it('loads a dumpheap capture saved by PowerShell (UTF-16 with BOM) under any name', async () => {
    const text = readFileSync(join(fixtures, 'variants/g2-windbg-64.txt'), 'utf8');
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, 'utf16le'))]);
    const snap = await loadSnapshot(write('heap.gcdump', utf16));
    expect(snap.meta.format).toBe('sos-dumpheap');
    expect(snap.stats[0]).toEqual({
      name: 'Entry<System.String,Contoso.Item>[]',
      count: 5,
      bytes: 1_234_560,
    });
  });

  it('finds the statistics after a listing longer than the sniffed head', async () => {
    const listing = Array.from(
      { length: 5000 },
      (_, i) => `${(0x21a5c3e9b70 + i * 24).toString(16).padStart(16, '0')} 00007ff8a1b2c000       24     `,
    );
    const text = [
      '0:000> !dumpheap',
      '         Address               MT     Size',
      ...listing,
      '',
      readFileSync(join(fixtures, 'variants/g2-windbg-64.txt'), 'utf8'),
    ].join('\n');
    const file = write('long.txt', text);
    expect(detectKind(new Uint8Array(readFileSync(file)).subarray(0, 64 * 1024))).toBe('text');
    const snap = await loadSnapshot(file);
    expect(snap.totals.objects).toBe(12_052);
  });

  it('loads dotnet-gcdump report text', async () => {
    const snap = await loadSnapshot(join(fixtures, 'gcdump-report.txt'));
    expect(snap.meta.format).toBe('gcdump-report');
    expect(snap.meta.estimated).toBe(true);
  });

  it('says that gcroot output holds no statistics', async () => {
    await expect(loadSnapshot(join(fixtures, 'dotnet-dump-gcroot.txt'))).rejects.toThrow(
      /gcroot' output: it holds root paths/,
    );
  });

  it('rejects other text, naming the file and the first line that does not fit', async () => {
    const file = write('notes.txt', '\n  Meeting notes: the cache leaks\nmore\n');
    const err = await loadSnapshot(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toBe(
      `${file}: not a recognised snapshot: this text is not SOS 'dumpheap -stat' output, 'dotnet-gcdump report' output or 'gcroot' output; line 2 does not fit: "Meeting notes: the cache leaks"`,
    );
  });
});
