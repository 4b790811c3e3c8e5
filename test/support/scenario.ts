/**
 * Running the LeakScenarios app in tests, through heapgate's own collection code.
 *
 * - `withScenario(name, opts, fn)`: drive one live scenario process step by step and snapshot it.
 * - `collectScenarioSnapshots(name, opts)`: snapshot files per checkpoint label, cached for the
 *   whole test run so several test files needing the same snapshots collect them once.
 * - `expectedLeakCount(...)` and `LEAKED_TYPE`: the app's documented known counts.
 *
 * The app's build is done by global-setup.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { expect } from 'vitest';
import { collectDump, collectGcdump, type DumpType } from '../../src/collect/collectors.js';
import {
  ScenarioProcess,
  type ScenarioExit,
  type ScenarioStep,
  type ScenarioTimeouts,
} from '../../src/collect/scenarioProcess.js';
import {
  MANIFEST_FILE,
  runAndCollect,
  type CollectManifest,
  type SnapshotKind,
} from '../../src/collect/session.js';
import { net8ScenarioAppHost, scenarioAppDll } from './app.js';
import { withDirLock } from './lock.js';

export { net8ScenarioApp, scenarioAppDll, scenarioAppDir } from './app.js';

export type ScenarioName =
  | 'steady'
  | 'static-list'
  | 'event-handler'
  | 'timer'
  | 'cache'
  | 'slow-leak'
  | 'quote-history'
  | 'outbox'
  | 'thread-static'
  | 'handle-leak'
  | 'duplicate-strings'
  | 'finalizer-backlog'
  | 'waste'
  | 'big'
  | 'chain';

export type LeakScenarioName = 'static-list' | 'event-handler' | 'timer' | 'cache' | 'slow-leak';

/** The type each leak scenario leaks, as dotnet-gcdump names it. */
export const LEAKED_TYPE: Readonly<Record<LeakScenarioName, string>> = {
  'static-list': 'HeapgateScenarios.Leaks.LeakedOrder',
  'event-handler': 'HeapgateScenarios.Leaks.Subscriber',
  timer: 'HeapgateScenarios.Leaks.TimerPayload',
  cache: 'HeapgateScenarios.Leaks.CacheEntry',
  'slow-leak': 'HeapgateScenarios.Leaks.SlowLeakItem',
};

/** What roots a leak: the static field and the object it holds (first object on the root path). */
export interface LeakHolder {
  /** Declaring type of the static field. */
  declaringType: string;
  /** Field name as gcdump root names carry it. */
  field: string;
  /** Type of the object the field holds, as dotnet-gcdump names it. */
  holderType: string;
}

/** Rooting static field of each leak, `Namespace.Class.field` (the GC-root evidence to expect). */
export const LEAK_HOLDER: Readonly<Record<LeakScenarioName, string>> = {
  'static-list': 'HeapgateScenarios.Leaks.OrderRegistry.s_orders',
  'event-handler': 'HeapgateScenarios.Leaks.EventHub.PriceChanged',
  timer: 'System.Threading.TimerQueue', // rooted by the runtime's timer queues, not by user code
  cache: 'HeapgateScenarios.Leaks.ProductCache.s_entries',
  'slow-leak': 'HeapgateScenarios.Leaks.SlowLeakRegistry.s_items',
};

/**
 * The root of each leak in detail: static field and the object it holds. Note: SOS `gcroot` on
 * .NET 10 dumps labels these statics with an unrelated name ("static variable:
 * System.AppDomain.s_domain"); the holder type on the path is reliable in both sources.
 */
export const LEAK_ROOT: Readonly<Record<LeakScenarioName, LeakHolder>> = {
  'static-list': {
    declaringType: 'HeapgateScenarios.Leaks.OrderRegistry',
    field: 's_orders',
    holderType: 'System.Collections.Generic.List<HeapgateScenarios.Leaks.LeakedOrder>',
  },
  'event-handler': {
    declaringType: 'HeapgateScenarios.Leaks.EventHub',
    field: 'PriceChanged',
    holderType: 'System.EventHandler<System.Decimal>',
  },
  // Rooted by the runtime's timer queues, not by user code.
  timer: {
    declaringType: 'System.Threading.TimerQueue',
    field: '<Instances>k__BackingField',
    holderType: 'System.Threading.TimerQueue[]',
  },
  cache: {
    declaringType: 'HeapgateScenarios.Leaks.ProductCache',
    field: 's_entries',
    holderType: 'System.Collections.Generic.Dictionary<System.Int32,HeapgateScenarios.Leaks.CacheEntry>',
  },
  'slow-leak': {
    declaringType: 'HeapgateScenarios.Leaks.SlowLeakRegistry',
    field: 's_items',
    holderType: 'System.Collections.Generic.List<HeapgateScenarios.Leaks.SlowLeakItem>',
  },
};

