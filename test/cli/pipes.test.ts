/**
 * Snapshots read from pipes: `cat x.gcdump | heapgate stat -` and `/dev/stdin` read like the file
 * itself, errors name what the user gave, and a named pipe nobody writes to is given up, not waited
 * on forever.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { cliPath, repoRoot, runCli } from '../support/cli.js';

let dir: string;
const steady = join(repoRoot, 'examples/steady.gcdump');

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'heapgate-pipes-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI with `input` written to its stdin through a pipe. */
function runWithStdin(args: string[], input: Uint8Array | string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => {}); // heapgate may refuse before reading it all
    child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

function totals(json: string): { objects: number; bytes: number } {
  return (JSON.parse(json) as { totals: { objects: number; bytes: number } }).totals;
}

describe('standard input', () => {
  for (const arg of ['-', '/dev/stdin']) {
    it(`cat x.gcdump | heapgate stat ${arg} reads it like the file`, async () => {
      const direct = await runCli(['stat', steady, '--json']);
      expect(direct.code).toBe(0);
      const piped = await runWithStdin(['stat', arg, '--json'], readFileSync(steady));
      expect(piped.stderr).toBe('');
      expect(piped.code).toBe(0);
      const doc = JSON.parse(piped.stdout) as { meta: { source: string } };
      expect(doc.meta.source).toBe(arg === '-' ? '<stdin>' : arg);
      expect(totals(piped.stdout)).toEqual(totals(direct.stdout));
    });
  }

  it('heapgate stat - < x.gcdump and heapgate diff - head < baseline.json', async () => {
    const redirected = (args: string[], file: string) =>
      spawnSync(process.execPath, [cliPath, ...args], {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: [openSync(file, 'r'), 'pipe', 'pipe'],
        timeout: 30_000,
      });
    const stat = redirected(['stat', '-', '--json'], steady);
    expect(stat.stderr).toBe('');
    expect(stat.status).toBe(0);
    expect(totals(stat.stdout)).toEqual(totals((await runCli(['stat', steady, '--json'])).stdout));
    const diff = redirected(
      ['diff', '-', 'examples/leaky-cache.gcdump', '--json'],
      join(repoRoot, 'baselines/example.json'),
    );
    expect(diff.stderr).toBe('');
    expect(JSON.parse(diff.stdout)).toMatchObject({ base: { source: '<stdin>', format: 'baseline' } });
  });

  it('errors in piped input name <stdin>, not a temporary file', async () => {
    const r = await runWithStdin(['stat', '-'], readFileSync(steady).subarray(0, 100));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^heapgate: <stdin>: at byte \d+: .*truncated/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain(tmpdir());
  });

  it('a baseline piped into diff', async () => {
    const r = await runWithStdin(
      ['diff', '-', 'examples/leaky-cache.gcdump', '--json'],
      readFileSync(join(repoRoot, 'baselines/example.json')),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ base: { source: '<stdin>', format: 'baseline' } });
  });
});

describe('named pipes', () => {
  it('are read when a program writes to them', async () => {
    const fifo = join(dir, 'written.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = runWithStdin(['stat', fifo, '--json'], '');
    const writer = spawn('sh', ['-c', 'sleep 0.5; cat "$0" > "$1"', steady, fifo]);
    const r = await reader;
    writer.kill();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ meta: { source: fifo } });
  });

  it('with no writer: one line after HEAPGATE_PIPE_WAIT, not a hang', async () => {
    const fifo = join(dir, 'unused.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = await runWithStdin(['stat', fifo], '', { HEAPGATE_PIPE_WAIT: '1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `heapgate: ${fifo}: a named pipe that no program opened for writing within 1 s (set HEAPGATE_PIPE_WAIT=<seconds> to wait longer)\n`,
    );
    expect(r.ms).toBeLessThan(15_000);
  });

  it('devices are refused with one line', async () => {
    const r = await runCli(['stat', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'heapgate: /dev/zero: is a device or socket, not a snapshot file; save its output to a file first\n',
    );
  });
});
