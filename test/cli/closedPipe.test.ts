/**
 * A reader that goes away early (`heapgate stat x.gcdump | head -1`) ends heapgate's output
 * quietly: no "Error: write EPIPE", no stack trace, and the command's own exit code.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { cliPath, repoRoot } from '../support/cli.js';
import { writeGcdump, type WriterGraph } from '../support/gcdumpWriter.js';
import { run } from '../support/run.js';

let dir: string;
let big: string;

/** A .gcdump with 3,000 types of long names: `stat` prints far more than a pipe buffer holds. */
function bigGraph(types: number): WriterGraph {
  const names = Array.from({ length: types }, (_, i) => ({
    name: `Contoso.Orders.Processing.Pipeline.Stage${i}.SomeRatherLongTypeNameThatFillsTheLine`,
    size: 24 + (i % 100),
  }));
  return {
    types: [{ name: 'UNDEFINED', size: 0 }, { name: '[.NET Roots]', size: 0 }, ...names],
    nodes: [
      { type: 1, children: names.map((_, i) => i + 1) },
      ...names.map((_, i) => ({ type: i + 2, address: 0x7f0000000000 + i * 0x100 })),
    ],
    root: 0,
  };
}

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'heapgate-pipe-'));
  big = join(dir, 'big.gcdump');
  writeFileSync(big, writeGcdump(bigGraph(3000)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `heapgate <args> | head -1` in bash: heapgate's exit code and stderr, and what head printed. */
async function pipedToHead(args: string[]): Promise<{ code: number | null; stderr: string; first: string }> {
  const err = join(dir, 'stderr.txt');
  const r = await run(
    'bash',
    ['-c', '"$NODE_BIN" "$CLI" "$@" 2>"$ERR" | head -1; exit "${PIPESTATUS[0]}"', 'sh', ...args],
    {
      cwd: repoRoot,
      timeout: 60_000,
      env: { ...process.env, NODE_BIN: process.execPath, CLI: cliPath, ERR: err },
    },
  );
  return { code: r.status, stderr: readFileSync(err, 'utf8'), first: r.stdout };
}

/** Runs the CLI with its stdout read by nobody: the read end is closed before heapgate writes. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('closed pipes end quietly', () => {
  const commands: Array<[string[], number]> = [
    [['stat', 'examples/leaky-cache.gcdump'], 0],
    [['diff', 'examples/steady.gcdump', 'examples/leaky-cache.gcdump', '--json'], 0],
    [['check', 'examples/leaky-cache.gcdump', '--baseline', 'baselines/example.json'], 1],
  ];
  for (const [args, expected] of commands) {
    it(`heapgate ${args.join(' ')} with nobody reading stdout`, async () => {
      const r = await runWithClosedStdout(args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(expected);
    });
  }

  it('heapgate stat big.gcdump | head -1', async () => {
    const r = await pipedToHead(['stat', big]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.first).toMatch(/^snapshot\s+\S*big\.gcdump\n$/);
  });

  it('heapgate diff a b --json | head -1', async () => {
    const r = await pipedToHead(['diff', join(repoRoot, 'examples/steady.gcdump'), big, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.first).toBe('{\n');
  });
});
