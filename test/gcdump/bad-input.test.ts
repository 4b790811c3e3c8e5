import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { FormatError } from '../../src/errors.js';
import { appendixGraph, writeGcdump } from '../support/gcdumpWriter.js';
import { runCli } from '../support/cli.js';
import { readGcdump } from '../../src/formats/gcdump/index.js';
import { completeSnapshot } from '../../src/stats/completeSnapshot.js';

/** The reader, with statistics computed from what it read as loadSnapshot does. */
const readSnapshot = (...args: Parameters<typeof readGcdump>) => completeSnapshot(readGcdump(...args));

const dir = mkdtempSync(join(tmpdir(), 'heapgate-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real dotnet-gcdump file of the scenario app (the bundled example). */
const real = new Uint8Array(readFileSync(new URL('../../examples/leaky-cache.gcdump', import.meta.url)));
const small = writeGcdump(appendixGraph());

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Parses and returns the FormatError, failing the test on success or on any other error. */
function formatErrorOf(bytes: Uint8Array, name = 'x.gcdump'): FormatError {
  try {
    readSnapshot(bytes, name);
  } catch (err) {
    if (err instanceof FormatError) return err;
    throw new Error(`expected a FormatError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a FormatError, but the file parsed');
}

/** Reads `bytes` both ways (graph and statistics only); anything but success or a FormatError fails the test. */
function parsesOrFormatError(bytes: Uint8Array): void {
  for (const graph of [true, false]) {
    try {
      readSnapshot(bytes, 'm.gcdump', { graph });
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
    }
  }
}

function patchI32(bytes: Uint8Array, at: number, v: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setInt32(at, v, true);
  return copy;
}

describe('files that are not snapshots', () => {
  it('rejects an empty file', async () => {
    await expect(loadSnapshot(file('empty.gcdump', ''))).rejects.toThrow(
      /empty\.gcdump: at byte 0: the file is empty/,
    );
  });
  it('rejects text that is not a snapshot, showing what it starts with', async () => {
    await expect(loadSnapshot(file('notes.gcdump', 'hello world, not a heap\n'))).rejects.toThrow(
      /notes\.gcdump: not a recognised snapshot.*line 1.*hello world/,
    );
  });
  it('explains a Git LFS pointer', async () => {
    const lfs = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n';
    await expect(loadSnapshot(file('lfs.gcdump', lfs))).rejects.toThrow(/Git LFS pointer.*git lfs pull/);
  });
  it('names a missing file', async () => {
    await expect(loadSnapshot(join(dir, 'nope.gcdump'))).rejects.toThrow(/nope\.gcdump: no such file/);
  });
});

describe('damaged snapshots', () => {
  it('reports truncation at every offset of a small file with a position and what was expected', () => {
    for (let cut = 24; cut < small.length; cut++) {
      const err = formatErrorOf(small.subarray(0, cut));
      expect(err.message).toMatch(/^x\.gcdump: at byte \d+: /);
    }
  });

  it('reports truncation of a real snapshot at sampled offsets', () => {
    for (let cut = 24; cut < real.length; cut += 997) {
      expect(formatErrorOf(real.subarray(0, cut)).offset).toBeTypeOf('number');
    }
  });

  it('rejects a corrupt type count, including 2^31-1 and -2^31', () => {
    // Type count sits right after totalSize (i64) and rootIndex (i32) at 0x54 in dotnet-gcdump files.
    expect(formatErrorOf(patchI32(real, 0x60, 0x7fffffff)).message).toMatch(
      /at byte 96: type count is 2147483647, which needs/,
    );
    expect(formatErrorOf(patchI32(real, 0x60, -0x80000000)).message).toMatch(/type count is negative/);
  });

  it('rejects an out-of-range root index', () => {
    expect(formatErrorOf(patchI32(small, 0x5c, 99)).message).toMatch(
      /at byte 92: root node index 99 is outside the 9 nodes/,
    );
  });

  it('rejects a node offset outside the blob', () => {
    expect(formatErrorOf(patchI32(small, 0x209, 5000)).message).toMatch(
      /at byte 521: node 0's record offset 5000 is outside/,
    );
  });

  it('rejects a child that points outside the graph', () => {
    const bad = small.slice();
    bad[0x235] = 0x3f; // node 6's only child delta: +63 -> node 69
    expect(formatErrorOf(bad).message).toMatch(/node 6: child index 69 is outside the 9 nodes/);
  });

  it('rejects a type index outside the type table', () => {
    const bad = small.slice();
    bad[0x233] = 0x3e; // node 6: type 31
    expect(formatErrorOf(bad).message).toMatch(/node 6: type index 31 is outside the 9-entry type table/);
  });

  it('rejects node sizes that disagree with the header total', () => {
    const bad = small.slice();
    bad[0x23d] = 0x23; // node 8's explicit size 34 -> 35
    expect(formatErrorOf(bad).message).toMatch(
      /node sizes add up to 137 bytes but the graph header says 136/,
    );
  });

  it('rejects a wrong header and unknown object types', () => {
    const bad = small.slice();
    bad[6] = 0x58;
    expect(formatErrorOf(bad).message).toMatch(/not a \.gcdump file/);
    const renamed = small.slice();
    renamed[0x28] = 'X'.charCodeAt(0); // "GCHeapDump" -> "GXHeapDump"
    expect(formatErrorOf(renamed).message).toMatch(/unsupported object type 'GXHeapDump'/);
  });

  it('never throws anything but a FormatError on random mutations of a real snapshot', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: real.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.option(fc.nat({ max: real.length }), { nil: undefined }),
        (flips, cut) => {
          const bytes = real.slice(0, cut);
          for (const [at, v] of flips) if (at < bytes.length) bytes[at] = v;
          parsesOrFormatError(bytes);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws anything but a FormatError on mutations in the container and graph header', () => {
    // Most random flips land in the node blob; these concentrate on the structural bytes.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 0x200 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (flips) => {
          const bytes = real.slice();
          for (const [at, v] of flips) bytes[at] = v;
          parsesOrFormatError(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the CLI on bad input', () => {
  it('prints one clear line naming the file and offset, no stack trace, exit code 2', async () => {
    const p = file('cut.gcdump', real.subarray(0, 5000));
    const res = await runCli(['stat', p]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^heapgate: .*cut\.gcdump: at byte \d+: .*truncated/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
  it('rejects bad option values with exit code 2', async () => {
    const res = await runCli(['stat', 'examples/leaky-cache.gcdump', '--top', 'ten']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--top.*expected a whole number, got 'ten'/);
  });
});
