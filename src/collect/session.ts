/**
 * Run a scenario command and snapshot it at its checkpoints, or snapshot a process by pid.
 * Writes the snapshots plus a manifest (`heapgate-collect.json`) listing them in collection order,
 * which later steps (soak analysis) rely on.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { isWindowsDeviceName } from '../baseline/scenarioName.js';
import { collectDump, collectGcdump, type CollectedFile, type DumpType } from './collectors.js';
import {
  ScenarioError,
  ScenarioProcess,
  type ScenarioProtocol,
  type ScenarioExit,
  type ScenarioTimeouts,
} from './scenarioProcess.js';
import { requireTool } from '../tools/discovery.js';
import { startAllocationTrace, type TraceSession } from './trace.js';
import { scenarioEnvironment, type ScenarioEnvMode } from './scenarioEnv.js';

export type SnapshotKind = 'gcdump' | 'dump';

export const MANIFEST_FILE = 'heapgate-collect.json';
export const MANIFEST_SCHEMA = 'heapgate-collect/1';

export interface CollectedSnapshot {
  /** Checkpoint label (or `pid-<pid>` for a direct collection). */
  label: string;
  kind: SnapshotKind;
  /** Absolute path. */
  file: string;
  bytes: number;
  /** ISO-8601 time the collection finished. */
  collectedAt: string;
  /** How long the collection took: the scenario waits at its checkpoint meanwhile. */
  pauseMs: number;
  pid: number;
}

/** heapgate-collect.json. `file` entries are relative to the manifest's folder. */
export interface CollectManifest {
  schema: typeof MANIFEST_SCHEMA;
  command: string[] | null;
  pid: number;
  startedAt: string;
  finishedAt: string;
  exit: ScenarioExit | null;
  error: string | null;
  snapshots: Array<Omit<CollectedSnapshot, 'file'> & { file: string }>;
  /** Allocation traces (`--trace`), each from one collected checkpoint to the next. Absent without traces. */
  traces?: Array<Omit<CollectedTrace, 'file'> & { file: string }>;
}

/** An EventPipe trace of the allocations between two checkpoints (GC AllocationTick with stacks). */
export interface CollectedTrace {
  /** Checkpoint the trace started at. */
  from: string;
  /** Checkpoint the trace ended at: it holds the allocations that led to this checkpoint. */
  label: string;
  /** Absolute path. */
  file: string;
  bytes: number;
}

export interface CollectRunResult {
  snapshots: CollectedSnapshot[];
  traces: CollectedTrace[];
  manifestFile: string;
  pid: number;
  exit: ScenarioExit | undefined;
}

export interface CollectTimeouts extends ScenarioTimeouts {
  /** Limit for one snapshot collection. */
  collectMs?: number;
}

export interface CollectCommonOptions {
  kinds: readonly SnapshotKind[];
  dumpType?: DumpType;
  outDir: string;
  /** Replace existing files instead of refusing. */
  force?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Called after each snapshot is written. */
  onSnapshot?: (snapshot: CollectedSnapshot) => void;
  /** Tool messages worth showing (warnings printed by dotnet-gcdump, e.g.). */
  onToolOutput?: (text: string) => void;
}

export interface RunAndCollectOptions extends CollectCommonOptions {
  command: string;
  args?: readonly string[];
  cwd?: string;
  /** Which checkpoints to snapshot: every one (default) or these labels. */
  checkpoints?: readonly string[] | 'all';
  timeouts?: CollectTimeouts;
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * The command's environment: `clean` (default) is `env` without tokens, runner secrets and the
   * runner's file commands (see scenarioEnv.ts); `inherit` is all of `env`.
   */
  scenarioEnv?: ScenarioEnvMode;
  /**
   * Asked after each checkpoint's collection: true ends the run there, successfully (a soak run
   * of N rounds or a duration, over a scenario that would go on).
   */
  until?: (collected: readonly CollectedSnapshot[]) => boolean;
  /** The app's own ready line and reply, for an app that does not print `heapgate:checkpoint`. */
  protocol?: ScenarioProtocol;
  /**
   * Record an allocation trace (dotnet-trace) up to each collected checkpoint, from the previous
   * collected one (or the first checkpoint), named after the checkpoint it ends at (`round-2.nettrace`).
   */
  trace?: boolean;
}

/** Extension of each snapshot kind's files. */
export function snapshotExtension(kind: SnapshotKind): string {
  return kind === 'gcdump' ? '.gcdump' : '.dmp';
}

/**
 * File name for a checkpoint label: anything unsafe in a file name becomes `_`, and a name Windows
 * would open as a device (`CON.gcdump`, `nul.dmp`) gets a leading `_`.
 */
export function snapshotFileName(label: string, kind: SnapshotKind | 'nettrace'): string {
  const safe = label.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
  const name = safe + (kind === 'nettrace' ? '.nettrace' : snapshotExtension(kind));
  return isWindowsDeviceName(name) ? `_${name}` : name;
}

