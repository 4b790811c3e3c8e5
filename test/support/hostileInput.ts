import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type CliResult } from './cli.js';

/** A temporary folder for crafted inputs; call `remove` in afterAll. */
export function hostileDir(prefix: string): {
  path(name: string, content: Uint8Array | string): string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), `heapgate-${prefix}-`));
  return {
    path(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * CPU milliseconds `fn` takes (the parsers' own time budget, without process start-up). CPU
 * rather than wall time, so that a machine busy with other work does not fail a budget that
 * a quadratic parser misses by minutes.
 */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(start);
  return { value, ms: (used.user + used.system) / 1000 };
}

/** Runs the built CLI and checks it refused the input as bad: exit 2, one line on stderr, no stack. */
export async function expectBadInput(args: string[], line: RegExp): Promise<CliResult> {
  const res = await runCli(args, { timeoutMs: 60_000 });
  expect(res.stderr).toMatch(line);
  expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(res.stderr).not.toMatch(/\n\s+at |RangeError|ReferenceError/);
  expect(res.code).toBe(2);
  return res;
}
