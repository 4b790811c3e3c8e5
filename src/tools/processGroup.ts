/**
 * Child processes that run in their own process group, so heapgate can always stop a command
 * together with everything it started (`dotnet run` -> app, shells -> background jobs).
 *
 * Every group started here is tracked until it is gone; if heapgate itself exits or is interrupted
 * first, the tracked groups are killed so no scenario is left running behind it.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';

const isWindows = process.platform === 'win32';
const liveGroups = new Set<number>();
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let handlersInstalled = false;

/** Spawns `command` as the leader of a new process group (a new job object tree on Windows). */
export function spawnInGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: !isWindows, windowsHide: true });
  if (child.pid !== undefined) trackGroup(child.pid);
  return child;
}

/** True while any process of the group led by `pgid` exists. */
export function isGroupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/**
 * Stops the whole group: SIGTERM, then SIGKILL if anything is still there after `graceMs`.
 * Resolves once the group is gone (or after a last SIGKILL that could not be confirmed).
 */
export async function killGroup(pgid: number, graceMs = 3000): Promise<void> {
  try {
    if (!isGroupAlive(pgid)) return;
    if (isWindows) {
      killTreeWindows(pgid);
    } else {
      signalGroup(pgid, 'SIGTERM');
      if (await waitUntilGone(pgid, graceMs)) return;
      signalGroup(pgid, 'SIGKILL');
    }
    await waitUntilGone(pgid, 5000);
  } finally {
    if (!isGroupAlive(pgid)) untrackGroup(pgid);
  }
}

/** Stops tracking a group that is known to be gone. */
export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
  if (liveGroups.size === 0) uninstallHandlers();
}

function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  installHandlers();
}

async function waitUntilGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isGroupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** Sends `signal` to the group; false when no process of the group exists any more. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    // A negative pid addresses the whole process group (POSIX); Windows has no groups.
    process.kill(isWindows ? pgid : -pgid, signal);
    return true;
  } catch {
    // ESRCH: nothing left. EPERM: the id now belongs to someone else's process (reuse), so ours is gone.
    return false;
  }
}

function killTreeWindows(pid: number): void {
  spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
}

function killAllNow(): void {
  for (const pgid of liveGroups) {
    if (isWindows) killTreeWindows(pgid);
    else signalGroup(pgid, 'SIGKILL');
  }
  liveGroups.clear();
}

function onParentExit(): void {
  killAllNow();
}

function onParentSignal(signal: NodeJS.Signals): void {
  killAllNow();
  uninstallHandlers();
  // Keep the default outcome of the signal (terminate) unless someone else handles it.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', onParentExit);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, onParentSignal);
}

function uninstallHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  process.off('exit', onParentExit);
  for (const signal of FORWARDED_SIGNALS) process.off(signal, onParentSignal);
}
