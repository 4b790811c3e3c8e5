/**
 * Accumulation points: the object where the instances of a leaking type pile up — the array of a
 * List, the entries of a Dictionary, the invocation list of a delegate, the linked list of a
 * SemaphoreSlim's waiters or of the runtime's timer queue — and the object that owns it.
 *
 * The root path of a leaked object rarely tells the story: in a service almost everything is
 * reachable through the DI container, a timer queue or a request from many roots. What a reviewer
 * needs is the structure that holds many of the instances, its owner (`OptionsMonitor<T>._onChange`,
 * `RecentOrderActivity`'s list) and where that owner lives.
 *
 * Search, over the root-path tree (one parent per object) in one reverse sweep per type:
 * - count[v]: instances of the type in v's subtree not yet claimed by a point below;
 * - a run of objects of one type, each the tree parent of the next (a linked list), is one node:
 *   its head carries the counts of the whole run;
 * - v is an accumulation point when it holds at least `minCount` unclaimed instances and no single
 *   child carries half of them (the fan-out is here, not below). A point claims its instances, so
 *   an owner above it becomes a point only for instances held elsewhere.
 * Points whose structures belong to the same kind of holder (the segments of one ConcurrentQueue,
 * the per-core timer queues) are merged. Everything is flat typed arrays, O(N) per type.
 *
 * .gcdump files record no field names. A field is named only when the shape is a well-known
 * framework type whose storage has one such field (`List<T>._items`, `OptionsMonitor<T>._onChange`);
 * `fieldKnownBy: 'type'` says so.
 */
import type { AccumulationEvidence } from '../model/evidence.js';
import type { HeapGraph, HeapSnapshot } from '../model/snapshot.js';
import { formatAddress } from './addresses.js';
import { NodeFlag } from '../model/snapshot.js';
import { stripSizeBucket } from '../model/typeNames.js';
import { requireGraph } from './requireGraph.js';
import type { ReverseEdges } from './reverseEdges.js';
import { classifyRootPath, rootTier } from './rootKinds.js';
import { pathTo, type RootPathTree } from './rootPaths.js';
import { rootLabel, staticRootName, toRetentionPath } from './retentionPath.js';
import type { TypeGroups } from './typeGroups.js';

/** What the accumulating structure is. */
export type AccumulationKind =
  'collection' | 'delegate invocation list' | 'linked list' | 'timer list' | 'channel' | 'array' | 'object';

export interface AccumulationPoint {
  /** Fan-out node(s): the array / list head / object that holds the instances (first one when merged). */
  node: number;
  /** Number of merged structures of the same kind (>= 1). */
  structures: number;
  /** Instances of the type below the point (its own unclaimed instances, summed when merged). */
  count: number;
  /** Elements of the structure: references out of the array, links of the list (summed when merged). */
  elements: number;
  kind: AccumulationKind;
  /** The object named first: the collection, the delegate's owner, the list's owner. */
  holder: number;
  /** Field of `holder` that leads to the structure, when the type's shape is well known. */
  field?: string;
  /** Type of the object the holder's field points to (the delegate, the array, the list head). */
  via?: string;
  /** The nearest meaningful owner above the holder (an application type), when there is one. */
  owner?: number;
  /** Where the owner (or holder) is reached from, in words: "the DI container", "static field s_x". */
  reachedFrom: string;
}

export interface AccumulationOptions {
  /** A point must hold at least this many instances (default 4). */
  minCount?: number;
  /** ... and at least this share of the type's reachable instances (default 0.05). */
  minShare?: number;
  /** Points kept per type, most instances first (default 3). */
  maxPoints?: number;
}

export interface AccumulationInputs {
  tree: RootPathTree;
  groups: TypeGroups;
  /** Referrers, to find the owner's place (DI container, a static) past runtime plumbing. */
  reverse?: ReverseEdges;
}

const ARRAY = /\[\]$/;
const DELEGATE =
  /^(System\.(Action|Func|EventHandler|Predicate|Comparison|Converter)\b|System\.Threading\.(TimerCallback|WaitCallback|ContextCallback|SendOrPostCallback)$)|(Handler|Callback|Delegate|EventHandler)(<.*>)?$/;
