/**
 * The waste rules on real dumps of the scenario app (max-loh-fragmentation,
 * max-finalizer-backlog, max-empty-collections, max-sparse-array-waste): their figures against
 * the SOS commands they stand for (dotnet-dump analyze, read by the test-only readers in
 * test/support/sosCommands.ts) and the scenario's known construction, and their inconclusive
 * verdict on a .gcdump of the same process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCollections } from '../../src/dumpinfo/collections.js';
import { findDumpReader } from '../../src/formats/dump/clrmdReader.js';
import { queryDump } from '../../src/formats/dump/dumpQuery.js';
import { checkWithRules, runCli } from '../support/cli.js';
import { gcdumpNameAsCanonical, sosStatTables } from '../support/referenceText.js';
import { snapshotsAtRound2 } from '../support/scenario.js';
import {
  sosDumpObj,
  sosEEHeap,
  sosFinalizeQueue,
  sosHeapListing,
  sosHeapStat,
  sosHeapStatFragmentation,
  sosReflectionNameAsCSharp,
} from '../support/sosCommands.js';
import { dumpAnalyze } from '../support/tools.js';

const PER_ROUND = 500;
/** Instances at round-2: one warm-up round and two rounds. */
const AT_ROUND_2 = 3 * PER_ROUND;

const tmp = mkdtempSync(join(tmpdir(), 'heapgate-waste-rules-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Snapshots {
  dump: string;
  gcdump: string;
  /** A full dump too, when asked for (dotnet-dump's dumpobj needs one). */
  full?: string;
}

interface Finding {
  check: string;
  subject: string;
  actual?: number;
  limit?: number;
  detail?: string[];
}
interface Report {
  verdict: string;
  inconclusiveReasons: string[];
  findings: Finding[];
}

let rulesCount = 0;
function rulesFile(body: string): string {
  const file = join(tmp, `rules-${++rulesCount}.yml`);
  writeFileSync(file, `version: 1\nrules:\n  - id: waste\n    match: total\n${body}`);
  return file;
}

const reader = findDumpReader();

describe.skipIf('missing' in reader)('waste rules on full dumps', () => {
  let waste: Snapshots;
  let backlog: Snapshots;
  let baseline: string;

  /** `check` of a head against the baseline (the same process's .gcdump: no growth) with one rule. */
  const gate = async (head: string, rules: string) => {
    const res = await checkWithRules(head, baseline, rules, '--json');
    expect(res.stdout, res.stderr).not.toBe('');
    return { code: res.code, report: JSON.parse(res.stdout) as Report, stderr: res.stderr };
  };
  const text = async (head: string, rules: string) => checkWithRules(head, baseline, rules);

  beforeAll(async () => {
    waste = await snapshotsAtRound2('waste', tmp, { perRound: PER_ROUND, full: true });
    backlog = await snapshotsAtRound2('finalizer-backlog', tmp, { perRound: PER_ROUND });
    baseline = join(tmp, 'waste-baseline.json');
    const rec = await runCli(['baseline', 'record', waste.gcdump, '--scenario', 'waste', '--out', baseline]);
    expect(rec.code, rec.stderr).toBe(0);
  });

  describe('max-loh-fragmentation', () => {
    it('fails on the free bytes of the LOH that gcheapstat shows, naming the segment and the largest free blocks with their neighbours', async () => {
      const sosText = await dumpAnalyze(waste.dump, ['gcheapstat']);
      const sos = sosHeapStat(sosText);
      const free = sos.free.get('LOH') ?? NaN;
      const allocated = sos.allocated.get('LOH') ?? NaN;
      // Four of the eight 200,000-byte buffers of each round were dropped: at least one gap stays.
      expect(free).toBeGreaterThanOrEqual(200_000);
      const { code, report } = await gate(waste.dump, rulesFile('    max-loh-fragmentation: 10%\n'));
      expect(code).toBe(1);
      expect(report.verdict).toBe('fail');
      const f = report.findings.find((x) => x.check === 'max-loh-fragmentation');
      expect(f).toMatchObject({ subject: 'total', actual: free, limit: Math.floor(allocated * 0.1) });
      const pct = sosHeapStatFragmentation(sosText).get('LOH');
      expect(Number(/^([\d.]+)% of /.exec(f?.detail?.[0] ?? '')?.[1])).toBeCloseTo(pct ?? NaN, -0.5);

      // The segment, as eeheap -gc lists it under "Large object heap".
      const lohSegments = sosEEHeap(await dumpAnalyze(waste.dump, ['eeheap -gc'])).segments.filter((s) =>
        s.section.startsWith('Large object heap'),
      );
      expect(lohSegments.length).toBeGreaterThan(0);
      const named = (f?.detail ?? []).flatMap((d) => /^segment ([0-9a-f]+): /.exec(d)?.[1] ?? []);
      expect(named.length).toBeGreaterThan(0);
      for (const s of named) expect(lohSegments.map((x) => x.segment)).toContain(s);

      // The largest free blocks and the objects either side, as dumpheap over the segment lists them.
      const rows = (
        await Promise.all(
          lohSegments.map(async (s) =>
            sosHeapListing(await dumpAnalyze(waste.dump, [`dumpheap ${s.begin} ${s.allocated}`])),
          ),
        )
      ).flat();
      expect(rows.filter((r) => r.free).reduce((n, r) => n + r.size, 0)).toBe(free);
      const blocks = (f?.detail ?? []).flatMap((d) => {
        const m =
          /^[\d.]+ KiB free at ([0-9a-f]+), between System\.Byte\[\] \([\d.]+ KiB at ([0-9a-f]+)\) and System\.Byte\[\] \([\d.]+ KiB at ([0-9a-f]+)\)$/.exec(
            d,
          );
        return m ? [{ at: m[1], before: m[2], after: m[3] }] : [];
      });
      expect(blocks.length).toBeGreaterThan(0);
      const largest = Math.max(...rows.filter((r) => r.free).map((r) => r.size));
      for (const b of blocks) {
        const i = rows.findIndex((r) => r.address === b.at);
        expect(rows[i]?.free, b.at).toBe(true);
        expect(rows[i]?.size, b.at).toBe(largest);
        expect(rows[i - 1]?.address).toBe(b.before);
        expect(rows[i + 1]?.address).toBe(b.after);
        expect(rows[i - 1]?.size).toBe(200_024);
      }

      const out = await text(waste.dump, rulesFile('    max-loh-fragmentation: 10%\n'));
      expect(out.stdout).toMatch(
        /FAIL +total +LOH fragmentation +[\d.]+ KiB free \([\d.]+% of [\d.]+ MiB on \d+ segments?\)/,
      );
    });

    it('passes under an absolute limit the LOH stays below, and needs both limits broken when given both', async () => {
      expect((await gate(waste.dump, rulesFile('    max-loh-fragmentation: 64MiB\n'))).report.verdict).toBe(
        'pass',
      );
      expect(
        (await gate(waste.dump, rulesFile('    max-loh-fragmentation: [64MiB, 1%]\n'))).report.verdict,
      ).toBe('pass');
      expect(
        (await gate(waste.dump, rulesFile('    max-loh-fragmentation: [64KB, 90%]\n'))).report.verdict,
      ).toBe('pass');
      expect(
        (await gate(waste.dump, rulesFile('    max-loh-fragmentation: [64KB, 1%]\n'))).report.verdict,
      ).toBe('fail');
    });

    it('on a .gcdump says it needs a dump: inconclusive, never a silent pass', async () => {
      const { report } = await gate(waste.gcdump, rulesFile('    max-loh-fragmentation: 10%\n'));
      expect(report.verdict).toBe('inconclusive');
      expect(report.inconclusiveReasons).toEqual([
        expect.stringMatching(
          /^max-loh-fragmentation needs a full memory dump \(heap segments\): .*waste\.gcdump is a gcdump snapshot/,
        ),
      ]);
    });

    it('bad values and a type rule are rules errors with positions', async () => {
      const bad = async (body: string, match = 'total') => {
        const file = join(tmp, `bad-${++rulesCount}.yml`);
        writeFileSync(file, `version: 1\nrules:\n  - id: waste\n    match: ${match}\n${body}`);
        const res = await checkWithRules(waste.dump, baseline, file);
        expect(res.code).toBe(2);
        return res.stderr;
      };
      expect(await bad('    max-loh-fragmentation: lots\n')).toMatch(
        /:5:\d+: .*'lots' is not a size like 8MB or a percentage like 10%/,
      );
      expect(await bad('    max-loh-fragmentation: 150%\n')).toMatch(
        /:5:5: max-loh-fragmentation: 150% is more than the whole large object heap; write at most 100%/,
      );
      expect(await bad('    max-loh-fragmentation: [1MB, 2MB]\n')).toMatch(
        /give at most one absolute amount and one percentage/,
      );
      expect(await bad('    max-loh-fragmentation: 10%\n', "'*'")).toMatch(
        /:5:5: max-loh-fragmentation measures the whole heap: write it on a rule with 'match: total'/,
      );
    });
  });
  describe('max-finalizer-backlog', () => {
    it('fails on the objects finalizequeue has ready for finalization, by type as finalizequeue -allReady counts them, naming the stuck finalizer', async () => {
      const sos = sosFinalizeQueue(await dumpAnalyze(backlog.dump, ['finalizequeue']));
      const [ready] = sosStatTables(await dumpAnalyze(backlog.dump, ['finalizequeue -allReady -stat']));
      // Every dropped resource waits behind the stuck finalizer.
      expect(ready.rows.get('HeapgateScenarios.Leaks.PendingResource')?.count).toBe(AT_ROUND_2);
      expect(sos.ready).toBe(ready.total.count);
      const { code, report } = await gate(backlog.dump, rulesFile('    max-finalizer-backlog: 100\n'));
      expect(code).toBe(1);
      const f = report.findings.find((x) => x.check === 'max-finalizer-backlog');
      expect(f).toMatchObject({ subject: 'total', actual: sos.ready, limit: 100 });
      const types = new Map(
        (f?.detail ?? []).flatMap((d) => {
          const m = /^([\d,]+) (\S+) \(/.exec(d);
          return m ? [[m[2], Number(m[1].replace(/,/g, ''))] as const] : [];
        }),
      );
      expect(ready.rows.size).toBeLessThanOrEqual(5);
      expect(Object.fromEntries(types)).toEqual(
        Object.fromEntries([...ready.rows].map(([name, row]) => [name, row.count])),
      );
      expect(f?.detail?.[0]).toMatch(/^1,500 HeapgateScenarios\.Leaks\.PendingResource \(/);
      const registered = (f?.detail ?? []).flatMap(
        (d) => / ([\d,]+) more objects registered for finalization$/.exec(d)?.[1] ?? [],
      );
      expect(registered.map((r) => Number(r.replace(/,/g, '')))).toEqual([sos.registered]);
      // The finalizer the thread is stuck in, as clrstack shows it.
      const stacks = await dumpAnalyze(backlog.dump, ['clrstack -all']);
      expect(stacks).toContain('HeapgateScenarios.Leaks.StuckFinalizer.Finalize()');
      expect(f?.detail).toContain(
        'the finalizer thread is running HeapgateScenarios.Leaks.StuckFinalizer.Finalize()',
      );

      const out = await text(backlog.dump, rulesFile('    max-finalizer-backlog: 100\n'));
      expect(out.stdout).toMatch(
        /FAIL +total +finalizer backlog +1,5\d\d ready for finalization \(most: 1,500 HeapgateScenarios\.Leaks\.PendingResource \([\d.]+ KiB\); the finalizer thread is running HeapgateScenarios\.Leaks\.StuckFinalizer\.Finalize\(\)\)/,
      );
    });

    it('heapgate finalizequeue lists the ready objects of finalizequeue -allReady -stat type by type, both ways', async () => {
      const sos = sosFinalizeQueue(await dumpAnalyze(backlog.dump, ['finalizequeue']));
      const [ready] = sosStatTables(await dumpAnalyze(backlog.dump, ['finalizequeue -allReady -stat']));
      const res = await runCli(['finalizequeue', backlog.dump, '--json']);
      expect(res.code, res.stderr).toBe(0);
      const ours = JSON.parse(res.stdout) as {
        ready: number;
        registered: number;
        runningFinalizer?: string;
        types: { type: string; count: number; bytes: number }[];
      };
      expect(ours).toMatchObject({ ready: sos.ready, registered: sos.registered });
      expect(ours.runningFinalizer).toBe('HeapgateScenarios.Leaks.StuckFinalizer.Finalize()');
      const mine = Object.fromEntries(
        ours.types.map((t) => [gcdumpNameAsCanonical(t.type), [t.count, t.bytes]]),
      );
      const theirs = Object.fromEntries(
        [...ready.rows].map(([name, row]) => [
          gcdumpNameAsCanonical(sosReflectionNameAsCSharp(name)),
          [row.count, row.bytes],
        ]),
      );
      expect(mine).toEqual(theirs);
      const out = await runCli(['finalizequeue', backlog.dump, '--top', '1']);
      expect(out.stdout).toMatch(
        /: 1,5\d\d objects ready for finalization \([\d.]+ KiB\), [\d,]+ more registered/,
      );
      expect(out.stdout).toMatch(/^1,500 +36,000 +HeapgateScenarios\.Leaks\.PendingResource$/m);
      expect(out.stdout).toMatch(/^… \d+ more types? \(--top\)$/m);
      const gc = await runCli(['finalizequeue', backlog.gcdump]);
      expect(gc.code).toBe(2);
      expect(gc.stderr).toMatch(/finalizer-backlog\.gcdump: heapgate finalizequeue reads full memory dumps/);
    });

    it('passes a dump whose finalizer thread keeps up, and a backlog under the limit', async () => {
      const sos = sosFinalizeQueue(await dumpAnalyze(waste.dump, ['finalizequeue']));
      const { report } = await gate(waste.dump, rulesFile(`    max-finalizer-backlog: ${sos.ready}\n`));
      expect(report.verdict).toBe('pass');
      expect((await gate(backlog.dump, rulesFile('    max-finalizer-backlog: 10000\n'))).report.verdict).toBe(
        'pass',
      );
    });

    it('on a .gcdump says it needs a dump; a bad value is a rules error', async () => {
      const { report } = await gate(backlog.gcdump, rulesFile('    max-finalizer-backlog: 100\n'));
      expect(report.verdict).toBe('inconclusive');
      expect(report.inconclusiveReasons).toEqual([
        expect.stringMatching(
          /^max-finalizer-backlog needs a full memory dump \(the finalization queue\): .*finalizer-backlog\.gcdump is a gcdump snapshot/,
        ),
      ]);
      const res = await checkWithRules(backlog.dump, baseline, rulesFile('    max-finalizer-backlog: 1.5\n'));
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/:5:\d+: max-finalizer-backlog: expected int/);
    });
  });
  describe('max-empty-collections and max-sparse-array-waste', () => {
    const HOLDER = 'HeapgateScenarios.Waste.WasteHolder';
    /** Each empty collection field of the holder: its storage fields (the ConcurrentDictionary's hang off `_tables`). */
    const STORAGE: Record<string, { count: string; storage: string[] }> = {
      Tags: { count: '_size', storage: ['_items'] },
      Index: { count: '_count', storage: ['_buckets', '_entries'] },
      Seen: { count: '_count', storage: ['_buckets', '_entries'] },
      Pending: { count: '_size', storage: ['_array'] },
      Undo: { count: '_size', storage: ['_array'] },
      Cache: { count: '', storage: ['_tables'] },
    };
    const TABLES = ['_buckets', '_locks', '_countPerLock'];

    /** dumpobj of each address, in one dotnet-dump session. */
    const dumpObjs = async (dump: string, addresses: string[]) => {
      const out = await dumpAnalyze(
        dump,
        addresses.map((a) => `dumpobj ${a}`),
      );
      const blocks = out.split(/^(?=Name:)/m).slice(1);
      expect(blocks.length).toBe(addresses.length);
      return blocks.map((b) => ({ obj: sosDumpObj(b), text: b }));
    };
    const field = (o: ReturnType<typeof sosDumpObj>, name: string) => {
      const f = o.fields.find((x) => x.name === name && x.attr === 'instance');
      expect(f, name).toBeDefined();
      return f?.value ?? '';
    };

    /** Storage bytes of each empty collection field of one sampled holder, walked with dumpobj. */
    async function sampledHolder(full: string) {
      const rows = sosHeapListing(await dumpAnalyze(full, [`dumpheap -type ${HOLDER}`]));
      const perMt = new Map<string, string[]>();
      for (const r of rows) perMt.set(r.methodTable, [...(perMt.get(r.methodTable) ?? []), r.address]);
      const holders = [...perMt.values()].sort((a, b) => b.length - a.length)[0];
      expect(holders.length).toBe(AT_ROUND_2);
      const [holder] = await dumpObjs(full, [holders[Math.floor(holders.length / 2)]]);
      expect(holder.obj.name).toBe(HOLDER);
      const names = Object.keys(STORAGE);
      const collections = await dumpObjs(
        full,
        names.map((n) => field(holder.obj, n)),
      );
      const bytes = new Map<string, number>();
      for (const [i, name] of names.entries()) {
        const c = collections[i].obj;
        const spec = STORAGE[name];
        if (spec.count) expect(field(c, spec.count), `${name}.${spec.count}`).toBe('0');
        let arrays = spec.storage.map((f) => field(c, f));
        if (name === 'Cache') {
          const [tables] = await dumpObjs(full, arrays);
          arrays = TABLES.map((f) => field(tables.obj, f));
          // Empty: every per-lock count is 0.
          const counts = await dumpAnalyze(full, [
            `dumparray -details ${field(tables.obj, '_countPerLock')}`,
          ]);
          const values = [...counts.matchAll(/\binstance\s+(\S+)\s+m_value$/gm)].map((m) => m[1]);
          expect(values.length).toBeGreaterThan(0);
          expect(values.every((v) => v === '0')).toBe(true);
        }
        const sizes = (await dumpObjs(full, arrays)).map((a) => a.obj.size);
        bytes.set(
          `${HOLDER}.${name}`,
          sizes.reduce((n, x) => n + x, 0),
        );
      }
      const slots = await dumpAnalyze(full, [`dumparray ${field(holder.obj, 'Slots')}`]);
      const nulls = [...slots.matchAll(/^\[\d+\] null$/gm)].length;
      expect(slots).toMatch(/Number of elements 32,/);
      return { bytes, nulls };
    }

    it('counts every empty collection field of the holders with the storage bytes dumpobj shows, and the null slots dumparray shows', async () => {
      const full = waste.full ?? '';
      const sample = await sampledHolder(full);
      expect(sample.nulls).toBe(30);
      const c = decodeCollections(await queryDump(waste.dump, 'collections', ['--top', '100']));
      const empty = new Map(c.emptyCollections.holders.map((h) => [h.name, h]));
      for (const [holder, bytes] of sample.bytes) {
        expect(bytes, holder).toBeGreaterThan(0);
        expect(empty.get(holder), holder).toMatchObject({
          count: AT_ROUND_2,
          wastedBytes: AT_ROUND_2 * bytes,
        });
      }
      // A used list and a list without storage of its own are not waste.
      expect(empty.has(`${HOLDER}.Used`)).toBe(false);
      expect(empty.has(`${HOLDER}.Lazy`)).toBe(false);
      const sparse = c.sparseArrays.holders.find((h) => h.name === `${HOLDER}.Slots`);
      expect(sparse).toEqual({
        name: `${HOLDER}.Slots`,
        count: AT_ROUND_2,
        nullSlots: AT_ROUND_2 * sample.nulls,
        wastedBytes: AT_ROUND_2 * sample.nulls * c.pointerSize,
      });
      // The empty collections' own storage is not counted again as sparse arrays.
      expect(c.sparseArrays.holders.some((h) => h.name.startsWith('System.Collections.Generic.List'))).toBe(
        false,
      );

      // The rules judge these totals and name the holders.
      const { code, report } = await gate(
        waste.dump,
        rulesFile('    max-empty-collections: {count: 100, bytes: 64KB}\n    max-sparse-array-waste: 64KB\n'),
      );
      expect(code).toBe(1);
      const byCheck = (check: string, metric: string) =>
        report.findings.find((f) => f.check === check && (f as { metric?: string }).metric === metric);
      expect(byCheck('max-empty-collections', 'count')).toMatchObject({
        actual: c.emptyCollections.objects,
        limit: 100,
      });
      expect(byCheck('max-empty-collections', 'bytes')).toMatchObject({
        actual: c.emptyCollections.wastedBytes,
        limit: 64 * 1024,
      });
      expect(c.emptyCollections.objects).toBeGreaterThanOrEqual(6 * AT_ROUND_2);
      const sparseFinding = byCheck('max-sparse-array-waste', 'bytes');
      expect(sparseFinding).toMatchObject({ actual: c.sparseArrays.wastedBytes, limit: 64 * 1024 });
      expect(sparseFinding?.detail?.[0]).toMatch(
        /^1,500 sparse arrays held by HeapgateScenarios\.Waste\.WasteHolder\.Slots \([\d.]+ KiB, 45,000 null slots\)$/,
      );
      const held = (byCheck('max-empty-collections', 'count')?.detail ?? []).flatMap(
        (d) => /^1,500 empty held by (\S+) \(/.exec(d)?.[1] ?? [],
      );
      expect(held.sort()).toEqual([...sample.bytes.keys()].sort());

      const out = await text(waste.dump, rulesFile('    max-empty-collections: 100\n'));
      expect(out.stdout).toMatch(
        /FAIL +total +empty collections +[\d,]+ empty collections \(most: 1,500 empty held by HeapgateScenarios\.Waste\.WasteHolder\.Cache /,
      );
    });

    it('heapgate stat --collections lists them by holding field and by type, as dumpobj and dumparray count them', async () => {
      const sample = await sampledHolder(waste.full ?? '');
      const res = await runCli(['stat', waste.dump, '--collections', '--top', '100', '--json']);
      expect(res.code, res.stderr).toBe(0);
      const doc = JSON.parse(res.stdout) as { collections: ReturnType<typeof decodeCollections> };
      const empty = new Map(doc.collections.emptyCollections.holders.map((h) => [h.name, h]));
      for (const [holder, bytes] of sample.bytes)
        expect(empty.get(holder), holder).toMatchObject({
          count: AT_ROUND_2,
          wastedBytes: AT_ROUND_2 * bytes,
        });
      expect(doc.collections.sparseArrays.holders.find((h) => h.name === `${HOLDER}.Slots`)).toMatchObject({
        count: AT_ROUND_2,
        nullSlots: AT_ROUND_2 * sample.nulls,
      });
      const text = await runCli(['stat', waste.dump, '--collections']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/^Empty collections by holding field$/m);
      expect(text.stdout).toMatch(
        new RegExp(`^ *1,500 +45,000 +[\\d,]+ +${`${HOLDER}.Slots`.replace(/\./g, '\\.')}$`, 'm'),
      );
      const gc = await runCli(['stat', waste.gcdump, '--collections']);
      expect(gc.code).toBe(2);
      expect(gc.stderr).toMatch(/waste\.gcdump: heapgate stat --collections reads full memory dumps/);
      const both = await runCli(['stat', waste.dump, '--collections', '--strings']);
      expect(both.code).toBe(2);
    });

    it('passes under limits the heap stays below', async () => {
      const { report } = await gate(
        waste.dump,
        rulesFile(
          '    max-empty-collections: {count: 100000, bytes: 64MiB}\n    max-sparse-array-waste: 64MiB\n',
        ),
      );
      expect(report.verdict).toBe('pass');
    });

    it('on a .gcdump say they need a dump; bad values are rules errors', async () => {
      const { report } = await gate(
        waste.gcdump,
        rulesFile('    max-empty-collections: 100\n    max-sparse-array-waste: 64KB\n'),
      );
      expect(report.verdict).toBe('inconclusive');
      expect(report.inconclusiveReasons).toEqual([
        expect.stringMatching(
          /^max-empty-collections, max-sparse-array-waste needs a full memory dump \(collection contents, array contents\): .*waste\.gcdump is a gcdump snapshot/,
        ),
      ]);
      const bad = async (body: string) => {
        const res = await checkWithRules(waste.dump, baseline, rulesFile(body));
        expect(res.code).toBe(2);
        return res.stderr;
      };
      expect(await bad('    max-empty-collections: {count: 1, bites: 2}\n')).toMatch(/bites/);
      expect(await bad('    max-empty-collections: lots\n')).toMatch(
        /:5:\d+: .*expected a whole number of collections, or \{count: N, bytes: SIZE\}/,
      );
      expect(await bad('    max-sparse-array-waste: lots\n')).toMatch(/:5:\d+: .*'lots' is not a size/);
    });
  });
});
