/**
 * `heapgate test -- <command>`: runs a test command with a channel open for Heapgate.Testing, takes
 * the checkpoints the tests ask for, evaluates their assertions, and reports the whole run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { collectGcdump } from '../collect/collectors.js';
import { UsageError } from '../errors.js';
import { loadSnapshot } from '../snapshot/load.js';
import { spawnInGroup } from '../tools/processGroup.js';
import { openChannel } from './channel.js';
import { CHANNEL_ENV, OUT_DIR_ENV } from './protocol.js';
import { TestSession, type TestSessionIO } from './session.js';
import { buildTestReport, type TestRunReport } from './testReport.js';

export interface RunTestsOptions {
  command: string;
  args: readonly string[];
  outDir: string;
  tool: string;
  /** Working directory of the test command (default: heapgate's). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Longest time for one checkpoint's collection. */
  collectTimeoutMs?: number;
  /** Where the test command's output goes (default: heapgate's own stdout/stderr). */
  quiet?: boolean;
}

export function defaultSessionIO(
  options: { env?: NodeJS.ProcessEnv; collectTimeoutMs?: number } = {},
): TestSessionIO {
  return {
    collect: (pid, file) =>
      collectGcdump(pid, file, {
        ...(options.env ? { env: options.env } : {}),
        ...(options.collectTimeoutMs !== undefined ? { timeoutMs: options.collectTimeoutMs } : {}),
      }),
    load: (file) => loadSnapshot(file, { graph: true }),
    writeText: async (file, text) => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    },
    now: () => new Date(),
  };
}

export async function runTests(options: RunTestsOptions): Promise<TestRunReport> {
  const outDir = resolve(options.outDir);
  const session = new TestSession(outDir, defaultSessionIO(options), options.tool);
  const channel = await openChannel((line) => session.handleLine(line));
  let exitCode: number | null;
  try {
    exitCode = await runCommand(options, {
      ...(options.env ?? process.env),
      [CHANNEL_ENV]: channel.address,
      [OUT_DIR_ENV]: outDir,
    });
  } finally {
    await channel.close();
  }
  return buildTestReport({
    tool: options.tool,
    generatedAt: new Date().toISOString(),
    command: [options.command, ...options.args].join(' '),
    commandExitCode: exitCode,
    checkpoints: session.checkpoints,
    assertions: session.assertions,
  });
}

function runCommand(options: RunTestsOptions, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnInGroup(options.command, options.args, {
      env,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', options.quiet ? 'ignore' : 'inherit'],
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new UsageError(`cannot run '${options.command}': no such command (is it on PATH?)`)
          : new UsageError(`cannot run '${options.command}': ${err.message}`),
      );
    });
    child.once('exit', (code) => resolvePromise(code));
  });
}