/** Internal storage of framework collections: never named first. */
const STORAGE =
  /^(Entry|Node|VolatileNode|Tables|Slot|Segment|Bucket|LinkedListNode|TaskNode|DiagnosticSubscription|CallbackNode|Registrations|ChangeTrackerDisposable)(<.*>)?(\[\])?$|^System\.Collections\.(Generic\.LinkedListNode|Concurrent\.ConcurrentQueueSegment)<|^System\.Threading\.(TimerQueueTimer|TimerHolder)$/;
const COLLECTION =
  /^System\.Collections\.(Generic\.(List|Dictionary|HashSet|Queue|Stack|LinkedList|SortedDictionary|SortedList|SortedSet|PriorityQueue)|Concurrent\.(ConcurrentDictionary|ConcurrentQueue|ConcurrentBag|ConcurrentStack|BlockingCollection)|ObjectModel\.(ObservableCollection|Collection)|Immutable\.Immutable\w+)<|^System\.Collections\.(ArrayList|Hashtable)$/;
const CHANNEL = /^System\.Threading\.Channels\.\w*Channel(`\d+)?<|^System\.Threading\.Channels\.\w*Channel\b/;
/** Runtime plumbing: objects that reach almost everything and explain nothing. */
const PLUMBING =
  /^System\.Threading\.(TimerQueue|TimerQueueTimer|TimerHolder|Timer|ExecutionContext|Thread|ThreadPool\w*|PortableThreadPool\w*|ThreadInt64PersistentCounter\w*)(\[\])?$|^System\.Net\.Sockets\.SocketAsyncEngine|^System\.Runtime\.InteropServices\.PosixSignalRegistration|^System\.Net\.Http\.(HttpConnectionPoolManager|\w*HandlerTrackingEntry)|HandlerTrackingEntry$|^System\.Runtime\.CompilerServices\.(AsyncTaskMethodBuilder|ConditionalWeakTable)|^AsyncStateMachineBox<|^State$|^System\.Threading\.Tasks\.Task(<.*>)?$/;
const DI =
  /^Microsoft\.Extensions\.DependencyInjection\.(ServiceLookup\.ServiceProviderEngineScope|ServiceProvider)$/;

/** Field names of well-known holders, by holder type and the type of the object it leads to. */
const KNOWN_FIELDS: ReadonlyArray<[RegExp, RegExp, string]> = [
  [/^System\.Collections\.Generic\.(List|Queue|Stack|PriorityQueue)</, ARRAY, '_items'],
  [/^System\.Collections\.Generic\.(Dictionary|HashSet)</, ARRAY, '_entries'],
  [/^System\.Collections\.Concurrent\.ConcurrentDictionary</, /^Tables</, '_tables'],
  [/^System\.Collections\.Concurrent\.ConcurrentQueue</, /ConcurrentQueueSegment</, '_head'],
  [/^System\.Threading\.Channels\.\w*Channel/, /^System\.Collections\./, '_items'],
  [/^Microsoft\.Extensions\.Options\.OptionsMonitor</, DELEGATE, '_onChange'],
  [/^System\.Diagnostics\.DiagnosticListener$/, /^DiagnosticSubscription$/, '_subscriptions'],
  [/^System\.Threading\.SemaphoreSlim$/, /^TaskNode$/, 'm_asyncHead'],
  [/^System\.Threading\.CancellationTokenSource/, /^Registrations$/, '_registrations'],
  [/^System\.Threading\.TimerQueue$/, /^System\.Threading\.TimerQueueTimer$/, '_shortTimers/_longTimers'],
  [/^System\.Timers\.Timer$/, DELEGATE, '_onIntervalElapsed'],
];

/** Linked lists whose owner is known even when the tree enters the list in its middle. */
const KNOWN_LISTS: ReadonlyArray<[RegExp, string, AccumulationKind, string, string]> = [
  [
    /^System\.Threading\.TimerQueueTimer$/,
    'System.Threading.TimerQueue',
    'timer list',
    'the runtime timer queues (static TimerQueue.Instances)',
    '_shortTimers/_longTimers',
  ],
];

const n = (x: number) => x.toLocaleString('en-US');

/**
 * A shortest root path to `node` that avoids runtime plumbing: from the node up, each step takes,
 * among the referrers exactly one step nearer the root (so the path stays as short as the tree's),
 * the one whose own tree path has the fewest plumbing objects (timer queues, handler-expiry timers,
 * socket and signal tables) and the most application types; ties keep the tree parent. Only the
 * root kind's tier is never traded (a static stays a static). Cost: depth × referrers × depth.
 */
export function preferredPath(
  snapshot: HeapSnapshot,
  tree: RootPathTree,
  reverse: ReverseEdges,
  node: number,
  maxCandidates = 64,
): number[] | null {
  const graph = requireGraph(snapshot);
  const first = pathTo(tree, graph.root, node);
  if (first === null) return null;
  const names = snapshot.types.names;
  const depth = new Map<number, number>();
  const depthOf = (v: number): number => {
    let d = depth.get(v);
    if (d !== undefined) return d;
    d = 0;
    for (let u = tree.parent[v]; u >= 0; u = tree.parent[u]) d++;
    depth.set(v, d);
    return d;
  };
  const score = (v: number): [number, number, number] => {
    const p = pathTo(tree, graph.root, v) ?? [];
    let plumbing = 0;
    let app = 0;
    const pseudo: string[] = [];
    for (const u of p) {
      const t = stripSizeBucket(names[graph.nodeType[u]]);
      if (u === graph.root || (graph.nodeFlags[u] & NodeFlag.Pseudo) !== 0) pseudo.push(t);
      else if (PLUMBING.test(t)) plumbing++;
      else if (isApplicationType(t)) app++;
    }
    return [rootTier(classifyRootPath(pseudo).kind), plumbing, -app];
  };
  const better = (a: [number, number, number], b: [number, number, number]) =>
    a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));
  const path = [node];
  let cur = node;
  while (tree.parent[cur] >= 0) {
    const parent = tree.parent[cur];
    let best = parent;
    if ((graph.nodeFlags[parent] & NodeFlag.Pseudo) === 0 && parent !== graph.root) {
      const want = depthOf(cur) - 1;
      let bestScore = score(parent);
      let seen = 0;
      for (
        let r = reverse.firstRef[cur], end = reverse.firstRef[cur + 1];
        r < end && seen < maxCandidates;
        r++
      ) {
        const c = reverse.source[r];
        if (c === parent || tree.parent[c] < 0 || (graph.nodeFlags[c] & NodeFlag.Pseudo) !== 0) continue;
        if (depthOf(c) !== want) continue;
        seen++;
        const sc = score(c);
        if (better(sc, bestScore)) {
          best = c;
          bestScore = sc;
        }
      }
    }
    path.push(best);
    cur = best;
  }
  return path.reverse();
}

/** Shortens `System.Collections.Generic.List<…>` to `List<…>` for the summary line: framework namespaces only. */
export function shortTypeName(name: string): string {
  return name.replace(
    /(?<![\w.])(System|Microsoft)(\.[A-Za-z_]\w*)*\.(?=[A-Za-z_]\w*(`\d+)?(<|\[|,|>|$))/g,
    '',
  );
}

