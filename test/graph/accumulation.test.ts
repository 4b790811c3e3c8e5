import { describe, expect, it } from 'vitest';
import { findAccumulationPoints, shortTypeName } from '../../src/graph/accumulation.js';
import { graphAnalysis } from '../../src/graph/analysis.js';
import { buildTypeEvidence } from '../../src/graph/evidence.js';
import { findGroup } from '../../src/graph/typeGroups.js';
import type { HeapSnapshot } from '../../src/model/snapshot.js';
import { GraphBuilder } from '../support/graphBuilder.js';

const DI_SCOPE = 'Microsoft.Extensions.DependencyInjection.ServiceLookup.ServiceProviderEngineScope';
const MONITOR = 'Microsoft.Extensions.Options.OptionsMonitor<Shop.PricingOptions>';
const ACTION = 'System.Action<Shop.PricingOptions,System.String>';

function points(snapshot: HeapSnapshot, type: string) {
  const a = graphAnalysis(snapshot);
  const groups = a.groups();
  return findAccumulationPoints(snapshot, { tree: a.tree(), groups, reverse: a.reverse() }, [
    findGroup(groups, type),
  ])[0];
}

function first(snapshot: HeapSnapshot, type: string) {
  const [ev] = buildTypeEvidence(snapshot, [type], { maxClusters: 3 });
  return ev.accumulation?.[0];
}

/** A DI root scope holding `services` in its disposables list. */
function diRoot(b: GraphBuilder) {
  const statics = b.pseudo('[static vars]', b.root);
  const field = b.pseudo('[static var Shop.Program.s_host]', statics);
  const scope = b.object(DI_SCOPE, 64, field);
  const list = b.object('System.Collections.Generic.List<System.Object>', 32, scope);
  return b.object('System.Object[]', 256, list);
}

