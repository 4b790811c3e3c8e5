/**
 * Drives a scenario command through heapgate's checkpoint protocol:
 *
 *   stdout  `heapgate:pid <pid>`            (optional) the process to snapshot, when the command wraps it
 *   stdout  `heapgate:checkpoint <label>`   the app has forced a full GC and waits on stdin
 *   stdin   `continue` | `exit`             run the next round | exit now (EOF also means exit)
 *   stdout  `heapgate:done`                 last round finished; the app exits 0
 *
 * Other output is passed to `onOutput`. The command runs in its own process group, which is
 * always killed when the scenario ends, fails, times out, or heapgate exits.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { HeapgateError } from '../errors.js';
import { killGroup, spawnInGroup } from '../tools/processGroup.js';

export interface ScenarioTimeouts {
  /** Longest wait from start or `continue()` to the next checkpoint (or done). Default 120 s. */
  checkpointMs?: number;
  /** Longest life of the whole scenario. Default: none. */
  totalMs?: number;
  /** Time between SIGTERM and SIGKILL when stopping the process group. Default 3 s. */
  killGraceMs?: number;
}

export interface ScenarioProcessOptions {
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeouts?: ScenarioTimeouts;
  /** Receives every output line that is not part of the protocol. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** An existing app's own ready line and reply, instead of (as well as) heapgate's protocol. */
  protocol?: ScenarioProtocol;
}

/**
 * For an app that does not speak heapgate's protocol: a stdout line matching `checkpoint` is a
 * checkpoint (its label: the named group `label`, else the first group, else the whole match; a
 * bare number n becomes `round-n`), and `continueWith` is what resumes the app (null: the app does
 * not wait, nothing is written). `heapgate:` lines keep working.
 */
export interface ScenarioProtocol {
  checkpoint?: RegExp;
  continueWith?: string | null;
}

/** The checkpoint label a custom ready line gives. */
export function labelOf(match: RegExpExecArray): string {
  const raw = (match.groups?.label ?? match[1] ?? match[0]).trim();
  if (/^\d+$/.test(raw)) return `round-${Number(raw)}`;
  return raw === '' ? 'checkpoint' : raw;
}

export type ScenarioStep = { kind: 'checkpoint'; label: string } | { kind: 'done' };

export interface ScenarioExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The scenario command failed: it crashed, exited early, or did not reach a checkpoint in time. */
export class ScenarioError extends HeapgateError {
  override name = 'ScenarioError';
  constructor(
    message: string,
    readonly exit: ScenarioExit | undefined,
    readonly stderrTail: readonly string[],
  ) {
    super(
      stderrTail.length === 0
        ? message
        : `${message}\nlast lines of its stderr:\n  ${stderrTail.join('\n  ')}`,
    );
  }
}

const PID_LINE = /^heapgate:pid (\d+)\s*$/;
const CHECKPOINT_LINE = /^heapgate:checkpoint (\S(?:.*\S)?)\s*$/;
const DONE_LINE = /^heapgate:done\s*$/;
const STDERR_TAIL_LINES = 20;
/** After the leader exits, how long to wait for its output pipes to drain before finishing. */
const PIPE_DRAIN_MS = 500;

type Waiter = { resolve: (step: ScenarioStep) => void; reject: (err: Error) => void };

export class ScenarioProcess {
  readonly spawnedPid: number;
  readonly commandLine: string;
  private readonly child: ChildProcess;
  private readonly checkpointMs: number;
  private readonly killGraceMs: number;
  private readonly onOutput: ScenarioProcessOptions['onOutput'];
  private readonly protocol: ScenarioProtocol;
  private readonly steps: ScenarioStep[] = [];
  private readonly stderrTail: string[] = [];
  private waiter: Waiter | undefined;
  private waitTimer: NodeJS.Timeout | undefined;
  private totalTimer: NodeJS.Timeout | undefined;
  private reported: number | undefined;
  private lastLabel: string | undefined;
  private atCheckpoint = false;
  private resumedAt = Date.now();
  private exitInfo: ScenarioExit | undefined;
  private finished = false;
  private readonly finishedPromise: Promise<void>;
  private markFinished!: () => void;
  private failure: ScenarioError | undefined;
  private cleanup: Promise<void> | undefined;

