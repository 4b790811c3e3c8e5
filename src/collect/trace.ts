/**
 * Recording an EventPipe trace of a running .NET process with `dotnet-trace collect`: the GC
 * AllocationTick events (GC keyword at verbose level), with stacks, plus the loader and JIT events
 * and the end-of-session rundown that name the methods on those stacks.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { ToolError } from '../errors.js';
import { requireTool } from '../tools/discovery.js';
import { killGroup, spawnInGroup, untrackGroup } from '../tools/processGroup.js';
import { tailLines } from '../tools/run.js';
import type { CollectedFile } from './collectors.js';

/** GC (0x1) + Loader (0x8) + Jit (0x10) keywords at level 5: AllocationTick and MethodLoadVerbose. */
export const ALLOCATION_PROVIDERS = 'Microsoft-Windows-DotNETRuntime:0x19:5';

export interface TraceOptions {
  toolPath?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the session to start (default 60 s) and to stop (default 120 s). */
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

/** A trace being recorded; `stop()` ends the session (the rundown runs then) and waits for the file. */
export interface TraceSession {
  readonly file: string;
  stop(): Promise<CollectedFile>;
  /** Ends the session without keeping the file (a run that failed or finished early). */
  discard(): Promise<void>;
}

/** Starts `dotnet-trace collect -p <pid>` and resolves once the session is recording. */
export async function startAllocationTrace(
  pid: number,
  outFile: string,
  options: TraceOptions = {},
): Promise<TraceSession> {
  const tool = options.toolPath ?? requireTool('dotnet-trace', { env: options.env });
  const file = resolve(outFile);
  const started = Date.now();
  const child = spawnInGroup(
    tool,
    ['collect', '-p', String(pid), '-o', file, '--providers', ALLOCATION_PROVIDERS],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...(options.env ?? process.env), DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited: number | null | undefined;
  const exit = new Promise<void>((res) =>
    child.on('exit', (code) => {
      exited = code;
      if (child.pid !== undefined) untrackGroup(child.pid);
      res();
    }),
  );
  const fail = (why: string) =>
    new ToolError(`dotnet-trace ${why} (pid ${pid}):\n${tailLines(output, 15).join('\n')}`);
  const startDeadline = started + (options.startTimeoutMs ?? 60_000);
  // dotnet-trace names its output file once the runtime has opened the session.
  while (!/Output File/.test(output) && !(existsSync(file) && statSync(file).size > 0)) {
    if (exited !== undefined) throw fail(`exited with code ${exited} before the trace started`);
    if (Date.now() > startDeadline) {
      await stopChild(child);
      throw fail('did not start recording in time');
    }
    await delay(50);
  }
  return {
    file,
    async stop(): Promise<CollectedFile> {
      const t0 = Date.now();
      if (exited === undefined) child.kill('SIGINT');
      const timeout = options.stopTimeoutMs ?? 120_000;
      const done = await exitWithin(exit, timeout);
      if (!done) {
        await stopChild(child);
        throw fail(`did not finish the trace within ${Math.round(timeout / 1000)} s`);
      }
      if (exited !== 0) throw fail(`exited with code ${exited}`);
      return { file, bytes: statSync(file).size, durationMs: Date.now() - t0, toolOutput: output.trim() };
    },
    async discard(): Promise<void> {
      if (exited === undefined) {
        child.kill('SIGINT');
        const done = await exitWithin(exit, 10_000);
        if (!done) await stopChild(child);
      }
      rmSync(file, { force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid !== undefined) await killGroup(child.pid);
}

/** True once `exit` settles, false after `ms` (the timer is cleared either way: it must not keep heapgate alive). */
async function exitWithin(exit: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([exit.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