/** Default `--per-round` of each scenario in the app. */
export function defaultPerRound(name: ScenarioName): number {
  return name === 'slow-leak' ? 3 : 1000;
}

/**
 * Live instances of a leak scenario's leaked type at checkpoint `label`:
 * (1 warm-up round + r) × perRound at "round-r", perRound at "warmup".
 */
export function expectedLeakCount(
  name: LeakScenarioName,
  label: string,
  perRound = defaultPerRound(name),
): number {
  if (label === 'warmup') return perRound;
  const match = /^round-(\d+)$/.exec(label);
  if (match === null) throw new Error(`not a round checkpoint label: ${label}`);
  return (1 + Number(match[1])) * perRound;
}

/**
 * Which build of the app runs: 'net10' (default) is `dotnet LeakScenarios.dll` on the machine's
 * .NET 10; 'net8' is the self-contained .NET 8 build (`net8ScenarioApp()` must have found it).
 */
export type ScenarioRuntime = 'net10' | 'net8';

/** The command that starts a scenario on a runtime: executable and arguments. */
export function scenarioCommand(
  name: ScenarioName,
  args: ScenarioArgs = {},
  runtime: ScenarioRuntime = 'net10',
): { command: string; args: string[] } {
  if (runtime === 'net8') return { command: net8ScenarioAppHost(), args: scenarioArgs(name, args) };
  return { command: 'dotnet', args: [scenarioAppDll(), ...scenarioArgs(name, args)] };
}

/** App arguments. `rounds` defaults to 3 in the app; `objects` applies to big and chain. */
export interface ScenarioArgs {
  rounds?: number;
  perRound?: number;
  objects?: number;
}

/** The command-line arguments (after the dll) for a scenario. */
export function scenarioArgs(name: ScenarioName, args: ScenarioArgs = {}): string[] {
  const out: string[] = [name];
  if (args.rounds !== undefined) out.push('--rounds', String(args.rounds));
  if (args.perRound !== undefined) out.push('--per-round', String(args.perRound));
  if (args.objects !== undefined) out.push('--objects', String(args.objects));
  return out;
}

