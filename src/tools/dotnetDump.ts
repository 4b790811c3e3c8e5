/**
 * Runs `dotnet-dump analyze <dump> -c ... -c exit` and streams its output line by line, so a
 * dump of any size is examined by the tool and never read into this process.
 */
import type { ChildProcess } from 'node:child_process';
import { FormatError, ToolError } from '../errors.js';
import { killGroup, spawnInGroup, untrackGroup } from './processGroup.js';
import { requireTool } from './discovery.js';

export interface AnalyzeOptions {
  /** Path of dotnet-dump; found with the usual tool search when absent. */
  toolPath?: string;
  /** Kill dotnet-dump after this long. Default 15 minutes. */
  timeoutMs?: number;
}

/** Return 'stop' to end the session early (e.g. enough sample addresses were seen). */
export type LineSink = (line: string) => 'stop' | void;

export const DEFAULT_ANALYZE_TIMEOUT_MS = 15 * 60 * 1000;

// Messages dotnet-dump prints (to stdout) when it cannot work with a dump at all.
const NO_RUNTIME =
  /No CLR runtime found|can not be found, loaded or downloaded|Failed to (?:find|load) (?:the )?(?:runtime|DAC)/i;
const UNREADABLE =
  /Unable to load the header|Unhandled exception|I\/O error occurred|not a valid (?:core|dump)|Invalid dump|File does not exist/i;

/** Runs the commands against `dump`, passing each stdout line to `sink`; rejects with an actionable error. */
export async function analyzeDump(
  dump: string,
  commands: string[],
  sink: LineSink,
  options: AnalyzeOptions = {},
): Promise<void> {
  const tool = options.toolPath ?? requireTool('dotnet-dump');
  const args = ['analyze', dump, ...commands.flatMap((c) => ['-c', c]), '-c', 'exit'];
  const timeoutMs = options.timeoutMs ?? DEFAULT_ANALYZE_TIMEOUT_MS;
  const child = spawnInGroup(tool, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Invariant culture: numbers come out as 1,234 whatever the machine's locale is.
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  const problems: string[] = [];
  const stderr: string[] = [];
  let stoppedEarly = false;
  let timedOut = false;

  const stop = () => {
    if (child.pid !== undefined) void killGroup(child.pid, 1000);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, timeoutMs);

  const exit = waitForExit(child);
  forEachLine(child.stdout, (line) => {
    if (stoppedEarly) return;
    if (NO_RUNTIME.test(line) || UNREADABLE.test(line)) problems.push(line.trim());
    if (sink(line) === 'stop') {
      stoppedEarly = true;
      stop();
    }
  });
  forEachLine(child.stderr, (line) => {
    if (stderr.length < 40 && line.trim() !== '') stderr.push(line.trim());
  });

  let code: number | null;
  try {
    code = await exit;
  } finally {
    clearTimeout(timer);
  }
  if (stoppedEarly) return;
  if (timedOut) {
    throw new ToolError(
      `dotnet-dump analyze did not finish within ${Math.round(timeoutMs / 1000)} s on ${dump} (commands: ${commands.join('; ')}); ` +
        'very large dumps need a longer time limit',
    );
  }
  const noRuntime = problems.find((p) => NO_RUNTIME.test(p));
  if (noRuntime) {
    throw new FormatError(
      dump,
      undefined,
      'dotnet-dump found no .NET runtime in this dump: it is a dump of a process that does not run .NET, ' +
        `or the runtime's debugging library (DAC) for it is not available on this machine (dotnet-dump said: "${noRuntime}")`,
    );
  }
  const unreadable = problems.find((p) => UNREADABLE.test(p)) ?? stderr.find((l) => UNREADABLE.test(l));
  if (unreadable) {
    throw new FormatError(
      dump,
      undefined,
      `dotnet-dump could not read the dump (${unreadable}); the file may be damaged or truncated`,
    );
  }
  if (code !== 0) {
    const detail = [...problems, ...stderr].slice(0, 6).join(' | ');
    throw new ToolError(
      `dotnet-dump analyze failed on ${dump} (exit code ${code})${detail ? `: ${detail}` : ''}`,
    );
  }
}

/** Runs the commands and returns stdout as text (for outputs that are small, such as `dumpheap -stat`). */
export async function analyzeDumpText(
  dump: string,
  commands: string[],
  options: AnalyzeOptions = {},
): Promise<string> {
  const lines: string[] = [];
  await analyzeDump(dump, commands, (line) => void lines.push(line), options);
  return lines.join('\n');
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      if (child.pid !== undefined) untrackGroup(child.pid);
      reject(new ToolError(`could not run dotnet-dump: ${err.message}`));
    });
    child.on('close', (code) => {
      if (child.pid !== undefined) void killGroup(child.pid, 500);
      resolve(code);
    });
  });
}

function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
    pending = '';
  });
}
