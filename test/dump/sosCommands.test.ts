/**
 * The SOS-style commands on real dumps of the scenario app (eeheap, handles, stat --strings,
 * inspect), each checked against the SOS command it stands for (dotnet-dump analyze), whose
 * output is read by the test-only readers in test/support/sosCommands.ts.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDumpReader } from '../../src/formats/dump/clrmdReader.js';
import { runCli } from '../support/cli.js';
import { gcdumpNameAsCanonical } from '../support/referenceText.js';
import { collectScenarioSnapshots, withScenario, type ScenarioName } from '../support/scenario.js';
import {
  sosEEHeap,
  sosGcHandlesStat,
  sosHeapStat,
  sosReflectionNameAsCSharp,
} from '../support/sosCommands.js';
import { dumpAnalyze } from '../support/tools.js';

const PER_ROUND = 500;
/** Instances at round-2: one warm-up round and two rounds. */
const AT_ROUND_2 = 3 * PER_ROUND;
const SESSION = 'HeapgateScenarios.Leaks.HandleLeakedSession';

const tmp = mkdtempSync(join(tmpdir(), 'heapgate-sos-commands-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A heap dump (and, if asked, a .gcdump) of the scenario at checkpoint round-2. */
async function atRound2(name: ScenarioName, withGcdump: boolean): Promise<{ dump: string; gcdump?: string }> {
  return withScenario(name, { rounds: 2, perRound: PER_ROUND }, async (s) => {
    expect(await s.checkpoint()).toBe('warmup');
    // The first gcdump of a process builds EventSource metadata: take it at warm-up.
    if (withGcdump) await s.gcdump(join(tmp, `${name}-warmup.gcdump`));
    s.continue();
    while ((await s.checkpoint()) !== 'round-2') s.continue();
    const gcdump = withGcdump ? await s.gcdump(join(tmp, `${name}.gcdump`)) : undefined;
    const dump = await s.dump(join(tmp, `${name}.dmp`));
    return { dump, gcdump };
  });
}

async function json<T>(args: string[]): Promise<T> {
  const res = await runCli([...args, '--json']);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as T;
}

const canonical = (sos: string) => gcdumpNameAsCanonical(sosReflectionNameAsCSharp(sos));

const reader = findDumpReader();

describe.skipIf('missing' in reader)('SOS commands on full dumps', () => {
  let handleLeak: { dump: string; gcdump?: string };
  let baseline: string;

  beforeAll(async () => {
    handleLeak = await atRound2('handle-leak', true);
    const steady = (await collectScenarioSnapshots('steady', { rounds: 2, checkpoints: ['round-2'] }))[
      'round-2'
    ];
    baseline = join(tmp, 'steady.json');
    const rec = await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', baseline]);
    expect(rec.code, rec.stderr).toBe(0);
  });

  describe('eeheap', () => {
    interface Out {
      generations: { area: string; segments: number; allocatedBytes: number; freeBytes: number }[];
      total: { allocatedBytes: number; committedBytes: number };
      segments: { address: string; begin: string; allocatedBytes: number; committedBytes: number }[];
    }

    it('has the segments of eeheap -gc, both ways, with the same allocated and committed sizes and totals', async () => {
      const ours = await json<Out>(['eeheap', handleLeak.dump]);
      const sos = sosEEHeap(await dumpAnalyze(handleLeak.dump, ['eeheap -gc']));
      expect(sos.segments.length).toBeGreaterThan(3);
      const key = (begin: string) => begin.replace(/^0+/, '');
      const theirs = new Map(sos.segments.map((s) => [key(s.begin), s]));
      const mine = new Map(ours.segments.map((s) => [key(s.begin), s]));
      expect([...mine.keys()].sort()).toEqual([...theirs.keys()].sort());
      for (const [begin, s] of mine) {
        const t = theirs.get(begin);
        expect(s.address, begin).toBe(t?.segment);
        expect(s.allocatedBytes, begin).toBe(t?.allocatedSize);
        expect(s.committedBytes, begin).toBe(t?.committedSize);
      }
      expect(ours.total.allocatedBytes).toBe(sos.allocatedTotal);
      expect(ours.total.committedBytes).toBe(sos.committedTotal);
    });

    it('has the per-generation allocated and free bytes of gcheapstat', async () => {
      const ours = await json<Out>(['eeheap', handleLeak.dump]);
      const sos = sosHeapStat(await dumpAnalyze(handleLeak.dump, ['gcheapstat']));
      const area = (a: string) => ours.generations.find((g) => g.area === a);
      const pairs: [string, string][] = [
        ['gen0', 'Gen0'],
        ['gen1', 'Gen1'],
        ['gen2', 'Gen2'],
        ['loh', 'LOH'],
        ['poh', 'POH'],
      ];
      for (const [mine, theirs] of pairs) {
        expect(area(mine)?.allocatedBytes, mine).toBe(sos.allocated.get(theirs));
        expect(area(mine)?.freeBytes, mine).toBe(sos.free.get(theirs));
      }
      // The leaked sessions and pinned 256-byte buffers are in the small object heap.
      const soh = ['gen0', 'gen1', 'gen2'].reduce((n, a) => n + (area(a)?.allocatedBytes ?? 0), 0);
      expect(soh).toBeGreaterThan(AT_ROUND_2 * (256 + 32));
    });

    it('prints a generation table and, with --segments, every segment', async () => {
      const res = await runCli(['eeheap', handleLeak.dump, '--segments']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/^GC heap: workstation GC, 1 heap, \d+ regions\n/);
      expect(res.stdout).toMatch(/^gen2 +\d+ +[\d,]+ +[\d,]+ /m);
      expect(res.stdout).toMatch(/^GC allocated heap size: [\d,]+ bytes/m);
      expect(res.stdout).toMatch(/^ +0 +poh +[0-9a-f]+ /m);
    });
  });

  describe('handles', () => {
    interface Out {
      handles: number;
      kinds: { kind: string; handles: number; keepsAlive: boolean }[];
      types: {
        kind: string;
        type: string;
        handles: number;
        bytes: number;
        keepsAlive: boolean;
        pinned: boolean;
      }[];
      list: { kind: string; type?: string; size?: number }[];
    }

    it('has the targets of gchandles -stat, type by type in both directions, and its counts per kind', async () => {
      const ours = await json<Out>(['handles', handleLeak.dump]);
      const sos = sosGcHandlesStat(await dumpAnalyze(handleLeak.dump, ['gchandles -stat']));
      const theirs = new Map<string, { count: number; bytes: number }>();
      for (const [name, row] of sos.types) theirs.set(canonical(name), row);
      const mine = new Map<string, { count: number; bytes: number }>();
      for (const h of ours.list) {
        if (h.type === undefined) continue;
        const k = gcdumpNameAsCanonical(h.type);
        const prev = mine.get(k) ?? { count: 0, bytes: 0 };
        mine.set(k, { count: prev.count + 1, bytes: prev.bytes + (h.size ?? 0) });
      }
      expect(Object.fromEntries(mine)).toEqual(Object.fromEntries(theirs));
      const kind = (k: string) => ours.kinds.find((x) => x.kind === k)?.handles ?? 0;
      expect(kind('Strong')).toBe(sos.kinds.get('Strong Handles'));
      expect(kind('Pinned')).toBe(sos.kinds.get('Pinned Handles'));
      expect(kind('WeakShort')).toBe(sos.kinds.get('Weak Short Handles') ?? 0);
      expect(kind('Strong')).toBeGreaterThanOrEqual(AT_ROUND_2);
      expect(kind('Pinned')).toBeGreaterThanOrEqual(AT_ROUND_2);
      // The leaked handles lead: what handles keep alive first, the most numerous first.
      const lead = ours.types.slice(0, 2);
      expect(lead).toContainEqual(
        expect.objectContaining({ kind: 'Strong', type: SESSION, handles: AT_ROUND_2, keepsAlive: true }),
      );
      expect(lead).toContainEqual(
        expect.objectContaining({ kind: 'Pinned', type: 'System.Byte[]', keepsAlive: true, pinned: true }),
      );
    });

    it('prints kinds and kept-alive targets, strong and pinned marked', async () => {
      const res = await runCli(['handles', handleLeak.dump]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(
        new RegExp(`^! +Strong +1,500 +[\\d,]+ +${SESSION.replace(/\./g, '\\.')}$`, 'm'),
      );
      expect(res.stdout).toMatch(/^!! +Pinned +[\d,]+ +[\d,]+ +System\.Byte\[\]$/m);
      expect(res.stdout).not.toMatch(/WeakShort +\d+ +[\d,]+ +System/);
      const all = await runCli(['handles', handleLeak.dump, '--all']);
      expect(all.stdout).toMatch(/^ +WeakShort +[\d,]+ +[\d,]+ +System/m);
    });

    it('check and roots name the strong handle as the holder, on the dump as on the .gcdump', async () => {
      interface Finding {
        types: string[];
        evidence?: { type: string; clusters: { rootKind: string; holders: string[] }[] }[];
      }
      const cluster = async (file: string) => {
        const res = await runCli(['check', file, '--baseline', baseline, '--json', '--no-record']);
        expect(res.code, res.stderr).toBe(1);
        const findings = (JSON.parse(res.stdout) as { findings: Finding[] }).findings;
        return findings.find((f) => f.types.includes(SESSION))?.evidence?.find((e) => e.type === SESSION)
          ?.clusters[0];
      };
      const fromDump = await cluster(handleLeak.dump);
      const fromGcdump = await cluster(handleLeak.gcdump ?? '');
      expect(fromGcdump?.rootKind).toMatch(/strong handle/i);
      expect(fromDump?.rootKind).toBe(fromGcdump?.rootKind);
      expect(fromDump?.holders).toEqual(fromGcdump?.holders);
      const roots = await runCli(['roots', handleLeak.dump, '--type', SESSION]);
      expect(roots.code, roots.stderr).toBe(0);
      expect(roots.stdout).toContain('1,500 instances');
      expect(roots.stdout).toMatch(/strong handle → HeapgateScenarios\.Leaks\.HandleLeakedSession/i);
    });
  });

  describe('bad input', () => {
    it('a .gcdump, a text file or a truncated dump: exit 2, one line naming the file', async () => {
      const gc = await runCli(['handles', handleLeak.gcdump ?? '']);
      expect(gc.code).toBe(2);
      expect(gc.stderr).toMatch(
        /handle-leak\.gcdump: heapgate handles reads full memory dumps .*\(a \.gcdump/,
      );
      const textFile = join(tmp, 'notes.txt');
      writeFileSync(textFile, 'hello\n');
      const txt = await runCli(['eeheap', textFile]);
      expect(txt.code).toBe(2);
      expect(txt.stderr).toContain('notes.txt: heapgate eeheap reads full memory dumps');
      const cut = join(tmp, 'cut.dmp');
      writeFileSync(cut, readFileSync(handleLeak.dump).subarray(0, 200_000));
      const trunc = await runCli(['eeheap', cut]);
      expect(trunc.code).toBe(2);
      expect(trunc.stderr).toMatch(/cut\.dmp: .*the dump is truncated/);
      for (const r of [gc, txt, trunc]) expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