export interface WithScenarioOptions extends ScenarioArgs {
  /** Default 'net10'. */
  runtime?: ScenarioRuntime;
  timeouts?: ScenarioTimeouts;
  /** Receives the app's non-protocol output; by default it is dropped. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** A running scenario inside `withScenario`. */
export interface ScenarioSession {
  /** The app's process id (what the collectors snapshot). */
  readonly pid: number;
  /** A temporary folder for this session's files; removed afterwards unless HEAPGATE_KEEP_TEST_FILES=1. */
  readonly dir: string;
  /** Label of the current (last reached) checkpoint. */
  readonly label: string | undefined;
  /** The underlying process driver, for protocol-level tests. */
  readonly process: ScenarioProcess;
  /** Waits for the next checkpoint and returns its label; throws if the scenario ends instead. */
  checkpoint(): Promise<string>;
  /** Waits for the next checkpoint or the end (`{kind: 'done'}`). */
  next(): Promise<ScenarioStep>;
  /** Lets the app run its next round. */
  continue(): void;
  /** Collects a .gcdump now; `file` is relative to `dir` unless absolute. Returns its path. */
  gcdump(file?: string): Promise<string>;
  /** Collects a memory dump now (default type: heap). Returns its path. */
  dump(file?: string, type?: DumpType): Promise<string>;
  /** Asks the app to exit and waits for it (the process group is killed either way). */
  stop(): Promise<ScenarioExit | undefined>;
}

/**
 * Starts `dotnet LeakScenarios.dll <name> ...` (or the .NET 8 build's apphost, with
 * `runtime: 'net8'`), runs `fn`, then always stops the process group and removes the session's
 * temporary files.
 */
export async function withScenario<T>(
  name: ScenarioName,
  options: WithScenarioOptions,
  fn: (session: ScenarioSession) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `heapgate-scenario-${name}-`));
  const proc = ScenarioProcess.start({
    ...scenarioCommand(name, options, options.runtime),
    timeouts: { checkpointMs: 120_000, ...options.timeouts },
    onOutput: options.onOutput,
  });
  let count = 0;
  const target = (file: string | undefined, ext: string): string => {
    count++;
    if (file === undefined) return join(dir, `${proc.label ?? 'start'}-${count}${ext}`);
    return isAbsolute(file) ? file : join(dir, file);
  };
  const session: ScenarioSession = {
    get pid() {
      return proc.pid;
    },
    dir,
    get label() {
      return proc.label;
    },
    process: proc,
    async checkpoint() {
      const step = await proc.next();
      if (step.kind === 'done')
        throw new Error(`scenario ${name} ended (heapgate:done) instead of reaching another checkpoint`);
      return step.label;
    },
    next: () => proc.next(),
    continue: () => proc.continue(),
    async gcdump(file) {
      return (await collectGcdump(proc.pid, target(file, '.gcdump'))).file;
    },
    async dump(file, type = 'heap') {
      return (await collectDump(proc.pid, target(file, '.dmp'), { type })).file;
    },
    stop: () => proc.stop(),
  };
  try {
    return await fn(session);
  } finally {
    await proc.stop();
    if (keepFiles()) process.stderr.write(`heapgate test files kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A .gcdump and a heap dump of one process at checkpoint round-2 (a warm-up round and two rounds
 * of `perRound`), written into `dir`, and with `full` a full dump too (dotnet-dump's dumpobj
 * needs one). The first gcdump of a process makes the runtime build EventSource metadata and
 * reflection caches: one is taken at warm-up so the snapshots at round-2 see the same heap.
 */
export async function snapshotsAtRound2(
  name: ScenarioName,
  dir: string,
  options: { perRound: number; full?: boolean },
): Promise<{ gcdump: string; dump: string; full?: string }> {
  return withScenario(name, { rounds: 2, perRound: options.perRound }, async (s) => {
    expect(await s.checkpoint()).toBe('warmup');
    await s.gcdump(join(dir, `${name}-warmup.gcdump`));
    s.continue();
    while ((await s.checkpoint()) !== 'round-2') s.continue();
    const gcdump = await s.gcdump(join(dir, `${name}.gcdump`));
    const dump = await s.dump(join(dir, `${name}.dmp`));
    const full = options.full ? await s.dump(join(dir, `${name}-full.dmp`), 'full') : undefined;
    return { gcdump, dump, ...(full ? { full } : {}) };
  });
}

export interface CollectScenarioOptions extends ScenarioArgs {
  /** Default 'net10'. */
  runtime?: ScenarioRuntime;
  /** Checkpoint labels to snapshot, or 'all' (default). The app stops after the last named one. */
  checkpoints?: readonly string[] | 'all';
  /** Default 'gcdump'. */
  kind?: SnapshotKind;
  /** For kind 'dump'; default 'heap' (smaller than full, enough for heap analysis). */
  dumpType?: DumpType;
}

/**
 * Runs a scenario through `runAndCollect` and returns `{label: file}` for each collected checkpoint.
 * Results are cached for the test run (in HEAPGATE_TEST_CACHE_DIR) by scenario and arguments, so
 * identical requests from different test files share one collection. Treat the files as read-only.
 */
export async function collectScenarioSnapshots(
  name: ScenarioName,
  options: CollectScenarioOptions = {},
): Promise<Record<string, string>> {
  const kind = options.kind ?? 'gcdump';
  const key = {
    name,
    rounds: options.rounds ?? null,
    perRound: options.perRound ?? null,
    objects: options.objects ?? null,
    checkpoints: options.checkpoints ?? 'all',
    kind,
    dumpType: kind === 'dump' ? (options.dumpType ?? 'heap') : null,
    // Only a non-default runtime enters the key, so the .NET 10 cache names stay as they were.
    ...(options.runtime === 'net8' ? { runtime: 'net8' } : {}),
  };
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 12);
  const root = cacheRoot();
  const dir = join(root, `${name}-${kind}-${hash}`);
  const cached = readCached(dir);
  if (cached !== undefined) return cached;

  return withDirLock(`${dir}.lock`, async () => {
    const again = readCached(dir);
    if (again !== undefined) return again;
    // Collect into a staging folder and rename, so readers never see a half-written set.
    const staging = `${dir}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    await runAndCollect({
      ...scenarioCommand(name, options, options.runtime),
      kinds: [kind],
      dumpType: key.dumpType ?? undefined,
      outDir: staging,
      checkpoints: options.checkpoints ?? 'all',
      timeouts: { checkpointMs: 300_000 },
    });
    renameSync(staging, dir);
    const result = readCached(dir);
    if (result === undefined) throw new Error(`snapshot cache ${dir} is unreadable right after collecting`);
    return result;
  });
}

function readCached(dir: string): Record<string, string> | undefined {
  const manifestFile = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestFile)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as CollectManifest;
  const files: Record<string, string> = {};
  for (const snapshot of manifest.snapshots) files[snapshot.label] = join(dir, snapshot.file);
  return files;
}

function cacheRoot(): string {
  const dir = process.env.HEAPGATE_TEST_CACHE_DIR ?? join(tmpdir(), `heapgate-test-cache-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function keepFiles(): boolean {
  return process.env.HEAPGATE_KEEP_TEST_FILES === '1';
}