/**
 * Starts the scenario command, and at each wanted checkpoint collects every kind of snapshot
 * before letting it continue. Stops the command early once all named checkpoints are collected.
 * The manifest is written even when the run fails, listing what was collected, then the error is rethrown.
 */
export async function runAndCollect(options: RunAndCollectOptions): Promise<CollectRunResult> {
  const outDir = resolve(options.outDir);
  const wanted =
    options.checkpoints === undefined || options.checkpoints === 'all' ? 'all' : [...options.checkpoints];
  if (wanted !== 'all' && wanted.length === 0) throw new UsageError('no checkpoints given to collect');
  checkKinds(options.kinds, options.env);
  if (options.trace) requireTool('dotnet-trace', { env: options.env });
  const manifestFile = join(outDir, MANIFEST_FILE);
  const planned =
    wanted === 'all' ? [] : wanted.flatMap((label) => options.kinds.map((k) => snapshotFileName(label, k)));
  refuseOverwrite([manifestFile, ...planned.map((name) => join(outDir, name))], options.force);
  mkdirSync(outDir, { recursive: true });

  const startedAt = new Date().toISOString();
  const snapshots: CollectedSnapshot[] = [];
  const seen: string[] = [];
  const usedNames = new Set<string>();
  const scenario = ScenarioProcess.start({
    command: options.command,
    args: options.args,
    cwd: options.cwd,
    env: scenarioEnvironment(options.env ?? process.env, options.scenarioEnv ?? 'clean'),
    timeouts: options.timeouts,
    onOutput: options.onOutput,
    ...(options.protocol ? { protocol: options.protocol } : {}),
  });
  const perRun = { ...options, onToolOutput: oncePerRun(options.onToolOutput) };
  const traces: CollectedTrace[] = [];
  let tracing: { from: string; session: TraceSession } | undefined;
  let error: unknown;
  try {
    for (;;) {
      const step = await scenario.next();
      if (step.kind === 'done') break;
      seen.push(step.label);
      if (wanted === 'all' || wanted.includes(step.label)) {
        if (tracing) {
          // The scenario waits at its checkpoint: the session's rundown names every method.
          const done = await tracing.session.stop();
          // Named after the checkpoint it ends at: it holds the allocations that led there.
          const file = join(outDir, uniqueTraceName(step.label, usedNames));
          refuseOverwrite([file], options.force);
          renameSync(done.file, file);
          traces.push({ from: tracing.from, label: step.label, file, bytes: done.bytes });
          tracing = undefined;
        }
        for (const kind of options.kinds) {
          const file = join(outDir, uniqueName(step.label, kind, usedNames));
          refuseOverwrite([file], options.force);
          snapshots.push(await collectOne(scenario.pid, step.label, kind, file, perRun));
        }
      }
      if (wanted !== 'all' && wanted.every((label) => seen.includes(label))) break;
      if (options.until?.(snapshots)) break;
      // Traces run from a checkpoint to the next collected one (from the first checkpoint when the
      // ones in between are not collected).
      if (options.trace && tracing === undefined) {
        const file = join(outDir, `.${snapshotFileName(step.label, 'nettrace')}.partial`);
        tracing = {
          from: step.label,
          session: await startAllocationTrace(scenario.pid, file, { env: options.env }),
        };
      }
      scenario.continue();
    }
    const missing = wanted === 'all' ? [] : wanted.filter((label) => !seen.includes(label));
    if (missing.length > 0) {
      throw new ScenarioError(
        `scenario command ${scenario.commandLine} finished without reaching checkpoint(s) ${missing.map((l) => `"${l}"`).join(', ')}; ` +
          `it reached: ${seen.length === 0 ? 'none' : seen.map((l) => `"${l}"`).join(', ')}`,
        scenario.exit,
        [],
      );
    }
    if (wanted === 'all' && seen.length === 0) {
      throw new ScenarioError(
        `scenario command ${scenario.commandLine} finished without printing any "heapgate:checkpoint <label>" line${options.protocol?.checkpoint ? ` or line matching /${options.protocol.checkpoint.source}/` : ''}, so nothing was collected`,
        scenario.exit,
        [],
      );
    }
  } catch (err) {
    error = err;
  } finally {
    // A trace no later checkpoint ended (the scenario finished first) has no rundown: dropped.
    if (tracing) await tracing.session.discard();
    await scenario.stop();
  }
  writeManifest(manifestFile, {
    command: [options.command, ...(options.args ?? [])],
    pid: scenario.pid,
    startedAt,
    exit: scenario.exit,
    error,
    snapshots,
    traces,
  });
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what the run threw, after the manifest is written
  if (error !== undefined) throw error;
  return { snapshots, traces, manifestFile, pid: scenario.pid, exit: scenario.exit };
}

