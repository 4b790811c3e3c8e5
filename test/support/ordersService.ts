/**
 * The OrdersService app (test/apps/OrdersService): an ASP.NET Core orders API with seeded leaks,
 * run under autocannon load by drive.mjs, snapshotted through the real `heapgate collect`.
 */
import { join } from 'node:path';
import { buildDotnetApp, type DotnetApp } from './app.js';
import { repoRoot, runCli } from './cli.js';

export const ordersServiceDir = join(repoRoot, 'test', 'apps', 'OrdersService');
export const ordersDriver = join(ordersServiceDir, 'drive.mjs');

export function ordersServiceApp(): DotnetApp {
  return {
    dir: ordersServiceDir,
    project: join(ordersServiceDir, 'OrdersService.csproj'),
    dll: join(ordersServiceDir, 'bin', 'Release', 'net10.0', 'OrdersService.dll'),
  };
}

/** Restores and builds the app (NuGet: EF Core + SQLite) unless it is up to date. */
export function buildOrdersService(): Promise<void> {
  return buildDotnetApp(ordersServiceApp());
}

export type ServiceLeak =
  | 'event-subscriber'
  | 'cache-unbounded'
  | 'httpclient-per-request'
  | 'static-request-list'
  | 'captive-scoped';

export const SERVICE_LEAKS: readonly ServiceLeak[] = [
  'event-subscriber',
  'cache-unbounded',
  'httpclient-per-request',
  'static-request-list',
  'captive-scoped',
];

/**
 * What each leak switch retains, as dotnet-gcdump names it (the app's documented leaked type), and
 * a type that must appear on the root path of its evidence (the thing that holds it).
 */
export const SERVICE_LEAK: Readonly<Record<ServiceLeak, { type: string; holder: string }>> = {
  'event-subscriber': {
    type: 'OrdersService.Pricing.OrderPriceWatcher',
    holder: 'OrdersService.Pricing.PriceBoard',
  },
  'cache-unbounded': {
    type: 'OrdersService.Orders.OrderReceipt',
    holder: 'Microsoft.Extensions.Caching.Memory.MemoryCache',
  },
  'httpclient-per-request': {
    type: 'System.Net.Http.HttpClient',
    holder: 'System.Collections.Generic.List<System.Net.Http.HttpClient>',
  },
  'static-request-list': {
    type: 'OrdersService.Diagnostics.RequestAudit',
    holder: 'System.Collections.Generic.List<OrdersService.Diagnostics.RequestAudit>',
  },
  'captive-scoped': {
    type: 'OrdersService.Orders.OrderUnitOfWork',
    holder: 'OrdersService.Orders.RecentOrderActivity',
  },
};

/** The leak switches of framework-shaped leaks (options callbacks, diagnostics, channels, semaphores, timers). */
export type FrameworkLeak =
  | 'options-callback'
  | 'diagnostic-listener'
  | 'unbounded-channel'
  | 'semaphore-waiters'
  | 'timer-per-request';

export const FRAMEWORK_LEAKS: readonly FrameworkLeak[] = [
  'options-callback',
  'diagnostic-listener',
  'unbounded-channel',
  'semaphore-waiters',
  'timer-per-request',
];

export type AnyServiceLeak = ServiceLeak | FrameworkLeak;

/**
 * Where each leak's instances accumulate, as the app's README documents it: the leaked type, the
 * holder (type and the field the type's shape names), the structure's kind, the owner and where the
 * owner lives — what the first evidence line must say.
 */
export const LEAK_ACCUMULATION: Readonly<
  Record<
    AnyServiceLeak,
    {
      type: string;
      kind: string;
      holder: string;
      field?: string;
      via?: string;
      owner?: string;
      reachedFrom: string;
      /** A rule of builtin:dotnet-leak-patterns made for this shape, and the framework type it fails. */
      rule?: { id: string; subject: string };
    }
  >
