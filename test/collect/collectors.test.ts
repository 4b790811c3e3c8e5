import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectDump, collectGcdump } from '../../src/collect/collectors.js';
import { ToolError } from '../../src/errors.js';
import { withScenario } from '../support/scenario.js';
import { dumpAnalyze, gcdumpReport } from '../support/tools.js';
import { reportCounts } from '../support/referenceText.js';

const scratch = mkdtempSync(join(tmpdir(), 'heapgate-collectors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function firstBytes(file: string, n: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, 0);
    return buf;
  } finally {
    closeSync(fd);
  }
}

describe('collectGcdump', () => {
  it('writes a non-empty .gcdump of the paused process that dotnet-gcdump itself can read', async () => {
    await withScenario('cache', { rounds: 1, perRound: 123 }, async (s) => {
      expect(await s.checkpoint()).toBe('warmup');
      const out = join(scratch, 'nested', 'dir', 'cache.gcdump');
      const result = await collectGcdump(s.pid, out);
      expect(result.file).toBe(out);
      expect(result.bytes).toBe(statSync(out).size);
      expect(result.bytes).toBeGreaterThan(1000);
      // FastSerialization files start with the "!FastSerialization.1" tag after a length prefix.
      expect(firstBytes(out, 40).toString('latin1')).toContain('!FastSerialization.1');
      const counts = reportCounts(await gcdumpReport(out));
      expect(counts.get('HeapgateScenarios.Leaks.CacheEntry')).toBe(123);
    });
  });

  it('a process that is not .NET: ToolError with the tool output, and no file left behind', async () => {
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const out = join(scratch, 'not-dotnet.gcdump');
      const error = await collectGcdump(sleeper.pid!, out, { timeoutMs: 10_000 }).catch(
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(ToolError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `dotnet-gcdump could not collect a gcdump from process ${sleeper.pid}: it exited with code \\d+`,
        ),
      );
      expect((error as Error).message).toContain('Failed to collect gcdump');
      expect(existsSync(out)).toBe(false);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('a pid that does not exist is reported as such, without running the tool', async () => {
    const child = spawn('true');
    await new Promise((resolve) => child.on('exit', resolve));
    await expect(collectGcdump(child.pid!, join(scratch, 'gone.gcdump'))).rejects.toThrow(
      new RegExp(`cannot collect a gcdump from process ${child.pid}: no such process`),
    );
  });
});

describe('collectDump', () => {
  it('writes a heap core dump of the paused process that dotnet-dump can analyse', async () => {
    await withScenario('static-list', { rounds: 1, perRound: 77 }, async (s) => {
      await s.checkpoint();
      s.continue();
      expect(await s.checkpoint()).toBe('round-1');
      const out = join(scratch, 'static-list.dmp');
      const result = await collectDump(s.pid, out, { type: 'heap' });
      expect(result.bytes).toBeGreaterThan(1 << 20);
      expect(firstBytes(out, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // ELF core file
      const stat = await dumpAnalyze(out, ['dumpheap -stat -type HeapgateScenarios.Leaks.LeakedOrder']);
      // (1 warm-up + 1 round) × 77
      expect(stat).toMatch(/\s154\s+\S+\s+HeapgateScenarios\.Leaks\.LeakedOrder\s*$/m);
    });
  });
});