describe('accumulation points on hand-built graphs', () => {
  it('names the List that holds the instances, its owner and the static it lives in', () => {
    const b = new GraphBuilder();
    const statics = b.pseudo('[static vars]', b.root);
    const field = b.pseudo('[static var Shop.Registry.s_registry]', statics);
    const registry = b.object('Shop.Registry', 24, field);
    const list = b.object('System.Collections.Generic.List<Shop.Order>', 32, registry);
    const items = b.object('Shop.Order[]', 800, list);
    for (let i = 0; i < 50; i++) b.object('System.String', 30, b.object('Shop.Order', 48, items));
    // A few orders elsewhere, one per holder: below the threshold, no point of their own.
    const locals = b.pseudo('[local vars]', b.root);
    for (let i = 0; i < 2; i++) b.object('Shop.Order', 48, b.object('Shop.Handler', 24, locals));
    const snap = b.build();
    const [p, ...rest] = points(snap, 'Shop.Order');
    expect(rest).toEqual([]);
    expect(p.node).toBe(items);
    expect(p.holder).toBe(list);
    expect(p.owner).toBe(registry);
    expect(p.count).toBe(50);
    expect(p.kind).toBe('collection');
    expect(p.field).toBe('_items');
    const ev = first(snap, 'Shop.Order');
    expect(ev?.summary).toBe(
      'held by List<Shop.Order>._items (collection: 50 of 52 instances) in Shop.Registry, reached from static field s_registry',
    );
    expect(ev?.holder).toMatchObject({
      type: 'System.Collections.Generic.List<Shop.Order>',
      field: '_items',
      fieldKnownBy: 'type',
    });
    expect(ev?.path.steps.map((s) => s.type)).toEqual([
      'Shop.Registry',
      'System.Collections.Generic.List<Shop.Order>',
      'Shop.Order[]',
    ]);
  });

  it('finds an OptionsMonitor change-callback list behind a timer path and says it lives in the DI container', () => {
    const b = new GraphBuilder();
    // The shortest path goes through the runtime timer queue into the container (the shape).
    const statics = b.pseudo('[static vars]', b.root);
    const instances = b.pseudo(
      '[static var System.Threading.TimerQueue[].<Instances>k__BackingField]',
      statics,
    );
    const queues = b.object('System.Threading.TimerQueue[]', 32, instances);
    const queue = b.object('System.Threading.TimerQueue', 48, queues);
    const timer = b.object('System.Threading.TimerQueueTimer', 64, queue);
    const factory = b.object('Microsoft.Extensions.Http.DefaultHttpClientFactory', 48, timer);
    const scope = b.object(DI_SCOPE, 64, factory);
    const list = b.object('System.Collections.Generic.List<System.Object>', 32, scope);
    const services = b.object('System.Object[]', 256, list);
    const monitor = b.object(MONITOR, 48, services);
    const multicast = b.object(ACTION, 64, monitor);
    const invocation = b.object('System.Object[]', 8000, multicast);
    for (let i = 0; i < 40; i++) {
      const d = b.object(ACTION, 64, invocation);
      const tracker = b.object('ChangeTrackerDisposable<Shop.PricingOptions>', 32, d);
      const listener = b.object(ACTION, 64, tracker);
      b.object('Shop.PricingWatcher', 24, listener);
    }
    const snap = b.build();
    const [p] = points(snap, 'Shop.PricingWatcher');
    expect(p.node).toBe(invocation);
    expect(p.holder).toBe(monitor);
    expect(p.kind).toBe('delegate invocation list');
    expect(p.field).toBe('_onChange');
    expect(p.reachedFrom).toBe('the DI container');
    expect(first(snap, 'Shop.PricingWatcher')?.summary).toBe(
      'held by OptionsMonitor<Shop.PricingOptions>._onChange (delegate invocation list: 40 of 40 instances), reached from the DI container',
    );
  });

  it("an application type's event: the delegate field is named by its type, the field name is not known", () => {
    const b = new GraphBuilder();
    const services = diRoot(b);
    const board = b.object('Shop.PriceBoard', 32, services);
    const handler = b.object('System.EventHandler<Shop.PriceChanged>', 64, board);
    const list = b.object('System.Object[]', 400, handler);
    for (let i = 0; i < 10; i++)
      b.object('Shop.Watcher', 24, b.object('System.EventHandler<Shop.PriceChanged>', 64, list));
    const ev = first(b.build(), 'Shop.Watcher');
    expect(ev?.holder.field).toBeUndefined();
    expect(ev?.holder.via).toBe('System.EventHandler<Shop.PriceChanged>');
    expect(ev?.summary).toBe(
      "held by Shop.PriceBoard's EventHandler<Shop.PriceChanged> field (delegate invocation list: 10 of 10 instances), reached from the DI container",
    );
  });

  it('a linked list (SemaphoreSlim waiters) is one structure, named by its owner', () => {
    const b = new GraphBuilder();
    const services = diRoot(b);
    const gate = b.object('Shop.ConfirmationGate', 24, services);
    const semaphore = b.object('System.Threading.SemaphoreSlim', 48, gate);
    let prev = semaphore;
    for (let i = 0; i < 30; i++) {
      const node = b.object('TaskNode', 64, prev);
      const box = b.object(
        'AsyncStateMachineBox<System.Threading.Tasks.VoidTaskResult,Shop.ConfirmationGate+<WaitAsync>d__3>',
        96,
        node,
      );
      b.object('Shop.PendingConfirmation', 24, box);
      prev = node;
    }
    const snap = b.build();
    const [p] = points(snap, 'Shop.PendingConfirmation');
    expect(p.kind).toBe('linked list');
    expect(p.holder).toBe(semaphore);
    expect(p.owner).toBe(gate);
    expect(p.elements).toBe(30);
    expect(first(snap, 'Shop.PendingConfirmation')?.summary).toBe(
      'held by SemaphoreSlim.m_asyncHead (linked list: 30 of 30 instances, 30 links) in Shop.ConfirmationGate, reached from the DI container',
    );
  });

  it('a timer list entered from several places is one accumulation point: the runtime timer queue', () => {
    const b = new GraphBuilder();
    const statics = b.pseudo('[static vars]', b.root);
    const queue = b.object(
      'System.Threading.TimerQueue',
      48,
      b.pseudo('[static var System.Threading.TimerQueue[].<Instances>k__BackingField]', statics),
    );
    const timers: number[] = [];
    let prev = queue;
    for (let i = 0; i < 24; i++) {
      const t = b.object('System.Threading.TimerQueueTimer', 64, prev);
      const cb = b.object('System.Threading.TimerCallback', 64, t);
      const timer = b.object('System.Timers.Timer', 64, cb);
      b.object('Shop.Reminder', 24, b.object('System.Timers.ElapsedEventHandler', 64, timer));
      timers.push(t);
      prev = t;
    }
    // Two other roots enter the list in its middle (shorter paths than the list itself).
    for (const k of [10, 18]) {
      const other = b.object('Shop.Poller', 24, b.pseudo(`[static var Shop.Poller.s_poller${k}]`, statics));
      b.edge(other, timers[k]);
    }
    const snap = b.build();
    const found = points(snap, 'Shop.Reminder');
    expect(found).toHaveLength(1);
    expect(found[0].kind).toBe('timer list');
    expect(found[0].count).toBe(24);
    const ev = first(snap, 'Shop.Reminder');
    expect(ev?.summary).toBe(
      'held by TimerQueue._shortTimers/_longTimers (timer list: 24 of 24 instances, 24 links), reached from the runtime timer queues (static TimerQueue.Instances)',
    );
  });

  it('clusters that only reach the timer list through other roots are merged into one', () => {
    const b = new GraphBuilder();
    const statics = b.pseudo('[static vars]', b.root);
    const queue = b.object(
      'System.Threading.TimerQueue',
      48,
      b.pseudo('[static var System.Threading.TimerQueue[].<Instances>k__BackingField]', statics),
    );
    const timers: number[] = [];
    let prev = queue;
    for (let i = 0; i < 30; i++) {
      const t = b.object('System.Threading.TimerQueueTimer', 64, prev);
      b.object('Shop.Reminder', 24, b.object('System.Threading.TimerCallback', 64, t));
      timers.push(t);
      prev = t;
    }
    for (const k of [10, 20]) {
      const holder = b.object('Shop.Poller', 24, b.pseudo(`[static var Shop.Poller.s_poller${k}]`, statics));
      b.edge(holder, timers[k]);
    }
    const snap = b.build();
    const [unmerged] = buildTypeEvidence(snap, ['Shop.Reminder'], { maxClusters: 5, accumulation: false });
    expect(unmerged.clusters.length).toBe(3); // three roots, one list
    const [ev] = buildTypeEvidence(snap, ['Shop.Reminder'], { maxClusters: 5 });
    expect(ev.clusters).toHaveLength(1);
    expect(ev.clusters[0]).toMatchObject({ count: 30, merged: 2 });
    expect(ev.omitted).toBeUndefined();
  });

  it('the path to the accumulation point prefers application types over runtime plumbing among equally short paths', () => {
    const b = new GraphBuilder();
    const statics = b.pseudo('[static vars]', b.root);
    // Found first (record order): through the timer queue and a handler-expiry timer.
    const q = b.object(
      'System.Threading.TimerQueue',
      48,
      b.pseudo('[static var System.Threading.TimerQueue.s_queue]', statics),
    );
    const expiry = b.object('System.Threading.TimerQueueTimer', 64, q);
    // As short: through the application's host.
    const host = b.object('Shop.Host', 24, b.pseudo('[static var Shop.Program.s_host]', statics));
    const app = b.object('Shop.Services', 24, host);
    const monitor = b.object(MONITOR, 48, expiry);
    b.edge(app, monitor);
    const multicast = b.object(ACTION, 64, monitor);
    const list = b.object('System.Object[]', 800, multicast);
    for (let i = 0; i < 20; i++) b.object('Shop.PricingWatcher', 24, b.object(ACTION, 64, list));
    const ev = first(b.build(), 'Shop.PricingWatcher');
    expect(ev?.path.rootName).toBe('Shop.Program.s_host');
    expect(ev?.path.steps.map((s) => s.type)).toEqual([
      'Shop.Host',
      'Shop.Services',
      MONITOR,
      ACTION,
      'System.Object[]',
    ]);
  });

  it('an unbounded channel: segments of its queue are merged and the channel is named', () => {
    const b = new GraphBuilder();
    const services = diRoot(b);
    const outbox = b.object('Shop.Outbox', 24, services);
    const channel = b.object('System.Threading.Channels.UnboundedChannel<Shop.OrderEvent>', 64, outbox);
    const queue = b.object('System.Collections.Concurrent.ConcurrentQueue<Shop.OrderEvent>', 48, channel);
    let segment = b.object(
      'System.Collections.Concurrent.ConcurrentQueueSegment<Shop.OrderEvent>',
      48,
      queue,
    );
    for (const size of [8, 16, 32]) {
      const slots = b.object('Slot<Shop.OrderEvent>[]', size * 16, segment);
      for (let i = 0; i < size; i++) b.object('Shop.OrderEvent', 32, slots);
      if (size < 32)
        segment = b.object(
          'System.Collections.Concurrent.ConcurrentQueueSegment<Shop.OrderEvent>',
          48,
          segment,
        );
    }
    const snap = b.build();
    const found = points(snap, 'Shop.OrderEvent');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'channel',
      count: 56,
      holder: channel,
      owner: outbox,
      field: '_items',
    });
    expect(first(snap, 'Shop.OrderEvent')?.summary).toMatch(
      /^held by UnboundedChannel<Shop\.OrderEvent>\._items \(channel: 56 of 56 instances.*\) in Shop\.Outbox, reached from the DI container$/,
    );
  });

  it('a point claims its instances: two holders are two points, the bigger first', () => {
    const b = new GraphBuilder();
    const statics = b.pseudo('[static vars]', b.root);
    const a = b.object(
      'Shop.Order[]',
      100,
      b.object(
        'System.Collections.Generic.List<Shop.Order>',
        32,
        b.pseudo('[static var Shop.A.s_a]', statics),
      ),
    );
    const c = b.object(
      'Shop.Order[]',
      100,
      b.object(
        'System.Collections.Generic.List<Shop.Order>',
        32,
        b.pseudo('[static var Shop.B.s_b]', statics),
      ),
    );
    for (let i = 0; i < 30; i++) b.object('Shop.Order', 24, a);
    for (let i = 0; i < 12; i++) b.object('Shop.Order', 24, c);
    const found = points(b.build(), 'Shop.Order');
    expect(found.map((p) => [p.node, p.count])).toEqual([
      [a, 30],
      [c, 12],
    ]);
  });

  it('no point when no structure holds a share of the instances', () => {
    const b = new GraphBuilder();
    const locals = b.pseudo('[local vars]', b.root);
    for (let i = 0; i < 40; i++) b.object('Shop.Order', 24, b.object('Shop.Handler', 24, locals));
    const snap = b.build();
    expect(points(snap, 'Shop.Order')).toEqual([]);
    expect(first(snap, 'Shop.Order')).toBeUndefined();
  });

  it('a million-link list costs one sweep and is one point', () => {
    const b = new GraphBuilder();
    const statics = b.pseudo('[static vars]', b.root);
    let prev = b.object('Shop.Chain', 24, b.pseudo('[static var Shop.Chain.s_head]', statics));
    for (let i = 0; i < 200_000; i++) prev = b.object('Shop.Node', 24, prev);
    const found = points(b.build(), 'Shop.Node');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'linked list', count: 200_000, elements: 200_000 });
  });

  it('shortens framework namespaces only', () => {
    expect(shortTypeName('System.Collections.Generic.List<MyApp.Order>')).toBe('List<MyApp.Order>');
    expect(shortTypeName('Microsoft.Extensions.Options.OptionsMonitor<MyApp.Opts>')).toBe(
      'OptionsMonitor<MyApp.Opts>',
    );
    expect(shortTypeName('MyApp.System.Thing')).toBe('MyApp.System.Thing');
  });
});

