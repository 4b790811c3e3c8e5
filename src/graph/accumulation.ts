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
import type { PlaceGrowth } from './baselineGrowth.js';
import type { HeapGraph, HeapSnapshot } from '../model/snapshot.js';
import { formatAddress } from './addresses.js';
import { NodeFlag } from '../model/snapshot.js';
import { stripSizeBucket } from '../model/typeNames.js';
import { requireGraph } from './requireGraph.js';
import type { ReverseEdges } from './reverseEdges.js';
import { classifyRootPath, rootTier } from './rootKinds.js';
import { pathTo, type RootPathTree } from './rootPaths.js';
import { rootLabel, staticRootName, toRetentionPath } from './retentionPath.js';
import { buildPathSignatures, type PathSignatures } from './pathSignatures.js';
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
  /**
   * Per requested group, the count `minShare` applies to instead of all reachable instances (the
   * growth since a baseline, so a growing structure qualifies next to a larger fixed one).
   */
  shareOf?: ReadonlyArray<number | undefined>;
}

export interface AccumulationInputs {
  tree: RootPathTree;
  groups: TypeGroups;
  /** Referrers, to find the owner's place (DI container, a static) past runtime plumbing. */
  reverse?: ReverseEdges;
  /** The tree's path signatures (their runs are the linked lists); built here when absent. */
  signatures?: PathSignatures;
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
  // Per node met: its depth and what its tree path holds (the root's pseudo-nodes, plumbing and
  // application types), filled from the nearest node already known, so a path thousands of steps
  // deep is walked once, not once per step and candidate.
  interface Facts {
    depth: number;
    pseudo: string[];
    plumbing: number;
    app: number;
  }
  const facts = new Map<number, Facts>();
  const factsOf = (v: number): Facts => {
    const known = facts.get(v);
    if (known) return known;
    const chain: number[] = [];
    let u = v;
    let above: Facts | undefined;
    for (; u >= 0; u = tree.parent[u]) {
      above = facts.get(u);
      if (above) break;
      chain.push(u);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const w = chain[i];
      const t = stripSizeBucket(names[graph.nodeType[w]]);
      const f: Facts = above
        ? { depth: above.depth + 1, pseudo: above.pseudo, plumbing: above.plumbing, app: above.app }
        : { depth: 0, pseudo: [], plumbing: 0, app: 0 };
      if (w === graph.root || (graph.nodeFlags[w] & NodeFlag.Pseudo) !== 0) f.pseudo = [...f.pseudo, t];
      else if (PLUMBING.test(t)) f.plumbing++;
      else if (isApplicationType(t)) f.app++;
      facts.set(w, f);
      above = f;
    }
    return facts.get(v) as Facts;
  };
  const depthOf = (v: number): number => factsOf(v).depth;
  const tiers = new Map<string[], number>();
  const score = (v: number): [number, number, number] => {
    const f = factsOf(v);
    let tier = tiers.get(f.pseudo);
    if (tier === undefined) {
      tier = rootTier(classifyRootPath(f.pseudo).kind);
      tiers.set(f.pseudo, tier);
    }
    return [tier, f.plumbing, -f.app];
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
  growth?: PlaceGrowth,
): AccumulationEvidence {
  const graph = requireGraph(snapshot);
  const name = (v: number) => stripSizeBucket(snapshot.types.names[graph.nodeType[v]]);
  const ref = (v: number) => {
    const r: { type: string; address?: string } = { type: name(v) };
    if (graph.nodeAddress.of(v) !== 0) r.address = formatAddress(graph.nodeAddress.of(v));
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
  if (growth) ev.sinceBaseline = { baseline: growth.baseline, added: growth.head - growth.baseline };
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
  const added = ev.sinceBaseline
    ? `, ${ev.sinceBaseline.added < 0 ? '-' : '+'}${n(Math.abs(ev.sinceBaseline.added))} since baseline`
    : '';
  return `held by ${what} (${ev.kind}: ${share}${elements}${many}${added})${owner}, reached from ${words(ev.reachedFrom)}`;
}

export function isApplicationType(name: string): boolean {
  return (
    !/^(System|Microsoft|Internal|Interop|Windows|FxResources)\b/.test(name) &&
    /^[A-Za-z_]/.test(name) &&
    /\./.test(name) &&
    !STORAGE.test(name)
  );
}

/** Shape bits per visit-order position, read by every sweep. */
const LINK = 1; // a link of a run: same type as its tree parent, both objects
const LIST = 2; // a link of a runtime list (KNOWN_LISTS)
const OBJECT = 4; // an object, not a pseudo-node
const HEAD = 8; // the tree parent of a link: the head of a run, whose length is worth counting

/** Slots per pass: a position's slot is one byte, and -1 marks other types. */
const SLOTS_PER_PASS = 127;

/**
 * Accumulation points of each requested group, most instances first (at most `maxPoints` each).
 * Pure: reads the graph and the tree; allocates one Int32Array of twice the reachable count and
 * two byte arrays of the reachable count, shared by all the groups.
 */
export function findAccumulationPoints(
  snapshot: HeapSnapshot,
  inputs: AccumulationInputs,
  groupIds: readonly number[],
  options: AccumulationOptions = {},
): AccumulationPoint[][] {
  if (groupIds.length > SLOTS_PER_PASS) {
    const out: AccumulationPoint[][] = [];
    for (let at = 0; at < groupIds.length; at += SLOTS_PER_PASS)
      out.push(...findAccumulationPoints(snapshot, inputs, groupIds.slice(at, at + SLOTS_PER_PASS), options));
    return out;
  }
  const graph = requireGraph(snapshot);
  const { tree, groups } = inputs;
  const names = snapshot.types.names;
  const { nodeType } = graph;
  const minCount = options.minCount ?? 4;
  const minShare = options.minShare ?? 0.05;
  const maxPoints = options.maxPoints ?? 3;
  const { order, reachable, parentPos } = tree;
  const { groupOf } = groups;
  const typeName = (v: number) => stripSizeBucket(names[nodeType[v]]);

  // Per type index: its requested slot (-1 for other types), and its shape bits; objects are
  // the types of a canonical group (pseudo-nodes and undefined nodes have none).
  const typeSlot = new Int8Array(names.length).fill(-1);
  const typeShape = new Uint8Array(names.length);
  const slotOfGroup = new Map<number, number>();
  groupIds.forEach((g, k) => {
    if (g >= 0 && !slotOfGroup.has(g)) slotOfGroup.set(g, k);
  });
  for (let t = 0; t < names.length; t++) {
    const g = groupOf[t];
    if (g < 0) continue;
    typeSlot[t] = slotOfGroup.get(g) ?? -1;
    typeShape[t] = OBJECT | (KNOWN_LISTS.some(([re]) => re.test(stripSizeBucket(names[t]))) ? LIST : 0);
  }

  // One pass for all groups: each position's requested slot (-1 for other types) and shape, the
  // reachable instances per group (for the share threshold) and the highest position holding
  // one (a sweep starts there: children come after their parents, so nothing above it counts).
  const instances = new Int32Array(groupIds.length);
  const last = new Int32Array(groupIds.length);
  const slotAt = new Int8Array(reachable).fill(-1);
  const shape = new Uint8Array(reachable);
  // Runs (a node of its tree parent's type) come from the path signatures, which the evidence
  // has built already for the clusters.
  const { runAt } = inputs.signatures ?? buildPathSignatures(snapshot, tree, groups);
  for (let i = 0; i < reachable; i++) {
    const t = nodeType[order[i]];
    const k = typeSlot[t];
    if (k >= 0) {
      slotAt[i] = k;
      instances[k]++;
      last[k] = i;
    }
    const f = typeShape[t];
    if (f === 0) continue;
    if (runAt[i] === 1) {
      shape[i] = f | LINK;
      shape[parentPos[i]] |= HEAD;
    } else shape[i] = f;
  }
  // Per position: [2i] instances not yet claimed below, [2i+1] the most any one child carries;
  // interleaved so one visit touches one cache line, and all zero between sweeps.
  const counts = new Int32Array(2 * reachable);

  return groupIds.map((g, k) => {
    if (g < 0 || instances[k] === 0) return [];
    const of = options.shareOf?.[k];
    const share = of !== undefined && of > 0 ? Math.min(of, instances[k]) : instances[k];
    const threshold = Math.max(minCount, Math.ceil(minShare * share));
    // Runtime lists (the timer queues) are entered from anywhere: all their links are one structure.
    const lists = new Map<number, { node: number; count: number; maxChild: number }>();
    const hits = sweep(
      counts,
      slotAt,
      shape,
      parentPos,
      last[k],
      k,
      threshold,
      instances[k],
      (i, c, most) => {
        const v = order[i];
        const t = nodeType[v];
        const l = lists.get(t) ?? { node: v, count: 0, maxChild: 0 };
        l.node = v;
        l.count += c;
        if (most > l.maxChild) l.maxChild = most;
        lists.set(t, l);
      },
    );
    const found: Array<{ node: number; count: number; run: number }> = [];
    for (let h = 0; h < hits.length; h += 2) {
      const v = order[hits[h]];
      const run = (shape[hits[h]] & HEAD) !== 0 ? runOf(graph, tree, v) : 0;
      found.push({ node: v, count: hits[h + 1], run });
    }
    for (const [t, l] of lists)
      if (l.count >= threshold && 2 * l.maxChild < l.count)
        found.push({ node: l.node, count: l.count, run: Math.max(1, objectsOfType(snapshot, t)) - 1 });
    const points = found.map((f) => describePoint(snapshot, graph, inputs, f.node, f.count, f.run));
    return mergePoints(points, typeName).slice(0, maxPoints);
  });
}

/**
 * One group's sweep, in reverse visit order from `from` (children come after their parents, so
 * every subtree is complete when its top is met): carries each position's unclaimed count and
 * largest child count up to its tree parent, and claims a point where at least `threshold`
 * instances fan out (no child carries half). A run's links pass their counts to its head;
 * runtime list links go to `onList` instead. Returns [position, count] pairs of the points.
 * Leaves `counts` all zero; ends as soon as every instance is met and claimed or listed.
 */
function sweep(
  counts: Int32Array,
  slotAt: Int8Array,
  shape: Uint8Array,
  parentPos: Int32Array,
  from: number,
  k: number,
  threshold: number,
  instances: number,
  onList: (position: number, count: number, most: number) => void,
): number[] {
  const hits: number[] = [];
  let unseen = instances; // instances not met yet
  let inFlight = 0; // instances counted on some position, not yet claimed or listed
  let i = from;
  for (; i > 0; i--) {
    const at = 2 * i;
    let c = counts[at];
    if (slotAt[i] === k) {
      c++;
      unseen--;
      inFlight++;
    }
    if (c === 0) continue;
    const most = counts[at + 1];
    counts[at] = 0;
    counts[at + 1] = 0;
    const f = shape[i];
    if ((f & LIST) !== 0) {
      onList(i, c, most);
      inFlight -= c;
      if (unseen === 0 && inFlight === 0) break;
      continue;
    }
    const p = parentPos[i];
    if (p < 0) {
      inFlight -= c;
      continue;
    }
    const pt = 2 * p;
    if ((f & LINK) !== 0) {
      // A link of a list: the head speaks for the run.
      counts[pt] += c;
      if (most > counts[pt + 1]) counts[pt + 1] = most;
      continue;
    }
    if (c >= threshold && 2 * most < c && (f & OBJECT) !== 0) {
      hits.push(i, c); // claimed
      inFlight -= c;
      if (unseen === 0 && inFlight === 0) break;
      continue;
    }
    counts[pt] += c;
    if (c > counts[pt + 1]) counts[pt + 1] = c;
  }
  counts[0] = 0;
  counts[1] = 0;
  return hits;
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
