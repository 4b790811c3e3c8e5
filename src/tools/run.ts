/** Runs a command to completion in its own process group, capturing its output, with a time limit. */
import { ToolError } from '../errors.js';
import { killGroup, spawnInGroup, untrackGroup, isGroupAlive } from './processGroup.js';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command (and its group) after this long. Default: no limit. */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when stopping it. */
  killGraceMs?: number;
}

export interface RunResult {
  /** Exit code, or null when ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

/** Spawns `file args` and waits for it; never rejects for a non-zero exit (the caller judges that). */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawnInGroup(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            if (child.pid !== undefined) void killGroup(child.pid, options.killGraceMs);
          }, options.timeoutMs);

    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      if (child.pid !== undefined) untrackGroup(child.pid);
      reject(new ToolError(`could not run ${file}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const pid = child.pid;
      const finish = (): void =>
        resolve({
          code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          timedOut,
          durationMs: Date.now() - started,
        });
      // Whatever the command left behind in its group goes with it.
      if (pid !== undefined && isGroupAlive(pid))
        void killGroup(pid, options.killGraceMs).then(finish, finish);
      else {
        if (pid !== undefined) untrackGroup(pid);
        finish();
      }
    });
  });
}

/** The last `maxLines` non-empty lines of `text`, for error messages. */
export function tailLines(text: string, maxLines = 15): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(-maxLines);
}