describe('accumulation points against a baseline graph', () => {
  /** Shop.Registry holds a catalog of `catalog` orders, a history of `history` and 8 orders of its own. */
  function registry(catalog: number, history: number) {
    const b = new GraphBuilder();
    const statics = b.pseudo('[static vars]', b.root);
    const field = b.pseudo('[static var Shop.Registry.s_registry]', statics);
    const reg = b.object('Shop.Registry', 24, field);
    const list = b.object('System.Collections.Generic.List<Shop.Order>', 32, reg);
    const items = b.object('Shop.Order[]', 8 * catalog, list);
    for (let i = 0; i < catalog; i++) b.object('Shop.Order', 48, items);
    const past = b.object('Shop.Order[]', 8 * history, reg);
    for (let i = 0; i < history; i++) b.object('Shop.Order', 48, past);
    for (let i = 0; i < 8; i++) b.object('Shop.Order', 48, reg);
    return { snap: b.build(), items, past, reg };
  }

  it('the place that gained leads; an owner above it is not credited with its growth', () => {
    const base = registry(60, 10).snap;
    const head = registry(60, 40);
    const [ev] = buildTypeEvidence(head.snap, ['Shop.Order'], { maxClusters: 3, baselineGraph: base });
    const [lead, second, third] = ev.accumulation ?? [];
    expect(lead.structure.type).toBe('Shop.Order[]');
    expect(lead.count).toBe(40);
    expect(lead.sinceBaseline).toEqual({ baseline: 10, added: 30 });
    expect(lead.summary).toContain('(array: 40 of 108 instances, +30 since baseline)');
    expect(second.count).toBe(60);
    expect(second.sinceBaseline).toEqual({ baseline: 60, added: 0 });
    // The registry's own 8: the catalog and history below it are other points' places.
    expect(third.count).toBe(8);
    expect(third.sinceBaseline).toEqual({ baseline: 8, added: 0 });

    // Without the baseline graph: the place that holds most leads, and no growth is claimed.
    const [plain] = buildTypeEvidence(head.snap, ['Shop.Order'], { maxClusters: 3 });
    expect(plain.accumulation?.[0].count).toBe(60);
    expect(plain.accumulation?.[0].sinceBaseline).toBeUndefined();
  });

  it('matches places under a path 30,000 steps deep', () => {
    // Alternating holder types do not fold into one run: every step is its own signature entry.
    const deep = (orders: number) => {
      const b = new GraphBuilder();
      const statics = b.pseudo('[static vars]', b.root);
      let at = b.pseudo('[static var Shop.Tree.s_root]', statics);
      for (let i = 0; i < 30_000; i++) at = b.object(i % 2 ? 'Shop.Branch' : 'Shop.Leaf', 24, at);
      const items = b.object('Shop.Order[]', 8 * orders, at);
      for (let i = 0; i < orders; i++) b.object('Shop.Order', 48, items);
      return b.build();
    };
    const [ev] = buildTypeEvidence(deep(50), ['Shop.Order'], { maxClusters: 1, baselineGraph: deep(20) });
    expect(ev.accumulation?.[0].sinceBaseline).toEqual({ baseline: 20, added: 30 });
  });

  it('keeps the order found when no place gained', () => {
    const base = registry(60, 40).snap;
    const head = registry(60, 40).snap;
    const [ev] = buildTypeEvidence(head, ['Shop.Order'], { maxClusters: 3, baselineGraph: base });
    expect(ev.accumulation?.map((a) => [a.count, a.sinceBaseline?.added])).toEqual([
      [60, 0],
      [40, 0],
      [8, 0],
    ]);
  });
});
