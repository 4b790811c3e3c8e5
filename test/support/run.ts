/**
 * Runs a command to completion without blocking the test worker. Tests must not use spawnSync or
 * execFileSync for anything slow: while a worker is blocked it cannot answer the test runner, and
 * after a minute (easily reached by tsc or esbuild on a loaded machine) vitest reports
 * `Timeout calling "onTaskUpdate"` even though every test passed.
 */
import { spawn, type SpawnOptions } from 'node:child_process';

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: readonly string[],
  opts: Pick<SpawnOptions, 'cwd' | 'env' | 'timeout'> = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}