/** The evidence form of a point: types and addresses, the one-line summary, the root path to the structure. */
export function toAccumulationEvidence(
  snapshot: HeapSnapshot,
  tree: RootPathTree,
  point: AccumulationPoint,
  instances: number,
  reverse?: ReverseEdges,
): AccumulationEvidence {
  const graph = requireGraph(snapshot);
  const name = (v: number) => stripSizeBucket(snapshot.types.names[graph.nodeType[v]]);
  const ref = (v: number) => {
    const r: { type: string; address?: string } = { type: name(v) };
    if (graph.nodeAddress[v] !== 0) r.address = formatAddress(graph.nodeAddress[v]);
    return r;
  };
  const holder: AccumulationEvidence['holder'] = ref(point.holder);
  if (point.field !== undefined) {
    holder.field = point.field;
    holder.fieldKnownBy = 'type';
  }
  if (point.via !== undefined) holder.via = point.via;
  const structure = { ...ref(point.node), elements: point.elements, structures: point.structures };
  const nodes = reverse
    ? preferredPath(snapshot, tree, reverse, point.node)
    : pathTo(tree, graph.root, point.node);
  const path = toRetentionPath(snapshot, nodes ?? [point.node]);
  const ev: AccumulationEvidence = {
    summary: '',
    kind: point.kind,
    count: point.count,
    holder,
    structure,
    reachedFrom: point.reachedFrom,
    path,
  };
  if (point.owner !== undefined) ev.owner = ref(point.owner);
  ev.summary = accumulationSummary(ev, instances);
  return ev;
}