> = {
  'event-subscriber': {
    type: 'OrdersService.Pricing.OrderPriceWatcher',
    kind: 'delegate invocation list',
    holder: 'OrdersService.Pricing.PriceBoard',
    via: 'System.EventHandler<OrdersService.Pricing.PriceChangedEventArgs>',
    reachedFrom: 'the DI container',
  },
  'cache-unbounded': {
    type: 'OrdersService.Orders.OrderReceipt',
    kind: 'collection',
    holder:
      'System.Collections.Concurrent.ConcurrentDictionary<System.String,Microsoft.Extensions.Caching.Memory.CacheEntry>',
    field: '_tables',
    owner: 'Microsoft.Extensions.Caching.Memory.MemoryCache',
    reachedFrom: 'the DI container',
  },
  'httpclient-per-request': {
    type: 'System.Net.Http.HttpClient',
    kind: 'collection',
    holder: 'System.Collections.Generic.List<System.Net.Http.HttpClient>',
    field: '_items',
    reachedFrom: 'static field s_createdClients',
  },
  'static-request-list': {
    type: 'OrdersService.Diagnostics.RequestAudit',
    kind: 'collection',
    holder: 'System.Collections.Generic.List<OrdersService.Diagnostics.RequestAudit>',
    field: '_items',
    reachedFrom: 'static field s_all',
  },
  'captive-scoped': {
    type: 'OrdersService.Orders.OrderUnitOfWork',
    kind: 'collection',
    holder: 'System.Collections.Generic.List<OrdersService.Orders.OrderUnitOfWork>',
    field: '_items',
    owner: 'OrdersService.Orders.RecentOrderActivity',
    reachedFrom: 'the DI container',
  },
  'options-callback': {
    type: 'OrdersService.Orders.PricingOptionsWatcher',
    kind: 'delegate invocation list',
    holder: 'Microsoft.Extensions.Options.OptionsMonitor<OrdersService.Orders.PricingOptions>',
    field: '_onChange',
    reachedFrom: 'the DI container',
    rule: {
      id: 'options-monitor-callbacks',
      subject: 'ChangeTrackerDisposable<OrdersService.Orders.PricingOptions>',
    },
  },
  'diagnostic-listener': {
    type: 'OrdersService.Orders.OrderDiagnosticObserver',
    kind: 'linked list',
    holder: 'System.Diagnostics.DiagnosticListener',
    field: '_subscriptions',
    reachedFrom: 'static field s_diagnostics',
    rule: { id: 'diagnostic-listener-subscriptions', subject: 'DiagnosticSubscription' },
  },
  'unbounded-channel': {
    type: 'OrdersService.Orders.OrderEvent',
    kind: 'channel',
    holder: 'System.Threading.Channels.UnboundedChannel<OrdersService.Orders.OrderEvent>',
    field: '_items',
    owner: 'OrdersService.Orders.OrderFollowUp',
    reachedFrom: 'the DI container',
  },
  'semaphore-waiters': {
    type: 'OrdersService.Orders.PendingConfirmation',
    kind: 'linked list',
    holder: 'System.Threading.SemaphoreSlim',
    field: 'm_asyncHead',
    owner: 'OrdersService.Orders.OrderFollowUp',
    reachedFrom: 'the DI container',
    rule: { id: 'semaphore-waiters', subject: 'TaskNode' },
  },
  'timer-per-request': {
    type: 'OrdersService.Orders.OrderReminder',
    kind: 'timer list',
    holder: 'System.Threading.TimerQueue',
    field: '_shortTimers/_longTimers',
    reachedFrom: 'the runtime timer queues (static TimerQueue.Instances)',
    rule: { id: 'timers-timer-per-request', subject: 'System.Timers.Timer' },
  },
};

export interface ServiceRunOptions {
  leak?: AnyServiceLeak;
  rounds?: number;
  requests?: number;
  warmupRequests?: number;
  /** Checkpoints to snapshot (default: warmup and the last round). */
  checkpoints?: readonly string[];
}

/** `heapgate collect` over the driver into `outDir`; returns the manifest's label → file. */
export async function collectServiceRun(
  outDir: string,
  options: ServiceRunOptions = {},
): Promise<{ files: Record<string, string>; seconds: number }> {
  const rounds = options.rounds ?? 3;
  const checkpoints = options.checkpoints ?? ['warmup', `round-${rounds}`];
  const driverArgs = ['--rounds', String(rounds)];
  if (options.requests !== undefined) driverArgs.push('--requests', String(options.requests));
  if (options.warmupRequests !== undefined)
    driverArgs.push('--warmup-requests', String(options.warmupRequests));
  if (options.leak !== undefined) driverArgs.push('--leak', options.leak);
  const started = Date.now();
  const r = await runCli(
    [
      'collect',
      '-q',
      '-o',
      outDir,
      '--checkpoints',
      checkpoints.join(','),
      '--timeout',
      '5m',
      '--',
      process.execPath,
      ordersDriver,
      ...driverArgs,
    ],
    { timeoutMs: 900_000 },
  );
  if (r.code !== 0) throw new Error(`heapgate collect over OrdersService failed (${r.code}):\n${r.stderr}`);
  const files: Record<string, string> = {};
  for (const label of checkpoints) files[label] = join(outDir, `${label}.gcdump`);
  return { files, seconds: (Date.now() - started) / 1000 };
}