  private constructor(options: ScenarioProcessOptions) {
    const args = options.args ?? [];
    this.commandLine = [options.command, ...args].map(quoteForDisplay).join(' ');
    this.checkpointMs = options.timeouts?.checkpointMs ?? 120_000;
    this.killGraceMs = options.timeouts?.killGraceMs ?? 3000;
    this.onOutput = options.onOutput;
    this.protocol = options.protocol ?? {};
    this.finishedPromise = new Promise((resolve) => (this.markFinished = resolve));

    this.child = spawnInGroup(options.command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (this.child.pid === undefined) {
      // spawn reports ENOENT and friends asynchronously, but without a pid nothing was started.
      this.spawnedPid = -1;
    } else {
      this.spawnedPid = this.child.pid;
    }
    this.child.stdin?.on('error', () => {
      // EPIPE when the app is gone: the exit handler reports what happened.
    });
    createInterface({ input: this.child.stdout!, crlfDelay: Infinity }).on('line', (line) =>
      this.onStdout(line),
    );
    createInterface({ input: this.child.stderr!, crlfDelay: Infinity }).on('line', (line) =>
      this.onStderr(line),
    );
    this.child.on('error', (err) => {
      this.exitInfo ??= { code: null, signal: null };
      this.fail(
        new ScenarioError(
          `could not start scenario command ${this.commandLine}: ${err.message}`,
          undefined,
          [],
        ),
      );
      this.finish();
    });
    this.child.on('exit', (code, signal) => {
      this.exitInfo = { code, signal };
      // Output may still be in the pipes; a grandchild holding them open must not stall us forever.
      setTimeout(() => this.finish(), PIPE_DRAIN_MS).unref();
    });
    this.child.on('close', () => this.finish());

    const totalMs = options.timeouts?.totalMs;
    if (totalMs !== undefined) {
      this.totalTimer = setTimeout(() => {
        void this.failAndKill(
          `scenario command ${this.commandLine} was still running after the overall limit of ${formatMs(totalMs)}` +
            `${this.lastLabel === undefined ? '' : ` (last checkpoint "${this.lastLabel}")`}; its process group was killed`,
        );
      }, totalMs);
      this.totalTimer.unref();
    }
  }

  /** Starts `command args` in a new process group. */
  static start(options: ScenarioProcessOptions): ScenarioProcess {
    return new ScenarioProcess(options);
  }

  /** The process to snapshot: the pid the app reported, else the one heapgate spawned. */
  get pid(): number {
    return this.reported ?? this.spawnedPid;
  }

  /** The pid announced by `heapgate:pid`, if any. */
  get reportedPid(): number | undefined {
    return this.reported;
  }

  /** Exit status once the command has exited. */
  get exit(): ScenarioExit | undefined {
    return this.exitInfo;
  }

  /** Label of the most recent checkpoint. */
  get label(): string | undefined {
    return this.lastLabel;
  }

  /**
   * Waits for the next checkpoint (the app is then paused until `continue()`/`exitNow()`), or for
   * the end of the scenario. Rejects with a ScenarioError on a crash or timeout; the process group
   * is already gone when it does.
   */
  next(): Promise<ScenarioStep> {
    if (this.waiter !== undefined)
      return Promise.reject(new Error('ScenarioProcess.next() is already pending'));
    const queued = this.steps.shift();
    if (queued !== undefined) return Promise.resolve(this.take(queued));
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.finished) return this.endOfOutput();
    return new Promise<ScenarioStep>((resolve, reject) => {
      this.waiter = { resolve, reject };
      const remaining = Math.max(0, this.resumedAt + this.checkpointMs - Date.now());
      this.waitTimer = setTimeout(() => {
        const after =
          this.lastLabel === undefined ? 'after it started' : `after checkpoint "${this.lastLabel}"`;
        void this.failAndKill(
          `scenario command ${this.commandLine} did not reach a checkpoint within ${formatMs(this.checkpointMs)} ${after}; ` +
            `its process group was killed. A scenario must print "heapgate:checkpoint <label>" when it is ready ` +
            `to be snapshotted; if a round legitimately takes longer, raise the checkpoint timeout`,
        );
      }, remaining);
    });
  }