/**
 * "held by OptionsMonitor<PricingOptions>._onChange (delegate invocation list: 5,500 of 5,500
 * instances), reached from the DI container". `type` formats each type name (escaping for
 * markdown, `plain` for the terminal), `words` the free text that may carry heap names.
 */
export function accumulationSummary(
  ev: AccumulationEvidence,
  instances: number,
  type: (name: string) => string = (t) => t,
  words: (text: string) => string = (t) => t,
): string {
  const holderType = shortTypeName(ev.holder.type);
  const structureType = shortTypeName(ev.structure.type);
  let what: string;
  if (ev.kind === 'timer list') what = type(`TimerQueue.${ev.holder.field ?? '_timers'}`);
  else if (ev.holder.field !== undefined) what = type(`${holderType}.${ev.holder.field}`);
  else if (ev.holder.type === ev.structure.type || ev.holder.via === undefined) what = type(holderType);
  else what = `${type(holderType)}'s ${type(shortTypeName(ev.holder.via))} field`;
  const share = `${n(ev.count)} of ${n(instances)} instances`;
  const many =
    ev.structure.structures > 1 ? `, in ${n(ev.structure.structures)} ${type(structureType)} structures` : '';
  const elements =
    ev.kind === 'linked list' || ev.kind === 'timer list'
      ? `, ${n(ev.structure.elements)} links`
      : ev.structure.elements !== ev.count
        ? `, ${n(ev.structure.elements)} references`
        : '';
  const owner = ev.owner ? ` in ${type(ev.owner.type)}` : '';
  return `held by ${what} (${ev.kind}: ${share}${elements}${many})${owner}, reached from ${words(ev.reachedFrom)}`;
}

export function isApplicationType(name: string): boolean {
  return (
    !/^(System|Microsoft|Internal|Interop|Windows|FxResources)\b/.test(name) &&
    /^[A-Za-z_]/.test(name) &&
    /\./.test(name) &&
    !STORAGE.test(name)
  );
}

/**
 * Accumulation points of each requested group, most instances first (at most `maxPoints` each).
 * Pure: reads the graph and the tree, allocates two Int32Arrays of the node count.
 */