/** Collects each kind once from a running process; files are named `pid-<pid>.<ext>`. */
export async function collectFromPid(
  options: CollectCommonOptions & { pid: number; timeouts?: Pick<CollectTimeouts, 'collectMs'> },
): Promise<CollectRunResult> {
  if (!Number.isInteger(options.pid) || options.pid <= 0)
    throw new UsageError(`invalid process id: ${options.pid}`);
  checkKinds(options.kinds, options.env);
  const outDir = resolve(options.outDir);
  const label = `pid-${options.pid}`;
  const manifestFile = join(outDir, MANIFEST_FILE);
  const files = options.kinds.map((kind) => join(outDir, snapshotFileName(label, kind)));
  refuseOverwrite([manifestFile, ...files], options.force);
  mkdirSync(outDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const snapshots: CollectedSnapshot[] = [];
  for (const [i, kind] of options.kinds.entries()) {
    snapshots.push(await collectOne(options.pid, label, kind, files[i], options));
  }
  writeManifest(manifestFile, {
    command: null,
    pid: options.pid,
    startedAt,
    exit: undefined,
    error: undefined,
    snapshots,
  });
  return { snapshots, traces: [], manifestFile, pid: options.pid, exit: undefined };
}

async function collectOne(
  pid: number,
  label: string,
  kind: SnapshotKind,
  file: string,
  options: CollectCommonOptions & { timeouts?: Pick<CollectTimeouts, 'collectMs'> },
): Promise<CollectedSnapshot> {
  const common = { timeoutMs: options.timeouts?.collectMs, env: options.env };
  const started = performance.now();
  const result: CollectedFile =
    kind === 'gcdump'
      ? await collectGcdump(pid, file, common)
      : await collectDump(pid, file, { ...common, type: options.dumpType });
  // dotnet-gcdump's progress lines are noise; its warnings are not.
  const warnings = result.toolOutput
    .split(/\r?\n/)
    .filter((line) => /warn|error|incomplete/i.test(line))
    .join('\n');
  if (warnings !== '') options.onToolOutput?.(warnings);
  const snapshot: CollectedSnapshot = {
    label,
    kind,
    file: result.file,
    bytes: result.bytes,
    collectedAt: new Date().toISOString(),
    pauseMs: Math.round(performance.now() - started),
    pid,
  };
  options.onSnapshot?.(snapshot);
  return snapshot;
}

function checkKinds(kinds: readonly SnapshotKind[], env: NodeJS.ProcessEnv | undefined): void {
  if (kinds.length === 0) throw new UsageError('no snapshot kind selected (gcdump, dump or both)');
  // Fail before starting anything when a needed tool is missing.
  for (const kind of new Set(kinds))
    requireTool(kind === 'gcdump' ? 'dotnet-gcdump' : 'dotnet-dump', { env });
}

function uniqueName(label: string, kind: SnapshotKind, used: Set<string>): string {
  let name = snapshotFileName(label, kind);
  for (let n = 2; used.has(name); n++) name = snapshotFileName(`${label}-${n}`, kind);
  used.add(name);
  return name;
}

function uniqueTraceName(label: string, used: Set<string>): string {
  let name = snapshotFileName(label, 'nettrace');
  for (let n = 2; used.has(name); n++) name = snapshotFileName(`${label}-${n}`, 'nettrace');
  used.add(name);
  return name;
}

function refuseOverwrite(files: readonly string[], force: boolean | undefined): void {
  if (force) return;
  const existing = files.find((file) => existsSync(file));
  if (existing !== undefined) {
    throw new UsageError(
      `refusing to overwrite ${existing} (use --force to replace it, or choose another output folder)`,
    );
  }
}

function writeManifest(
  file: string,
  run: {
    command: string[] | null;
    pid: number;
    startedAt: string;
    exit: ScenarioExit | undefined;
    error: unknown;
    snapshots: CollectedSnapshot[];
    traces?: CollectedTrace[];
  },
): void {
  const dir = resolve(file, '..');
  const manifest: CollectManifest = {
    schema: MANIFEST_SCHEMA,
    command: run.command,
    pid: run.pid,
    startedAt: run.startedAt,
    finishedAt: new Date().toISOString(),
    exit: run.exit ?? null,
    error:
      run.error === undefined ? null : run.error instanceof Error ? run.error.message : String(run.error),
    snapshots: run.snapshots.map((s) => ({ ...s, file: relative(dir, s.file).split('\\').join('/') })),
    ...(run.traces !== undefined && run.traces.length > 0
      ? { traces: run.traces.map((t) => ({ ...t, file: relative(dir, t.file).split('\\').join('/') })) }
      : {}),
  };
  writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
}

/**
 * Each distinct tool message once per run: dotnet-gcdump repeats its lossy-buffering warning at
 * every snapshot of a .NET 10 target. Lines that differ only in numbers count as the same message.
 */
function oncePerRun(show: ((text: string) => void) | undefined): ((text: string) => void) | undefined {
  if (!show) return undefined;
  const seen = new Set<string>();
  return (text) => {
    const fresh = text.split('\n').filter((line) => {
      const key = line.replace(/\d+/g, '#');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (fresh.length > 0) show(fresh.join('\n'));
  };
}
