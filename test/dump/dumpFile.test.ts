import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { checkDumpFile, sniffDumpKind } from '../../src/formats/dump/dumpFile.js';

const tmp = mkdtempSync(join(tmpdir(), 'heapgate-dumpfile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * A minimal Windows minidump: header, a stream directory with one Memory64ListStream
 * (type 9) describing `ranges` memory ranges, and `present` bytes of memory after it.
 */
function minidump(ranges: number[], present: number): Buffer {
  const listSize = 16 + 16 * ranges.length;
  const dirRva = 32;
  const listRva = dirRva + 12;
  const baseRva = listRva + listSize;
  const buf = Buffer.alloc(baseRva + present);
  buf.write('MDMP', 0, 'ascii');
  buf.writeUInt32LE(0xa793, 4);
  buf.writeUInt32LE(1, 8);
  buf.writeUInt32LE(dirRva, 12);
  buf.writeUInt32LE(9, dirRva);
  buf.writeUInt32LE(listSize, dirRva + 4);
  buf.writeUInt32LE(listRva, dirRva + 8);
  buf.writeBigUInt64LE(BigInt(ranges.length), listRva);
  buf.writeBigUInt64LE(BigInt(baseRva), listRva + 8);
  ranges.forEach((size, i) => {
    buf.writeBigUInt64LE(0x10000n * BigInt(i + 1), listRva + 16 + 16 * i);
    buf.writeBigUInt64LE(BigInt(size), listRva + 16 + 16 * i + 8);
  });
  return buf;
}

describe('minidump structure checks', () => {
  it('accepts a complete minidump', async () => {
    const file = join(tmp, 'ok.dmp');
    writeFileSync(file, minidump([4096, 8192], 4096 + 8192));
    expect(sniffDumpKind(new Uint8Array(minidump([], 0)))).toBe('minidump');
    const info = await checkDumpFile(file, 'minidump');
    expect(info.expectedBytes).toBe(info.fileBytes);
  });

  it('reports a minidump whose memory was cut off', async () => {
    const file = join(tmp, 'cut.dmp');
    const full = minidump([4096, 8192], 4096 + 8192);
    writeFileSync(file, full.subarray(0, full.length - 5000));
    const err = await checkDumpFile(file, 'minidump').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toContain(
      `its headers describe ${full.length} bytes but the file has only ${full.length - 5000}`,
    );
  });

  it('reports a minidump cut inside its stream directory', async () => {
    const file = join(tmp, 'head.dmp');
    writeFileSync(file, minidump([4096], 4096).subarray(0, 40));
    await expect(checkDumpFile(file, 'minidump')).rejects.toThrow(
      /truncated: the stream directory at byte 32/,
    );
  });
});