export function findAccumulationPoints(
  snapshot: HeapSnapshot,
  inputs: AccumulationInputs,
  groupIds: readonly number[],
  options: AccumulationOptions = {},
): AccumulationPoint[][] {
  const graph = requireGraph(snapshot);
  const { tree, groups } = inputs;
  const names = snapshot.types.names;
  const { nodeType, nodeFlags } = graph;
  const minCount = options.minCount ?? 4;
  const minShare = options.minShare ?? 0.05;
  const maxPoints = options.maxPoints ?? 3;
  const count = new Int32Array(tree.reachable);
  const maxChild = new Int32Array(tree.reachable);
  const knownList = new Uint8Array(names.length);
  names.forEach((t, i) => {
    if (KNOWN_LISTS.some(([re]) => re.test(stripSizeBucket(t)))) knownList[i] = 1;
  });
  const isObject = (v: number) =>
    v !== graph.root && (nodeFlags[v] & (NodeFlag.Pseudo | NodeFlag.Undefined)) === 0;
  const typeName = (v: number) => stripSizeBucket(names[nodeType[v]]);

  // Reachable instances per requested group, for the share threshold: one pass for all of them.
  const slot = new Int32Array(groups.names.length).fill(-1);
  groupIds.forEach((g, k) => {
    if (g >= 0) slot[g] = k;
  });
  const instances = new Array<number>(groupIds.length).fill(0);
  const { groupOf } = groups;
  const { order, reachable, parentPos: parentAt } = tree;
  // Requested slot per visit-order position (-1 for other types): read in order by every sweep.
  const slotAt = new Int8Array(reachable).fill(-1);
  // Per position, read in order by every sweep: 1 = a link of a run (same type as its tree
  // parent, both objects), 2 = a runtime list link, 4 = an object (not a pseudo-node).
  const shape = new Uint8Array(reachable);
  const LINK = 1;
  const LIST = 2;
  const OBJECT = 4;
  for (let i = 0; i < reachable; i++) {
    const v = order[i];
    const t = nodeType[v];
    const gg = groupOf[t];
    if (gg >= 0 && slot[gg] >= 0) {
      slotAt[i] = slot[gg] > 126 ? 127 : slot[gg];
      instances[slot[gg]]++;
    }
    if (!isObject(v)) continue;
    let f = OBJECT;
    if (knownList[t] === 1) f |= LIST;
    const p = parentAt[i];
    if (p >= 0 && nodeType[order[p]] === t && isObject(order[p])) f |= LINK;
    shape[i] = f;
  }

  return groupIds.map((g, k) => {
    if (g < 0 || instances[k] === 0) return [];
    const threshold = Math.max(minCount, Math.ceil(minShare * instances[k]));
    const found: Array<{ node: number; count: number; run: number }> = [];
    // Runtime lists (the timer queues) are entered from anywhere: all their links are one structure.
    const lists = new Map<number, { node: number; count: number; maxChild: number }>();
    // Children come after their parents in `order`: a reverse sweep sees every subtree complete.
    // Each slot is cleared once read, so the arrays are all zero again for the next group.
    for (let i = reachable - 1; i > 0; i--) {
      let c = count[i];
      if (slotAt[i] === k || (k > 126 && slotAt[i] === 127 && groupOf[nodeType[order[i]]] === g)) c++;
      if (c === 0) continue;
      const most = maxChild[i];
      count[i] = 0;
      maxChild[i] = 0;
      const f = shape[i];
      if ((f & LIST) !== 0) {
        const v = order[i];
        const t = nodeType[v];
        const l = lists.get(t) ?? { node: v, count: 0, maxChild: 0 };
        l.node = v;
        l.count += c;
        if (most > l.maxChild) l.maxChild = most;
        lists.set(t, l);
        continue;
      }
      const p = parentAt[i];
      if (p < 0) continue;
      if ((f & LINK) !== 0) {
        // A link of a list: the head speaks for the run.
        count[p] += c;
        if (most > maxChild[p]) maxChild[p] = most;
        continue;
      }
      if (c >= threshold && 2 * most < c && (f & OBJECT) !== 0) {
        const v = order[i];
        found.push({ node: v, count: c, run: runOf(graph, tree, v) });
        c = 0; // claimed
      }
      count[p] += c;
      if (c > maxChild[p]) maxChild[p] = c;
    }
    count[0] = 0;
    maxChild[0] = 0;
    for (const [t, l] of lists)
      if (l.count >= threshold && 2 * l.maxChild < l.count)
        found.push({ node: l.node, count: l.count, run: Math.max(1, objectsOfType(snapshot, t)) - 1 });
    const points = found.map((f) => describePoint(snapshot, graph, inputs, f.node, f.count, f.run));
    return mergePoints(points, typeName).slice(0, maxPoints);
  });
}

/** Links after `head` in its run: tree children of the same type, followed one by one. */
function runOf(graph: HeapGraph, tree: RootPathTree, head: number): number {
  let links = 0;
  let v = head;
  for (;;) {
    let next = -1;
    for (let e = graph.firstEdge[v], end = graph.firstEdge[v + 1]; e < end; e++) {
      const w = graph.edgeTarget[e];
      if (tree.parent[w] === v && graph.nodeType[w] === graph.nodeType[v] && w !== v) {
        next = w;
        break;
      }
    }
    if (next < 0) return links;
    links++;
    v = next;
  }
}

