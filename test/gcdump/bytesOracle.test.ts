/**
 * Per-type counts AND bytes of a real .gcdump, checked type by type against SOS on a full dump of
 * the same process at the same checkpoint (`dumpheap -stat -live`), in both directions.
 *
 * The app is paused at a checkpoint (it has run two blocking compacting GCs around
 * WaitForPendingFinalizers and waits on stdin). A first .gcdump at `warmup` absorbs what the first
 * EventPipe session allocates for good (EventSource metadata). At `round-1`: a full dump, then
 * two .gcdumps. The second .gcdump equals the first type by type, so nothing the collections
 * allocate survives into what heapgate reads.
 *
 * What the .gcdump holds beyond SOS's live set, every part of it taken from SOS itself:
 *  - NonGC (frozen) heap objects SOS does not reach (string literals, RuntimeType objects):
 *    `dumpheap -stat -dead -segment <NonGC segment>`. They are exactly the .gcdump's nodes that
 *    heapgate finds unreachable from the roots.
 *  - Objects in GC segments the runtime keeps but SOS's `-live` walk does not reach: the
 *    finalizer-queue entry of System.Gen2GcCallback and the thread-static per-thread buckets of
 *    the shared array pool (SharedArrayPoolThreadLocalArray[], its storage Object[]s, a pooled
 *    Char[]). Allowed by name only, and equal to what `dumpheap -stat -dead` lists of those types.
 *  - String.Empty: the .gcdump records 22 bytes, SOS its 24-byte slot on the heap (2 bytes on
 *    System.String, nothing else).
 *  - Now and then, TimeSpan's three static boxes, created after the dump (see below).
 * Free and garbage allocated by the collections (dead in SOS, absent from the .gcdump) are what
 * `-live` leaves out anyway.
 *
 * heapgate's own reading of the same full dump (which runs `dumpheap -stat -live` and parses it
 * with src/formats/sos) must equal SOS's live set as the test-only reader reads it, type by type.
 */
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { reachableFromRoot } from '../../src/graph/reachable.js';
import { NodeFlag, type HeapSnapshot } from '../../src/model/snapshot.js';
import { withScenario, type ScenarioName } from '../support/scenario.js';
import { dumpAnalyze } from '../support/tools.js';
import {
  gcdumpNameAsCanonical,
  sosNameAsGcdump,
  sosNonGcSegments,
  sosStatTables,
  type RefRow,
} from '../support/referenceText.js';
import { rowsWithoutThreadStaticOnly } from '../support/threadStaticOnly.js';

/** Kept alive by the runtime through roots SOS's `dumpheap -live` does not follow (see above). */
const KEPT_OUTSIDE_SOS_LIVE = new Set([
  'System.Gen2GcCallback',
  'System.Buffers.SharedArrayPoolThreadLocalArray[]',
  'System.Object[]',
  'System.Char[]',
]);

/** The one size the two tools disagree on: String.Empty, 22 bytes in the .gcdump, 24 in SOS. */
const STRING_EMPTY_BYTES = { gcdump: 22, sos: 24 };

type Rows = Map<string, RefRow>;

/** SOS rows keyed by dotnet-gcdump's spelling (several SOS names can share one, e.g. `[]c`). */
function asGcdumpNames(rows: Rows): Rows {
  const out: Rows = new Map();
  for (const [name, row] of rows) {
    if (name === 'Free') continue;
    const key = sosNameAsGcdump(name);
    const prev = out.get(key) ?? { count: 0, bytes: 0 };
    out.set(key, { count: prev.count + row.count, bytes: prev.bytes + row.bytes });
  }
  return out;
}

function add(...tables: Rows[]): Rows {
  const out: Rows = new Map();
  for (const t of tables)
    for (const [name, row] of t) {
      const prev = out.get(name) ?? { count: 0, bytes: 0 };
      out.set(name, { count: prev.count + row.count, bytes: prev.bytes + row.bytes });
    }
  return out;
}

/** Rows by canonical name (the dump reader names `<>c` where dotnet-gcdump writes `[]c`). */
function canonical(rows: Rows): Rows {
  const out: Rows = new Map();
  for (const [name, row] of rows) {
    const key = gcdumpNameAsCanonical(name);
    const prev = out.get(key) ?? { count: 0, bytes: 0 };
    out.set(key, { count: prev.count + row.count, bytes: prev.bytes + row.bytes });
  }
  return out;
}

