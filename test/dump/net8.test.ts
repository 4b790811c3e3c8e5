/**
 * Full dumps and .gcdumps of a .NET 8 process: the scenario app's self-contained .NET 8 build
 * (test/apps/LeakScenarios.Net8, published by scripts/build-dotnet.sh), which carries its own
 * runtime and libmscordaccore.so, so no .NET 8 install is needed. Checked against the reference
 * tools, read by the test-only parsers: SOS (`dotnet-dump analyze "dumpheap -stat -live"`) on the
 * dump, `dotnet-gcdump report` on the .gcdump, and against a .gcdump of the same process.
 *
 * What differs from a .NET 10 target (test/dump/clrmd.test.ts):
 * - .NET 8 keeps a thread's thread-statics in an object[] held by a strong handle, so SOS's
 *   `dumpheap -live` (and heapgate's dotnet-dump fallback) sees thread-static-held objects; on
 *   .NET 10 they hang off the thread itself and SOS misses them.
 * - The .gcdump of a .NET 8 process shows a thread-static leak as "strong handle → Object[] → …";
 *   the dump, read through ClrMD, names the field and calls it thread-static.
 * - Statics and thread-statics of generic types (List<T>.s_emptyArray,
 *   SharedArrayPool<char>.t_tlsBuckets) are named on .NET 10 but not on .NET 8, where ClrMD does
 *   not read the per-instantiation storage: their objects are counted, rooted by a strong handle.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDumpReader } from '../../src/formats/dump/clrmdReader.js';
import type { RetentionPath } from '../../src/model/evidence.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { net8ScenarioPublishDir } from '../support/app.js';
import { runCli } from '../support/cli.js';
import {
  gcdumpNameAsCanonical,
  gcdumpReportText,
  sosGcrootText,
  sosNameAsGcdump,
} from '../support/referenceText.js';
import {
  collectScenarioSnapshots,
  net8ScenarioApp,
  withScenario,
  type ScenarioName,
} from '../support/scenario.js';
import { sosGcHandlesStat, sosReflectionNameAsCSharp } from '../support/sosCommands.js';
import { rowsWithoutThreadStaticOnly } from '../support/threadStaticOnly.js';
import { addRow, difference, heapgateRows, sosRows, type Rows } from '../support/typeRows.js';
import { dumpAnalyze, gcdumpReport } from '../support/tools.js';

const PER_ROUND = 500;
/** Live instances of the leaked type at round-2: one warm-up round and two rounds. */
const LEAKED_AT_ROUND_2 = 3 * PER_ROUND;
const ORDER = 'HeapgateScenarios.Leaks.LeakedOrder';
const THREAD_ITEM = 'HeapgateScenarios.Leaks.ThreadLeakedItem';
const SESSION = 'HeapgateScenarios.Leaks.HandleLeakedSession';

// Publishes the .NET 8 build first if a source is newer than it (as scripts/build-dotnet.sh does).
const net8 = await net8ScenarioApp();
const reader = findDumpReader();
const skipped =
  'missing' in net8
    ? `the .NET 8 build of the scenario app is absent: ${net8.missing}`
    : 'missing' in reader
      ? `the ClrMD dump reader is absent: ${reader.missing}`
      : undefined;
if (skipped !== undefined) process.stderr.write(`test/dump/net8.test.ts skipped: ${skipped}\n`);

