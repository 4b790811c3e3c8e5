/** Taking one snapshot of a running .NET process with the real diagnostics tools. */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ToolError } from '../errors.js';
import { runCommand, tailLines, type RunResult } from '../tools/run.js';
import { requireTool } from '../tools/discovery.js';

export type DumpType = 'full' | 'heap';

export interface CollectOptions {
  /** Give up after this long. Defaults: 120 s for gcdumps, 600 s for dumps. */
  timeoutMs?: number;
  /** Path of the tool to run instead of searching for it. */
  toolPath?: string;
  env?: NodeJS.ProcessEnv;
}

export interface CollectDumpOptions extends CollectOptions {
  /** `full` (everything) or `heap` (no mapped images: smaller, enough for heap analysis). Default full. */
  type?: DumpType;
}

export interface CollectedFile {
  file: string;
  bytes: number;
  durationMs: number;
  /** Warnings and messages the tool printed (e.g. dotnet-gcdump's lossy-buffering warning). */
  toolOutput: string;
}

/** `dotnet-gcdump collect -p <pid> -o <outFile>`: forces a GC and writes the object graph. */
export async function collectGcdump(
  pid: number,
  outFile: string,
  options: CollectOptions = {},
): Promise<CollectedFile> {
  const tool = options.toolPath ?? requireTool('dotnet-gcdump', { env: options.env });
  const timeoutMs = options.timeoutMs ?? 120_000;
  // dotnet-gcdump has its own limit (whole seconds); ours is a backstop a little later.
  const toolTimeoutSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  return collectWith('dotnet-gcdump', 'gcdump', pid, outFile, timeoutMs + 15_000, options.env, tool, [
    'collect',
    '-p',
    String(pid),
    '-o',
    resolve(outFile),
    '--timeout',
    String(toolTimeoutSeconds),
  ]);
}

/** `dotnet-dump collect -p <pid> --type Full|Heap -o <outFile>`: a core dump (Linux) or minidump (Windows). */
export async function collectDump(
  pid: number,
  outFile: string,
  options: CollectDumpOptions = {},
): Promise<CollectedFile> {
  const tool = options.toolPath ?? requireTool('dotnet-dump', { env: options.env });
  const type = options.type === 'heap' ? 'Heap' : 'Full';
  return collectWith('dotnet-dump', 'dump', pid, outFile, options.timeoutMs ?? 600_000, options.env, tool, [
    'collect',
    '-p',
    String(pid),
    '--type',
    type,
    '-o',
    resolve(outFile),
  ]);
}

async function collectWith(
  toolName: string,
  what: string,
  pid: number,
  outFile: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv | undefined,
  tool: string,
  args: string[],
): Promise<CollectedFile> {
  if (!processExists(pid)) {
    throw new ToolError(
      `cannot collect a ${what} from process ${pid}: no such process (did it exit or crash?)`,
    );
  }
  const file = resolve(outFile);
  mkdirSync(dirname(file), { recursive: true });
  const result = await runCommand(tool, args, { env, timeoutMs });
  const bytes = fileSize(file);
  if (result.code === 0 && !result.timedOut && bytes > 0) {
    return { file, bytes, durationMs: result.durationMs, toolOutput: (result.stdout + result.stderr).trim() };
  }
  // Never leave a partial snapshot behind that a later step could mistake for a good one.
  rmSync(file, { force: true });
  throw new ToolError(describeFailure(toolName, what, pid, file, bytes, timeoutMs, result));
}

function describeFailure(
  toolName: string,
  what: string,
  pid: number,
  file: string,
  bytes: number,
  timeoutMs: number,
  result: RunResult,
): string {
  let why: string;
  if (result.timedOut) why = `it did not finish within ${Math.round(timeoutMs / 1000)}s and was stopped`;
  else if (result.code !== 0)
    why = result.signal ? `it was killed by ${result.signal}` : `it exited with code ${result.code}`;
  else why = bytes === 0 ? `it reported success but ${file} is missing or empty` : 'unknown failure';
  const output = tailLines(`${result.stdout}\n${result.stderr}`, 12);
  const gone = processExists(pid) ? '' : ` Process ${pid} no longer exists.`;
  return (
    `${toolName} could not collect a ${what} from process ${pid}: ${why}.${gone}\n` +
    (output.length > 0 ? `${toolName} said:\n  ${output.join('\n  ')}\n` : '') +
    `The target must be a running .NET (Core 3.0+) process of the same user, with a writable $TMPDIR shared ` +
    `with heapgate (the diagnostics IPC socket lives there).`
  );
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