function objectsOfType(snapshot: HeapSnapshot, typeIndex: number): number {
  const name = stripSizeBucket(snapshot.types.names[typeIndex]);
  return snapshot.stats.find((s) => s.name === name)?.count ?? 1;
}

function mergePoints(points: AccumulationPoint[], typeName: (v: number) => string): AccumulationPoint[] {
  const byKey = new Map<string, AccumulationPoint>();
  for (const p of points) {
    // Several structures of one holder (the segments of a ConcurrentQueue) are one point.
    const key = `${p.kind}\u0000${p.holder}\u0000${p.field ?? ''}\u0000${typeName(p.node)}`;
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, { ...p });
      continue;
    }
    if (p.count > prev.count) prev.node = p.node;
    prev.count += p.count;
    prev.elements += p.elements;
    prev.structures += p.structures;
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || a.node - b.node);
}

/** Out-degree of an array / object, or the length of a run (linked list). */
function elementsOf(graph: HeapGraph, v: number, run: number): number {
  return run > 0 ? run + 1 : graph.firstEdge[v + 1] - graph.firstEdge[v];
}

function describePoint(
  snapshot: HeapSnapshot,
  graph: HeapGraph,
  inputs: AccumulationInputs,
  node: number,
  count: number,
  run: number,
): AccumulationPoint {
  const { tree } = inputs;
  const name = (v: number) => stripSizeBucket(snapshot.types.names[graph.nodeType[v]]);
  const isObject = (v: number) =>
    v >= 0 && v !== graph.root && (graph.nodeFlags[v] & (NodeFlag.Pseudo | NodeFlag.Undefined)) === 0;
  const elements = elementsOf(graph, node, run);
  const type = name(node);

  // A linked list the runtime owns, entered anywhere: name its owner, not the tree's way in.
  for (const [re, ownerType, kind, from, field] of KNOWN_LISTS) {
    if (!re.test(type)) continue;
    // The list's owner (a TimerQueue): the tree parent when it is one, else the first in the heap.
    const p = tree.parent[node];
    let holder = p >= 0 && name(p) === ownerType ? p : -1;
    if (holder < 0) {
      const t = snapshot.types.names.findIndex((x) => stripSizeBucket(x) === ownerType);
      for (let v = 0; v < graph.nodeCount && t >= 0 && holder < 0; v++)
        if (graph.nodeType[v] === t) holder = v;
    }
    return {
      node,
      structures: 1,
      count,
      elements,
      kind,
      holder: holder < 0 ? node : holder,
      field,
      via: type,
      reachedFrom: from,
    };
  }

  // Climb from the structure through storage and delegates to the object named first.
  let holder = node;
  let below = node;
  let kind: AccumulationKind = run > 0 ? 'linked list' : ARRAY.test(type) ? 'array' : 'object';
  let viaDelegate = DELEGATE.test(type);
  for (let guard = 0; guard < 16; guard++) {
    const t = name(holder);
    const climbable = STORAGE.test(t) || ARRAY.test(t) || DELEGATE.test(t) || (holder === node && run > 0);
    const p = tree.parent[holder];
    if (!climbable || !isObject(p)) break;
    if (DELEGATE.test(t)) viaDelegate = true;
    below = holder;
    holder = p;
    const pt = name(holder);
    if (COLLECTION.test(pt) || CHANNEL.test(pt)) break;
  }
  // A collection inside a channel: the channel is the holder.
  const up = tree.parent[holder];
  if (COLLECTION.test(name(holder)) && isObject(up) && CHANNEL.test(name(up))) {
    below = holder;
    holder = up;
  }
  const holderType = name(holder);
  // A delegate held straight by a root (a static event): the delegate is the holder, and the
  // multicast delegate's one array field is its invocation list.
  const delegateHolder = DELEGATE.test(holderType) && holder !== node;
  if (delegateHolder) viaDelegate = true;
  if (CHANNEL.test(holderType)) kind = 'channel';
  else if (viaDelegate && !(run > 0)) kind = 'delegate invocation list';
  else if (COLLECTION.test(holderType)) kind = 'collection';
  else if (run > 0) kind = 'linked list';
  const field =
    holder === node
      ? undefined
      : delegateHolder && ARRAY.test(name(below))
        ? '_invocationList'
        : fieldOf(holderType, name(below));

  // The owner: the nearest application type above the holder (within a few steps), then where it lives.
  // Storage, collections, delegates and nested helpers (`CoherentState`) are passed; the DI
  // container and runtime plumbing end the search without an owner.
  let owner: number | undefined;
  if (!isApplicationType(holderType)) {
    let v = tree.parent[holder];
    for (let steps = 0; steps < 8 && isObject(v); steps++, v = tree.parent[v]) {
      const t = name(v);
      if (DI.test(t) || PLUMBING.test(t)) break;
      if (STORAGE.test(t) || ARRAY.test(t) || DELEGATE.test(t) || COLLECTION.test(t) || !t.includes('.'))
        continue;
      owner = v;
      break;
    }
  }
  const point: AccumulationPoint = {
    node,
    structures: 1,
    count,
    elements,
    kind,
    holder,
    reachedFrom: reachedFrom(snapshot, graph, inputs, owner ?? holder),
  };
  if (field !== undefined) point.field = field;
  if (holder !== node) point.via = name(below);
  if (owner !== undefined) point.owner = owner;
  return point;
}