const tmp = mkdtempSync(join(tmpdir(), 'heapgate-net8-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Snapshots {
  gcdump: string;
  dump: string;
  /** The runtime files the process had mapped (from /proc/<pid>/maps). */
  coreclr: string[];
}

/** A .gcdump and a heap dump of the same .NET 8 process at checkpoint round-2. */
async function bothAtRound2(name: ScenarioName): Promise<Snapshots> {
  return withScenario(name, { rounds: 2, perRound: PER_ROUND, runtime: 'net8' }, async (s) => {
    // The first gcdump of a process makes the runtime build EventSource metadata and reflection
    // caches: take one at warm-up so both snapshots at round-2 see the same heap.
    expect(await s.checkpoint()).toBe('warmup');
    await s.gcdump(join(tmp, `${name}-warmup.gcdump`));
    s.continue();
    while ((await s.checkpoint()) !== 'round-2') s.continue();
    const coreclr = [
      ...new Set(
        readFileSync(`/proc/${s.pid}/maps`, 'utf8')
          .split('\n')
          .map((line) => line.split(/\s+/)[5] ?? '')
          .filter((file) => file.endsWith('/libcoreclr.so')),
      ),
    ];
    const gcdump = await s.gcdump(join(tmp, `${name}.gcdump`));
    const dump = await s.dump(join(tmp, `${name}.dmp`));
    return { gcdump, dump, coreclr };
  });
}

interface Cluster {
  rootKind: string;
  rootName?: string;
  holders: string[];
}
interface Finding {
  types: string[];
  evidence?: { type: string; clusters: Cluster[] }[];
}

async function check(file: string, baseline: string): Promise<{ code: number; findings: Finding[] }> {
  const res = await runCli(['check', file, '--baseline', baseline, '--json', '--no-record']);
  expect(res.stderr).not.toMatch(/error/i);
  return { code: res.code, findings: (JSON.parse(res.stdout) as { findings: Finding[] }).findings };
}

function firstCluster(r: { findings: Finding[] }, type: string): Cluster | undefined {
  return r.findings.find((f) => f.types.includes(type))?.evidence?.find((e) => e.type === type)?.clusters[0];
}

const flagged = (r: { findings: Finding[] }) => r.findings.flatMap((f) => f.types).sort();

describe.skipIf(skipped !== undefined)(
  `a .NET 8 target: full dumps and .gcdumps${skipped === undefined ? '' : ` (skipped: ${skipped.split('\n')[0]})`}`,
  () => {
    let staticList: Snapshots;
    let threadStatic: Snapshots;
    let handleLeak: Snapshots;
    let baseline: string;

    beforeAll(async () => {
      staticList = await bothAtRound2('static-list');
      threadStatic = await bothAtRound2('thread-static');
      handleLeak = await bothAtRound2('handle-leak');
      const steady = (
        await collectScenarioSnapshots('steady', { rounds: 2, checkpoints: ['round-2'], runtime: 'net8' })
      )['round-2'];
      baseline = join(tmp, 'steady.json');
      const rec = await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', baseline]);
      expect(rec.code, rec.stderr).toBe(0);
    });

    it('runs the .NET 8 runtime the build carries, and the dump says so to SOS', async () => {
      expect(staticList.coreclr).toEqual([join(net8ScenarioPublishDir, 'libcoreclr.so')]);
      expect(threadStatic.coreclr).toEqual(staticList.coreclr);
      const version = await dumpAnalyze(staticList.dump, ['eeversion']);
      expect(version).toMatch(/^8\.0\.\d+\.\d+ @Commit: [0-9a-f]+$/m);
    });

    it('per-type counts of the dump equal dumpheap -stat -live in both directions, thread-statics included', async () => {
      for (const dump of [staticList.dump, threadStatic.dump, handleLeak.dump]) {
        const snap = await loadSnapshot(dump, { graph: true });
        expect(snap.meta.creationTool).toBe('ClrMD (Heapgate.DumpReader)');
        const sos = await sosRows(dump, 'dumpheap -stat -live');
        expect(sos.size).toBeGreaterThan(100);
        // .NET 8 holds thread-statics in an object[] behind a strong handle, which SOS's live walk
        // follows: nothing is left to allow for, unlike on .NET 10.
        expect(difference(heapgateRows(snap.stats), sos), dump).toEqual([]);
        expect(difference(rowsWithoutThreadStaticOnly(snap, gcdumpNameAsCanonical), sos), dump).toEqual([]);
        // Statistics alone (no graph kept) give the same rows.
        expect((await loadSnapshot(dump)).stats).toEqual(snap.stats);
      }
      const count = async (dump: string, type: string) =>
        (await loadSnapshot(dump)).stats.find((s) => s.name === type)?.count;
      expect(await count(staticList.dump, ORDER)).toBe(LEAKED_AT_ROUND_2);
      expect(await count(threadStatic.dump, THREAD_ITEM)).toBe(LEAKED_AT_ROUND_2);
    });

    it('with liveOnly false counts garbage too, as dumpheap -stat does', async () => {
      const snap = await loadSnapshot(staticList.dump, { liveOnly: false });
      const sos = await sosRows(staticList.dump, 'dumpheap -stat');
      expect(difference(heapgateRows(snap.stats), sos)).toEqual([]);
    });

    it('heapgate stat on the .gcdumps equals dotnet-gcdump report, type by type', async () => {
      for (const file of [staticList.gcdump, threadStatic.gcdump]) {
        const ref = gcdumpReportText(await gcdumpReport(file));
        const refCounts = new Map<string, number>();
        for (const [name, count] of ref.counts) {
          const key = gcdumpNameAsCanonical(name);
          refCounts.set(key, (refCounts.get(key) ?? 0) + count);
        }
        expect(refCounts.size).toBeGreaterThan(50);
        const res = await runCli(['stat', file, '--json']);
        expect(res.code, res.stderr).toBe(0);
        const types = (JSON.parse(res.stdout) as { types: { name: string; count: number; bytes: number }[] })
          .types;
        const mine = new Map<string, number>();
        for (const t of types) {
          const key = gcdumpNameAsCanonical(t.name);
          mine.set(key, (mine.get(key) ?? 0) + t.count);
        }
        expect(mine, file).toEqual(refCounts);
        expect(types.reduce((a, t) => a + t.bytes, 0)).toBe(ref.heapBytes);
      }
      expect(gcdumpReportText(await gcdumpReport(staticList.gcdump)).counts.get(ORDER)).toBe(
        LEAKED_AT_ROUND_2,
      );
      expect(gcdumpReportText(await gcdumpReport(threadStatic.gcdump)).counts.get(THREAD_ITEM)).toBe(
        LEAKED_AT_ROUND_2,
      );
    });

    it('roots on the dump name the static field with its declaring type', async () => {
      const roots = await runCli(['roots', staticList.dump, '--type', ORDER]);
      expect(roots.code, roots.stderr).toBe(0);
      expect(roots.stdout).toContain(`${LEAKED_AT_ROUND_2.toLocaleString('en-US')} instances`);
      expect(roots.stdout).toContain(
        `static field HeapgateScenarios.Leaks.OrderRegistry.s_orders → System.Collections.Generic.List<${ORDER}> → ${ORDER}[] → ${ORDER}`,
      );
      expect(roots.stdout).not.toMatch(/strong handle|pinned handle/);
      const dom = await runCli(['dominators', staticList.dump, '--top', '3']);
      expect(dom.code, dom.stderr).toBe(0);
      expect(dom.stdout.split('\n')[1]).toContain(`System.Collections.Generic.List<${ORDER}>`);
    });

    it('convert writes a .gcdump whose dotnet-gcdump report counts equal the dump, with the same root paths', async () => {
      for (const [dump, type, path] of [
        [
          staticList.dump,
          ORDER,
          `static field HeapgateScenarios.Leaks.OrderRegistry.s_orders → System.Collections.Generic.List<${ORDER}> → ${ORDER}[] → ${ORDER}`,
        ],
        [
          threadStatic.dump,
          THREAD_ITEM,
          `thread-static field HeapgateScenarios.Leaks.ThreadLocalRegistry.t_items → System.Collections.Generic.List<${THREAD_ITEM}> → ${THREAD_ITEM}[] → ${THREAD_ITEM}`,
        ],
      ]) {
        const out = `${dump}.converted.gcdump`;
        const res = await runCli(['convert', dump, out]);
        expect(res.code, res.stderr).toBe(0);
        const report = gcdumpReportText(await gcdumpReport(out));
        const reported: Rows = new Map();
        for (const row of report.rows) addRow(reported, gcdumpNameAsCanonical(row.name), row.count, 0);
        const ours: Rows = new Map();
        for (const t of (await loadSnapshot(dump)).stats)
          addRow(ours, gcdumpNameAsCanonical(t.name), t.count, 0);
        expect(difference(reported, ours), dump).toEqual([]);
        expect(reported.get(type)?.count).toBe(LEAKED_AT_ROUND_2);
        for (const file of [dump, out]) {
          const roots = await runCli(['roots', file, '--type', type]);
          expect(roots.code, roots.stderr).toBe(0);
          expect(roots.stdout, file).toContain(path);
        }
      }
    });

    it('check fails on the dump with the finding and holder the .gcdump of the same process gives', async () => {
      const fromDump = await check(staticList.dump, baseline);
      const fromGcdump = await check(staticList.gcdump, baseline);
      expect(fromDump.code).toBe(1);
      expect(fromGcdump.code).toBe(1);
      const g = firstCluster(fromGcdump, ORDER);
      expect(g).toMatchObject({ rootKind: 'static field', rootName: 's_orders' });
      expect(firstCluster(fromDump, ORDER)).toMatchObject({
        rootKind: 'static field',
        rootName: 'HeapgateScenarios.Leaks.OrderRegistry.s_orders',
        holders: g?.holders,
      });
      expect(g?.holders).toEqual([`System.Collections.Generic.List<${ORDER}>`, `${ORDER}[]`, ORDER]);
      expect(flagged(fromDump)).toEqual(flagged(fromGcdump));
      expect(flagged(fromDump)).toContain(ORDER);
    });

    it('catches the thread-static leak from the dump and names its root thread-static', async () => {
      const roots = await runCli(['roots', threadStatic.dump, '--type', THREAD_ITEM]);
      expect(roots.code, roots.stderr).toBe(0);
      expect(roots.stdout).toContain(
        `thread-static field HeapgateScenarios.Leaks.ThreadLocalRegistry.t_items → System.Collections.Generic.List<${THREAD_ITEM}> → ${THREAD_ITEM}[] → ${THREAD_ITEM}`,
      );

      const fromDump = await check(threadStatic.dump, baseline);
      const fromGcdump = await check(threadStatic.gcdump, baseline);
      expect(fromDump.code).toBe(1);
      expect(fromGcdump.code).toBe(1);
      expect(flagged(fromDump)).toEqual(flagged(fromGcdump));
      expect(flagged(fromDump)).toContain(THREAD_ITEM);
      const holders = [`System.Collections.Generic.List<${THREAD_ITEM}>`, `${THREAD_ITEM}[]`, THREAD_ITEM];
      expect(firstCluster(fromDump, THREAD_ITEM)).toMatchObject({
        rootKind: 'thread-static field',
        rootName: 'HeapgateScenarios.Leaks.ThreadLocalRegistry.t_items',
        holders,
      });
      // The .gcdump of a .NET 8 process shows the thread's statics arrays and the handle that holds
      // them, not the field: the same holders behind object[]s.
      expect(firstCluster(fromGcdump, THREAD_ITEM)).toMatchObject({
        rootKind: 'strong handle',
        holders: ['System.Object[] ×n', ...holders],
      });
    });

    it('root paths of sampled instances agree with SOS gcroot, object for object', async () => {
      for (const [dump, type, field, kind] of [
        [staticList.dump, ORDER, 'HeapgateScenarios.Leaks.OrderRegistry.s_orders', 'static field'],
        [
          threadStatic.dump,
          THREAD_ITEM,
          'HeapgateScenarios.Leaks.ThreadLocalRegistry.t_items',
          'thread-static field',
        ],
      ]) {
        const snap = await loadSnapshot(dump, { graph: true });
        const graph = snap.graph!;
        const t = snap.types.names.indexOf(type);
        const instances: string[] = [];
        for (let i = 0; i < graph.nodeCount; i++)
          if (graph.nodeType[i] === t) instances.push(`0x${graph.nodeAddress.of(i).toString(16)}`);
        expect(instances).toHaveLength(LEAKED_AT_ROUND_2);
        for (const address of [
          instances[0],
          instances[instances.length >> 1],
          instances[instances.length - 1],
        ]) {
          // SOS's text, read by the test-only reader (not heapgate's gcroot reader).
          const sos = sosGcrootText(await dumpAnalyze(dump, [`gcroot ${address}`]));
          expect(sos.paths.length, address).toBeGreaterThan(0);
          expect(sos.paths).toHaveLength(sos.found);
          const res = await runCli(['roots', dump, '--address', address, '--all', '--json']);
          expect(res.code, res.stderr).toBe(0);
          const ours = (JSON.parse(res.stdout) as { paths: RetentionPath[] }).paths;
          const key = (steps: { address?: string; type: string }[], name: (t: string) => string) =>
            steps.map(
              (st) => `${BigInt(st.address ?? 0).toString(16)} ${gcdumpNameAsCanonical(name(st.type))}`,
            );
          const sosKeys = sos.paths.map((p) => key(p.steps, sosNameAsGcdump).join(' > '));
          const ourKeys = ours.map((p) => key(p.steps, (n) => n).join(' > '));
          // Every SOS path is one of ours, from the same kind of root: on .NET 8 the strong handle
          // that holds the runtime's object[] of (thread-)statics.
          for (const [i, p] of sosKeys.entries()) {
            const k = ourKeys.indexOf(p);
            expect(
              k,
              `${address}: SOS path ${p} not among ours:\n${ourKeys.join('\n')}`,
            ).toBeGreaterThanOrEqual(0);
            expect(sos.paths[i].root).toContain(`(${ours[k].rootKind})`);
            expect(sos.paths[i].steps[0].type).toBe('System.Object[]');
          }
          // Each of ours is an SOS path, or the tail of one below that object[], rooted by the field.
          for (const [k, q] of ourKeys.entries()) {
            if (sosKeys.includes(q)) continue;
            expect(
              sosKeys.some(
                (p) => p.endsWith(` > ${q}`) && p.split(' > ').length === q.split(' > ').length + 1,
              ),
              `${address}: our path ${q} is not in SOS's gcroot output`,
            ).toBe(true);
            expect(ours[k]).toMatchObject({ rootKind: kind, rootName: field });
          }
          expect(ours.some((p) => p.rootName === field)).toBe(true);
        }
      }
    });

    it('a handle leak: handles equals gchandles -stat, and check names the strong handle as on the .gcdump', async () => {
      const res = await runCli(['handles', handleLeak.dump, '--json']);
      expect(res.code, res.stderr).toBe(0);
      const ours = JSON.parse(res.stdout) as {
        kinds: { kind: string; handles: number }[];
        list: { kind: string; type?: string; size?: number }[];
      };
      const sos = sosGcHandlesStat(await dumpAnalyze(handleLeak.dump, ['gchandles -stat']));
      const theirs: Rows = new Map();
      for (const [name, row] of sos.types)
        addRow(
          theirs,
          gcdumpNameAsCanonical(sosNameAsGcdump(sosReflectionNameAsCSharp(name))),
          row.count,
          row.bytes,
        );
      const mine: Rows = new Map();
      for (const h of ours.list)
        if (h.type !== undefined) addRow(mine, gcdumpNameAsCanonical(h.type), 1, h.size ?? 0);
      expect(difference(mine, theirs)).toEqual([]);
      const kind = (k: string) => ours.kinds.find((x) => x.kind === k)?.handles ?? 0;
      expect(kind('Strong')).toBe(sos.kinds.get('Strong Handles'));
      expect(kind('Pinned')).toBe(sos.kinds.get('Pinned Handles'));
      expect(mine.get(SESSION)?.count).toBe(LEAKED_AT_ROUND_2);

      const fromDump = await check(handleLeak.dump, baseline);
      const fromGcdump = await check(handleLeak.gcdump, baseline);
      expect(fromDump.code).toBe(1);
      expect(fromGcdump.code).toBe(1);
      expect(flagged(fromDump)).toEqual(flagged(fromGcdump));
      const g = firstCluster(fromGcdump, SESSION);
      expect(g).toMatchObject({ rootKind: 'strong handle', holders: [SESSION] });
      expect(firstCluster(fromDump, SESSION)).toMatchObject({ rootKind: g?.rootKind, holders: g?.holders });
    });

    it('the dotnet-dump fallback sees the thread-static leak on .NET 8 (unlike on .NET 10)', async () => {
      const fallback = await runCli(['stat', threadStatic.dump, '--json'], {
        env: { HEAPGATE_DUMP_READER: 'off' },
      });
      expect(fallback.code, fallback.stderr).toBe(0);
      const types = (JSON.parse(fallback.stdout) as { types: { name: string; count: number }[] }).types;
      expect(types.find((t) => t.name === THREAD_ITEM)?.count).toBe(LEAKED_AT_ROUND_2);
    });
  },
);