function statRows(snap: HeapSnapshot): Rows {
  return new Map(snap.stats.map((s) => [s.name, { count: s.count, bytes: s.bytes }]));
}

/** The .gcdump's objects heapgate finds unreachable from its roots, per type. */
function unreachableRows(snap: HeapSnapshot): Rows {
  const g = snap.graph!;
  const reached = reachableFromRoot(g);
  const out: Rows = new Map();
  for (let i = 0; i < g.nodeCount; i++) {
    if (reached[i] || (g.nodeFlags[i] & (NodeFlag.Pseudo | NodeFlag.Undefined)) !== 0) continue;
    const name = snap.types.names[g.nodeType[i]];
    const prev = out.get(name) ?? { count: 0, bytes: 0 };
    out.set(name, { count: prev.count + 1, bytes: prev.bytes + g.nodeSize[i] });
  }
  return out;
}

/** Sorted [name, count, bytes] rows, so a failure shows the types that differ side by side. */
const table = (rows: Rows) =>
  [...rows]
    .map(([name, r]) => [name, r.count, r.bytes] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

interface Oracle {
  live: Rows;
  deadFrozen: Rows;
  deadOnGcHeap: Rows;
  liveTotal: RefRow;
}

async function sosOracle(dump: string): Promise<Oracle> {
  const segments = sosNonGcSegments(await dumpAnalyze(dump, ['eeheap -gc']));
  expect(segments.length).toBeGreaterThan(0);
  const text = await dumpAnalyze(dump, [
    'dumpheap -stat -live',
    'dumpheap -stat -dead',
    ...segments.map((s) => `dumpheap -stat -dead -segment ${s}`),
  ]);
  const [live, dead, ...frozen] = sosStatTables(text);
  expect(frozen).toHaveLength(segments.length);
  const deadFrozen = add(...frozen.map((t) => asGcdumpNames(t.rows)));
  const deadAll = asGcdumpNames(dead.rows);
  const deadOnGcHeap: Rows = new Map();
  for (const [name, row] of deadAll) {
    const f = deadFrozen.get(name) ?? { count: 0, bytes: 0 };
    if (row.count > f.count)
      deadOnGcHeap.set(name, { count: row.count - f.count, bytes: row.bytes - f.bytes });
  }
  return { live: asGcdumpNames(live.rows), deadFrozen, deadOnGcHeap, liveTotal: live.total };
}

const SCENARIOS: ScenarioName[] = ['static-list', 'cache', 'event-handler', 'timer'];

describe.each(SCENARIOS)('per-type bytes of a .gcdump against SOS dumpheap -stat -live: %s', (scenario) => {
  it('every type has the same count and bytes, in both directions, up to the known differences', async () => {
    await withScenario(scenario, { rounds: 1, perRound: 500 }, async (s) => {
      expect(await s.checkpoint()).toBe('warmup');
      await s.gcdump('warmup.gcdump');
      s.continue();
      expect(await s.checkpoint()).toBe('round-1');
      const dump = await s.dump('round-1.dmp', 'full');
      const first = await loadSnapshot(await s.gcdump('round-1.gcdump'));
      const second = await loadSnapshot(await s.gcdump('round-1-again.gcdump'), { graph: false });
      expect(second.stats).toEqual(first.stats);

      const oracle = await sosOracle(dump);
      const mine = statRows(first);

      // 1. The .gcdump's unreachable nodes are exactly SOS's unreached objects of the NonGC heap.
      expect(table(unreachableRows(first))).toEqual(table(oracle.deadFrozen));

      // 2. Objects the runtime keeps that SOS's -live misses: only the named kinds, and exactly
      //    what SOS lists as dead of those types on the GC heap.
      const kept: Rows = new Map(
        [...oracle.deadOnGcHeap].filter(([name]) => KEPT_OUTSIDE_SOS_LIVE.has(name) && mine.has(name)),
      );

      // 3. Type by type, both directions: .gcdump = SOS live + unreached frozen + kept.
      const expected = add(oracle.live, oracle.deadFrozen, kept);
      const str = expected.get('System.String')!;
      expected.set('System.String', {
        count: str.count,
        bytes: str.bytes - (STRING_EMPTY_BYTES.sos - STRING_EMPTY_BYTES.gcdump),
      });
      // Objects created between the dump and the .gcdump: now and then (seen in the timer
      // scenario) TimeSpan's static constructor runs in that gap, boxing TimeSpan.Zero, MinValue
      // and MaxValue (24 bytes each). They are then not in the dump at all, live or dead.
      const span = mine.get('System.TimeSpan');
      const spanExpected = expected.get('System.TimeSpan') ?? { count: 0, bytes: 0 };
      if (span !== undefined && span.count !== spanExpected.count) {
        expect([span.count - spanExpected.count, span.bytes - spanExpected.bytes]).toEqual([3, 72]);
        expect(oracle.deadOnGcHeap.get('System.TimeSpan')).toBeUndefined();
        expected.set('System.TimeSpan', span);
      }
      expect(table(mine)).toEqual(table(expected));

      // heapgate's own reading of the full dump (live objects by default): SOS's live set exactly,
      // once the objects only thread-statics hold are left out (the ClrMD reader follows
      // thread-static roots, SOS 10's -live does not); through dotnet-dump it is SOS's own set.
      const fromDump = await loadSnapshot(dump, { graph: true });
      expect(fromDump.meta.format).toBe('dump');
      const dumpRows = fromDump.graph ? rowsWithoutThreadStaticOnly(fromDump, (n) => n) : statRows(fromDump);
      expect(table(canonical(dumpRows))).toEqual(table(canonical(oracle.live)));

      // The totals follow, and the comparison covered a real heap with the app's own types.
      expect(oracle.live.size).toBeGreaterThan(50);
      const leaked = [...mine.keys()].filter((n) => n.startsWith('HeapgateScenarios.Leaks.'));
      expect(leaked.length).toBeGreaterThan(0);
      const sum = (rows: Rows) =>
        [...rows.values()].reduce((a, r) => ({ count: a.count + r.count, bytes: a.bytes + r.bytes }), {
          count: 0,
          bytes: 0,
        });
      expect({ count: first.totals.objects, bytes: first.totals.bytes }).toEqual(sum(expected));
      expect(sum(dumpRows)).toEqual(oracle.liveTotal);
    });
  }, 300_000);
});

describe("SOS type names as dotnet-gcdump writes them (the oracle's name mapping)", () => {
  it.each([
    [
      'System.Collections.Generic.Dictionary<System.Int32, X.Y>',
      'System.Collections.Generic.Dictionary<System.Int32,X.Y>',
    ],
    ['System.Collections.Generic.Dictionary<System.Int32, X.Y>+Entry[]', 'Entry<System.Int32,X.Y>[]'],
    [
      'System.Collections.Generic.Dictionary<System.Int32, A+B>+KeyCollection',
      'KeyCollection<System.Int32,A+B>',
    ],
    [
      'System.RuntimeType+RuntimeTypeCache+MemberInfoCache<System.RuntimeType>',
      'MemberInfoCache<System.RuntimeType>',
    ],
    ['System.Type+<>c', '[]c'],
    ['System.Buffers.SharedArrayPool<System.Char>+<>c', '[]c<System.Char>'],
    ['Ns.Timers+<>c__DisplayClass5_0', '[]c__DisplayClass5_0'],
    // A nested type of a generic type inside arguments (.NET 8's SharedArrayPool<T>+ThreadLocalArray).
    [
      'System.Runtime.CompilerServices.ConditionalWeakTable<System.Buffers.SharedArrayPool<System.Char>+ThreadLocalArray[], System.Object>+Entry[]',
      'Entry<System.Buffers.SharedArrayPool+ThreadLocalArray<System.Char>[],System.Object>[]',
    ],
    [
      'System.Collections.Generic.Dictionary<System.Int32, Ns.Outer+Gen<System.Int32>+Deep<System.String>>',
      'System.Collections.Generic.Dictionary<System.Int32,Ns.Outer+Gen+Deep<System.Int32,System.String>>',
    ],
    [
      'System.Runtime.CompilerServices.AsyncTaskMethodBuilder<System.Int32>+AsyncStateMachineBox<Ns.Program+<RunAsync>d__1>',
      'AsyncStateMachineBox<System.Int32,Ns.Program+<RunAsync>d__1>',
    ],
    ['System.String[,]', 'System.String<,>'],
    ['System.Byte[][]', 'System.Byte[][]'],
    [
      'System.Func<System.Object, System.Collections.Generic.List<System.Int32>>',
      'System.Func<System.Object,System.Collections.Generic.List<System.Int32>>',
    ],
  ])('%s -> %s', (sos, gcdump) => {
    expect(sosNameAsGcdump(sos)).toBe(gcdump);
  });
});