function fieldOf(holderType: string, belowType: string): string | undefined {
  for (const [h, b, f] of KNOWN_FIELDS) if (h.test(holderType) && b.test(belowType)) return f;
  return undefined;
}

/**
 * Where an object lives, in words: the DI container when its path (or a short detour around
 * runtime plumbing) goes through a service provider scope; else the root of its tree path.
 */
function reachedFrom(
  snapshot: HeapSnapshot,
  graph: HeapGraph,
  inputs: AccumulationInputs,
  from: number,
): string {
  const names = snapshot.types.names;
  const name = (v: number) => stripSizeBucket(names[graph.nodeType[v]]);
  const path = pathTo(inputs.tree, graph.root, from);
  if (path === null) return 'no root (unreachable)';
  let throughPlumbing = false;
  for (let i = path.length - 1; i >= 0; i--) {
    const t = name(path[i]);
    if (DI.test(t)) return 'the DI container';
    if (PLUMBING.test(t)) throughPlumbing = true;
  }
  if (throughPlumbing && inputs.reverse) {
    const found = nearestLandmark(graph, inputs.reverse, from, name);
    if (found !== undefined) return found;
  }
  const pseudo: string[] = [];
  let first: number | undefined;
  for (const v of path) {
    if (v === graph.root || (graph.nodeFlags[v] & NodeFlag.Pseudo) !== 0)
      pseudo.push(names[graph.nodeType[v]]);
    else {
      first = v;
      break;
    }
  }
  const root = classifyRootPath(pseudo);
  const rootName =
    root.rootName === undefined
      ? undefined
      : staticRootName(root.rootName, first === undefined ? undefined : name(first));
  return rootLabel(root.kind, rootName);
}

/**
 * Breadth-first over referrers from `from`, not through runtime plumbing, for at most `budget`
 * objects: the first DI container object or static root met names where `from` lives.
 */
function nearestLandmark(
  graph: HeapGraph,
  reverse: ReverseEdges,
  from: number,
  name: (v: number) => string,
  budget = 4096,
): string | undefined {
  const seen = new Set<number>([from]);
  const queue = [from];
  for (let head = 0; head < queue.length && seen.size < budget; head++) {
    const v = queue[head];
    for (let r = reverse.firstRef[v], end = reverse.firstRef[v + 1]; r < end; r++) {
      const s = reverse.source[r];
      if (seen.has(s)) continue;
      seen.add(s);
      if (s === graph.root || (graph.nodeFlags[s] & NodeFlag.Pseudo) !== 0) continue;
      const t = name(s);
      if (DI.test(t)) return 'the DI container';
      if (PLUMBING.test(t)) continue;
      queue.push(s);
    }
  }
  return undefined;
}