  /** Lets the paused app run its next round. */
  continue(): void {
    if (!this.atCheckpoint)
      throw new Error('ScenarioProcess.continue() called while the app is not at a checkpoint');
    this.atCheckpoint = false;
    this.resumedAt = Date.now();
    const reply = this.protocol.continueWith === undefined ? 'continue' : this.protocol.continueWith;
    if (reply !== null) this.child.stdin?.write(`${reply}\n`);
  }

  /**
   * Asks the app to exit (stdin `exit`, then EOF), waits up to the kill grace period, and then
   * kills whatever remains of its process group. Safe to call at any time, more than once.
   */
  async stop(): Promise<ScenarioExit | undefined> {
    if (!this.finished && this.child.stdin?.writable) {
      // An app with its own ready line may read any text as a command: it only gets end of input.
      if (this.protocol.checkpoint === undefined) this.child.stdin.write('exit\n');
      this.child.stdin.end();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.killGraceMs)));
      await Promise.race([this.finishedPromise, grace]);
      clearTimeout(timer);
    }
    await this.killAll();
    return this.exitInfo;
  }

  /** Kills the process group now (SIGTERM, then SIGKILL). Idempotent. */
  async kill(): Promise<void> {
    await this.killAll();
  }

  private take(step: ScenarioStep): ScenarioStep {
    this.atCheckpoint = step.kind === 'checkpoint';
    if (step.kind === 'checkpoint') this.lastLabel = step.label;
    return step;
  }

  private deliver(step: ScenarioStep): void {
    const waiter = this.waiter;
    if (waiter === undefined) {
      this.steps.push(step);
      return;
    }
    this.clearWait();
    waiter.resolve(this.take(step));
  }

  private onStdout(line: string): void {
    const pid = PID_LINE.exec(line);
    if (pid !== null) {
      this.reported ??= Number(pid[1]);
      return;
    }
    const checkpoint = CHECKPOINT_LINE.exec(line);
    if (checkpoint !== null) return this.deliver({ kind: 'checkpoint', label: checkpoint[1] });
    if (DONE_LINE.test(line)) return this.deliver({ kind: 'done' });
    this.onOutput?.(line, 'stdout');
    const own = this.protocol.checkpoint?.exec(line);
    if (own) this.deliver({ kind: 'checkpoint', label: labelOf(own) });
  }

  private onStderr(line: string): void {
    if (line.trim() !== '') {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    }
    this.onOutput?.(line, 'stderr');
  }

  /** The command's output ended: deliver "done" for a clean exit, an error otherwise. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.totalTimer) clearTimeout(this.totalTimer);
    this.markFinished();
    // Anything the command left in its group goes too, before the caller hears about the end.
    const cleanup = this.killAll();
    // With a failure already recorded, failAndKill (or fail) answers the waiter.
    if (this.waiter !== undefined && this.failure === undefined) {
      const waiter = this.waiter;
      this.clearWait();
      void cleanup.then(() => this.endOfOutput()).then(waiter.resolve, waiter.reject);
    }
  }

  private endOfOutput(): Promise<ScenarioStep> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const exit = this.exitInfo ?? { code: null, signal: null };
    if (exit.code === 0) return Promise.resolve({ kind: 'done' });
    const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const when =
      this.lastLabel === undefined ? 'before its first checkpoint' : `after checkpoint "${this.lastLabel}"`;
    this.failure = new ScenarioError(`scenario command ${this.commandLine} ${how} ${when}`, exit, [
      ...this.stderrTail,
    ]);
    return Promise.reject(this.failure);
  }

  private fail(error: ScenarioError): void {
    this.failure ??= error;
    const waiter = this.waiter;
    this.clearWait();
    waiter?.reject(this.failure);
  }

  /** Timeouts: kill first, so that when the caller sees the error the group is gone. */
  private async failAndKill(message: string): Promise<void> {
    if (this.failure !== undefined || this.finished) return;
    const error = new ScenarioError(message, this.exitInfo, [...this.stderrTail]);
    this.failure = error;
    await this.killAll();
    this.fail(error);
  }

  private clearWait(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    this.waiter = undefined;
  }

  private killAll(): Promise<void> {
    if (this.spawnedPid < 0) return Promise.resolve();
    this.cleanup ??= killGroup(this.spawnedPid, this.killGraceMs).finally(() => {
      if (this.totalTimer) clearTimeout(this.totalTimer);
    });
    return this.cleanup;
  }
}

/** Quotes an argument for messages when it has spaces or shell-special characters. */
function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
