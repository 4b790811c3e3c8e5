/**
 * Unpacking artifact archives that anyone's run may have uploaded: entries that would land outside
 * the folder, links, lying sizes and oversized files refuse the whole archive with one line.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARCHIVE_LIMITS, extractWanted } from '../../action/archive.js';
import { writeZip } from '../support/zip.js';

const root = mkdtempSync(join(tmpdir(), 'heapgate-archive-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const good = { name: 'baseline.json', data: Buffer.from('{"schemaVersion":1}') };
let n = 0;
const target = () => join(root, `out-${++n}`, 'inner');

describe('extractWanted', () => {
  it('writes only the files asked for', async () => {
    const dir = target();
    const zip = writeZip([
      good,
      { name: 'sub/report.md', data: Buffer.from('# hi'), deflate: true },
      { name: 'other.txt', data: Buffer.from('x') },
    ]);
    expect(await extractWanted(zip, dir, ['baseline.json', 'sub/report.md'], 'artifact a (id 1)')).toEqual([
      'baseline.json',
      'sub/report.md',
    ]);
    expect(readFileSync(join(dir, 'sub', 'report.md'), 'utf8')).toBe('# hi');
    expect(existsSync(join(dir, 'other.txt'))).toBe(false);
  });

  it.each([
    [
      'a ../ entry',
      [good, { name: '../escape.json', data: Buffer.from('x') }],
      /is refused: invalid relative path: \.\.\/escape\.json/,
    ],
    [
      'a nested ../ entry',
      [good, { name: 'a/../../b.json', data: Buffer.from('x') }],
      /is refused: invalid relative path/,
    ],
    [
      'an absolute entry',
      [good, { name: '/etc/cron.d/x', data: Buffer.from('x') }],
      /is refused: absolute path: \/etc\/cron\.d\/x/,
    ],
    [
      'a symbolic link',
      [{ name: 'baseline.json', data: Buffer.from('/etc/passwd'), symlink: true }],
      /is refused: entry 'baseline\.json' is a symbolic link/,
    ],
    [
      'an entry that lies about its size',
      [{ ...good, claimedSize: 3 }],
      /is refused: .*(too many bytes|size)/i,
    ],
    [
      'an oversized file',
      [{ name: 'baseline.json', data: Buffer.alloc(ARCHIVE_LIMITS.maxFileBytes + 1), deflate: true }],
      /is refused: entry 'baseline\.json' unpacks to 67108865 bytes, more than the 67108864 accepted/,
    ],
  ])('refuses %s, writing nothing', async (_name, entries, message) => {
    const dir = target();
    const err = await extractWanted(writeZip(entries), dir, ['baseline.json'], 'artifact a (id 1)').catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^artifact a \(id 1\) is refused: /);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
    expect(existsSync(join(dir, '..'))).toBe(false);
    expect(existsSync(join(root, 'escape.json'))).toBe(false);
  });

  it('refuses what is not a zip archive', async () => {
    await expect(
      extractWanted(Buffer.from('<html>'), target(), ['baseline.json'], 'artifact b (id 2)'),
    ).rejects.toThrow(/^artifact b \(id 2\) is refused: it is not a readable zip archive/);
  });
});
