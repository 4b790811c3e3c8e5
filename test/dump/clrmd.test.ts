/**
 * Full dumps read as whole object graphs through the ClrMD reader (dotnet/Heapgate.DumpReader),
 * checked against SOS (`dotnet-dump analyze "dumpheap -stat -live"`, read by the test-only
 * reader) and against a .gcdump of the same process at the same checkpoint.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { readClrmdGraph } from '../../src/formats/dump/clrmdGraph.js';
import { readClrmdStats } from '../../src/formats/dump/clrmdStats.js';
import { findDumpReader } from '../../src/formats/dump/clrmdReader.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { runCli } from '../support/cli.js';
import { gcdumpNameAsCanonical } from '../support/referenceText.js';
import { collectScenarioSnapshots, snapshotsAtRound2 } from '../support/scenario.js';
import { rowsWithoutThreadStaticOnly } from '../support/threadStaticOnly.js';
import { difference, heapgateRows, sosRows } from '../support/typeRows.js';

const PER_ROUND = 500;
/** Live instances of the leaked type at round-2: one warm-up round and two rounds. */
const LEAKED_AT_ROUND_2 = 3 * PER_ROUND;
const ORDER = 'HeapgateScenarios.Leaks.LeakedOrder';
const THREAD_ITEM = 'HeapgateScenarios.Leaks.ThreadLeakedItem';

const tmp = mkdtempSync(join(tmpdir(), 'heapgate-clrmd-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Finding {
  types: string[];
  evidence?: { type: string; clusters: { rootKind: string; rootName?: string; holders: string[] }[] }[];
}

async function check(file: string, baseline: string): Promise<{ code: number; findings: Finding[] }> {
  const res = await runCli(['check', file, '--baseline', baseline, '--json', '--no-record']);
  expect(res.stderr).not.toMatch(/error/i);
  return { code: res.code, findings: (JSON.parse(res.stdout) as { findings: Finding[] }).findings };
}

const reader = findDumpReader();

describe.skipIf('missing' in reader)('full dumps through ClrMD', () => {
  let staticList: { gcdump: string; dump: string };
  let threadStatic: { gcdump: string; dump: string };
  let baseline: string;

  beforeAll(async () => {
    staticList = await snapshotsAtRound2('static-list', tmp, { perRound: PER_ROUND });
    threadStatic = await snapshotsAtRound2('thread-static', tmp, { perRound: PER_ROUND });
    const steady = (await collectScenarioSnapshots('steady', { rounds: 2, checkpoints: ['round-2'] }))[
      'round-2'
    ];
    baseline = join(tmp, 'steady.json');
    const rec = await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', baseline]);
    expect(rec.code, rec.stderr).toBe(0);
  });

  it('reads the whole graph; per-type counts equal dumpheap -stat -live in both directions, but for what only thread-statics hold', async () => {
    const snap = await loadSnapshot(staticList.dump, { graph: true });
    expect(snap.meta.format).toBe('dump');
    expect(snap.meta.creationTool).toBe('ClrMD (Heapgate.DumpReader)');
    expect(snap.meta.notes[0]).toMatch(/^Linux core dump, read with ClrMD .*live objects only/);
    expect(snap.graph).toBeDefined();
    expect(snap.meta.pointerSize).toBe(8);
    const sos = await sosRows(staticList.dump, 'dumpheap -stat -live');
    const ours = heapgateRows(snap.stats);
    // SOS 10's live walk does not follow thread-static roots (here: the runtime's own per-thread
    // array pool buckets, SharedArrayPool<T>.t_tlsBuckets); everything else is the same, type by type.
    expect(difference(rowsWithoutThreadStaticOnly(snap, gcdumpNameAsCanonical), sos)).toEqual([]);
    const missed = difference(ours, sos);
    expect(missed.every(([, count, bytes]) => count > 0 && bytes > 0)).toBe(true);
    expect(missed.reduce((a, [, count]) => a + count, 0)).toBeLessThan(10);
    expect(ours.get(ORDER)?.count).toBe(LEAKED_AT_ROUND_2);
    // Statistics alone (no graph kept) give the same rows.
    const statsOnly = await loadSnapshot(staticList.dump);
    expect(statsOnly.graph).toBeUndefined();
    expect(statsOnly.stats).toEqual(snap.stats);
  });

  it('with liveOnly false counts garbage too, as dumpheap -stat does (no roots involved)', async () => {
    const snap = await loadSnapshot(staticList.dump, { liveOnly: false });
    const sos = await sosRows(staticList.dump, 'dumpheap -stat');
    const ours = heapgateRows(snap.stats);
    expect(difference(ours, sos)).toEqual([]);
  });

  it('names the static field with its declaring type, as root of the same path as in the .gcdump', async () => {
    const fromDump = await check(staticList.dump, baseline);
    const fromGcdump = await check(staticList.gcdump, baseline);
    expect(fromDump.code).toBe(1);
    expect(fromGcdump.code).toBe(1);
    const cluster = (r: { findings: Finding[] }) =>
      r.findings.find((f) => f.types.includes(ORDER))?.evidence?.find((e) => e.type === ORDER)?.clusters[0];
    const d = cluster(fromDump);
    const g = cluster(fromGcdump);
    expect(g).toMatchObject({ rootKind: 'static field', rootName: 's_orders' });
    expect(d).toMatchObject({
      rootKind: 'static field',
      rootName: 'HeapgateScenarios.Leaks.OrderRegistry.s_orders',
      holders: g?.holders,
    });
    // The same types are flagged from both kinds of snapshot.
    const flagged = (r: { findings: Finding[] }) => r.findings.flatMap((f) => f.types).sort();
    expect(flagged(fromDump)).toEqual(flagged(fromGcdump));
  });

  it('roots and dominators work on the dump as on a .gcdump', async () => {
    const roots = await runCli(['roots', staticList.dump, '--type', ORDER]);
    expect(roots.code, roots.stderr).toBe(0);
    expect(roots.stdout).toContain(`${LEAKED_AT_ROUND_2.toLocaleString('en-US')} instances`);
    expect(roots.stdout).toContain(
      `static field HeapgateScenarios.Leaks.OrderRegistry.s_orders → System.Collections.Generic.List<${ORDER}> → ${ORDER}[] → ${ORDER}`,
    );
    const dom = await runCli(['dominators', staticList.dump, '--top', '3']);
    expect(dom.code, dom.stderr).toBe(0);
    expect(dom.stdout.split('\n')[1]).toContain(`System.Collections.Generic.List<${ORDER}>`);
  });

  it('finds a leak held by a [ThreadStatic] field, which dumpheap -live misses, and names the root thread-static', async () => {
    const snap = await loadSnapshot(threadStatic.dump);
    const gc = await loadSnapshot(threadStatic.gcdump);
    const count = (s: typeof snap) => s.stats.find((x) => x.name === THREAD_ITEM)?.count;
    expect(count(snap)).toBe(LEAKED_AT_ROUND_2);
    expect(count(gc)).toBe(LEAKED_AT_ROUND_2);

    // SOS's live walk does not find thread-static roots: what heapgate finds beyond it is exactly
    // what only thread-statics hold — the leaked items, their payloads, the list and its array.
    const snapGraph = await loadSnapshot(threadStatic.dump, { graph: true });
    const sos = await sosRows(threadStatic.dump, 'dumpheap -stat -live');
    expect(difference(rowsWithoutThreadStaticOnly(snapGraph, gcdumpNameAsCanonical), sos)).toEqual([]);
    const ours = heapgateRows(snap.stats);
    const missed = difference(ours, sos);
    expect(missed.every(([, count, bytes]) => count > 0 && bytes > 0)).toBe(true);
    const missedCount = new Map(missed.map(([name, count]) => [name, count]));
    expect(missedCount.get(THREAD_ITEM)).toBe(LEAKED_AT_ROUND_2);
    expect(missedCount.get(`System.Collections.Generic.List<${THREAD_ITEM}>`)).toBe(1);
    expect(missedCount.get(`${THREAD_ITEM}[]`)).toBe(1);
    expect(missedCount.get('System.Byte[]')).toBeGreaterThanOrEqual(LEAKED_AT_ROUND_2);

    // Read through dotnet-dump instead, the leak is not there at all (the symptom in the issue).
    const fallback = await runCli(['stat', threadStatic.dump, '--json'], {
      env: { HEAPGATE_DUMP_READER: 'off' },
    });
    expect(fallback.code, fallback.stderr).toBe(0);
    const fallbackTypes = (JSON.parse(fallback.stdout) as { types: { name: string }[] }).types;
    expect(fallbackTypes.some((t) => t.name === 'HeapgateScenarios.Leaks.ThreadStaticScenario')).toBe(true);
    expect(fallbackTypes.some((t) => t.name === THREAD_ITEM)).toBe(false);

    const res = await check(threadStatic.dump, baseline);
    expect(res.code).toBe(1);
    const ev = res.findings
      .find((f) => f.types.includes(THREAD_ITEM))
      ?.evidence?.find((e) => e.type === THREAD_ITEM);
    expect(ev?.clusters[0]).toMatchObject({
      rootKind: 'thread-static field',
      rootName: 'HeapgateScenarios.Leaks.ThreadLocalRegistry.t_items',
      holders: [`System.Collections.Generic.List<${THREAD_ITEM}>`, `${THREAD_ITEM}[]`, THREAD_ITEM],
    });
  });

  it('falls back to dotnet-dump when the reader is turned off, and says so', async () => {
    const res = await runCli(['stat', staticList.dump], { env: { HEAPGATE_DUMP_READER: 'off' } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("read with dotnet-dump analyze 'dumpheap -stat -live -noprogress'");
    expect(res.stdout).toContain('not read with ClrMD: HEAPGATE_DUMP_READER=off');
    const clrmd = await runCli(['stat', staticList.dump]);
    expect(clrmd.stdout).toContain('read with ClrMD (Heapgate.DumpReader)');
    // check says it too, under the head it read.
    const gate = await runCli(['check', staticList.dump, '--baseline', baseline, '--no-record'], {
      env: { HEAPGATE_DUMP_READER: 'off' },
    });
    expect(gate.stdout).toMatch(
      /^head: +.*static-list\.dmp\n +Linux core dump, read with dotnet-dump analyze .*\n +not read with ClrMD: HEAPGATE_DUMP_READER=off\n/m,
    );
    const json = await runCli(['check', staticList.dump, '--baseline', baseline, '--no-record', '--json']);
    expect(
      (JSON.parse(json.stdout) as { meta: { head: { readWith: string[] } } }).meta.head.readWith,
    ).toEqual([
      expect.stringMatching(
        /^Linux core dump, read with ClrMD \(Heapgate\.DumpReader\): the whole object graph/,
      ),
    ]);
  });

  describe('the graph stream', () => {
    let bytes: Buffer;
    beforeAll(() => {
      if ('missing' in reader) return;
      const out = join(tmp, 'graph.bin');
      const run = spawnSync(reader.dotnet, [reader.dll, staticList.dump, '--out', out], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      bytes = readFileSync(out);
    });

    it('reads back what the reader wrote', () => {
      const g = readClrmdGraph(bytes, staticList.dump, 'elf-core', { liveOnly: false });
      expect(g.graph.nodeCount).toBeGreaterThan(LEAKED_AT_ROUND_2);
      expect(g.rootsByKind.get(1)).toBeGreaterThan(0);
    });

    it('reports truncation anywhere with the byte offset', () => {
      for (const cut of [
        4,
        20,
        Math.floor(bytes.length / 3),
        Math.floor(bytes.length * 0.9),
        bytes.length - 1,
      ]) {
        const err = (() => {
          try {
            readClrmdGraph(bytes.subarray(0, cut), 'x.dmp', 'elf-core');
          } catch (e) {
            return e;
          }
        })();
        expect(err, `cut at ${cut}`).toBeInstanceOf(FormatError);
        expect((err as FormatError).message).toMatch(
          /x\.dmp \(graph stream of Heapgate\.DumpReader\): at byte \d+: /,
        );
        expect((err as FormatError).offset).toBeLessThanOrEqual(cut);
      }
    });

    it('reports corruption: magic, version, trailing bytes', () => {
      const bad = Buffer.from(bytes);
      bad[0] = 0x58;
      expect(() => readClrmdGraph(bad, 'x.dmp', 'elf-core')).toThrow(/at byte 0: not a heapgate dump graph/);
      const v2 = Buffer.from(bytes);
      v2.writeUInt32LE(99, 8);
      expect(() => readClrmdGraph(v2, 'x.dmp', 'elf-core')).toThrow(
        /at byte 8: dump graph format version 99/,
      );
      expect(() => readClrmdGraph(Buffer.concat([bytes, Buffer.from([0])]), 'x.dmp', 'elf-core')).toThrow(
        /1 bytes follow the trailer/,
      );
      const file = join(tmp, 'graph-copy.bin');
      writeFileSync(file, bytes);
    });
  });

  describe('the statistics stream (--stats)', () => {
    let bytes: Buffer;
    beforeAll(() => {
      if ('missing' in reader) return;
      const out = join(tmp, 'stats.bin');
      const run = spawnSync(reader.dotnet, [reader.dll, staticList.dump, '--out', out, '--stats'], {
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      bytes = readFileSync(out);
    });

    it('holds the per-type totals the graph gives, live and with garbage', async () => {
      for (const liveOnly of [true, false]) {
        const totals = readClrmdStats(bytes, staticList.dump, 'elf-core', { liveOnly });
        const graph = await loadSnapshot(staticList.dump, { graph: true, liveOnly });
        const rows = heapgateRows(
          totals.types.names
            .map((name, t) => ({ name, count: totals.count[t], bytes: totals.bytes[t] }))
            .filter((r) => r.count > 0),
        );
        expect(rows.size).toBeGreaterThan(50);
        expect(difference(rows, heapgateRows(graph.stats)), `liveOnly ${liveOnly}`).toEqual([]);
        expect(totals.meta.notes[1]).toBe(graph.meta.notes[1]);
      }
    });

    it('reports truncation anywhere with the byte offset, and corruption', () => {
      for (const cut of [4, 20, Math.floor(bytes.length / 2), bytes.length - 13, bytes.length - 1]) {
        expect(() => readClrmdStats(bytes.subarray(0, cut), 'x.dmp', 'elf-core'), `cut at ${cut}`).toThrow(
          /x\.dmp \(statistics stream of Heapgate\.DumpReader\): at byte \d+: the dump statistics is truncated/,
        );
      }
      const bad = Buffer.from(bytes);
      bad[0] = 0x58;
      expect(() => readClrmdStats(bad, 'x.dmp', 'elf-core')).toThrow(
        /at byte 0: not a heapgate dump statistics/,
      );
      // A count changed in the totals no longer adds up to the objects the trailer says were walked.
      const changed = Buffer.from(bytes);
      const trailerAt = bytes.length - 20;
      changed.writeUInt32LE(changed.readUInt32LE(trailerAt - 16) + 1, trailerAt - 16);
      expect(() => readClrmdStats(changed, 'x.dmp', 'elf-core')).toThrow(
        new RegExp(`at byte ${trailerAt}: the trailer says \\d+ objects, the per-type totals add up to \\d+`),
      );
      expect(() => readClrmdStats(Buffer.concat([bytes, Buffer.from([0])]), 'x.dmp', 'elf-core')).toThrow(
        /1 bytes follow the trailer/,
      );
    });
  });

  describe('the plain segment walk', () => {
    const run = (dump: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
      if ('missing' in reader) throw new Error(reader.missing);
      const out = join(tmp, `walk-${args.join('')}-${Object.keys(env).join('')}.bin`);
      const res = spawnSync(reader.dotnet, [reader.dll, dump, '--out', out, ...args], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
      expect(res.status, res.stderr).toBe(0);
      return readFileSync(out);
    };

    it("writes the same graph, byte for byte, as ClrMD's careful walk of every segment", () => {
      for (const dump of [staticList.dump, threadStatic.dump]) {
        const plain = run(dump, []);
        const careful = run(dump, [], { HEAPGATE_DUMP_READER_WALK: 'careful' });
        expect(plain.length).toBeGreaterThan(100_000);
        expect(plain.equals(careful), dump).toBe(true);
        expect(
          run(dump, ['--stats']).equals(run(dump, ['--stats'], { HEAPGATE_DUMP_READER_WALK: 'careful' })),
        ).toBe(true);
      }
    });

    it('walks a damaged segment carefully and says so', () => {
      const graph = readClrmdGraph(run(staticList.dump, []), staticList.dump, 'elf-core', {
        liveOnly: false,
      });
      const orderType = graph.types.names.indexOf(ORDER);
      const orders: number[] = [];
      for (let i = 0; i < graph.graph.nodeCount; i++)
        if (graph.graph.nodeType[i] === orderType) orders.push(i);
      // An object in the middle of the leaked ones gets a method table no type has.
      const victim = graph.graph.nodeAddress.of(orders[orders.length >> 1]);
      const bytes = readFileSync(staticList.dump);
      const at = fileOffsetOf(bytes, victim);
      bytes.writeBigUInt64LE(0x4141_4141_4141_4140n, at);
      const damaged = join(tmp, 'damaged.dmp');
      writeFileSync(damaged, bytes);

      const before = readClrmdStats(run(staticList.dump, ['--stats']), staticList.dump, 'elf-core');
      const after = readClrmdStats(run(damaged, ['--stats']), damaged, 'elf-core');
      expect(after.meta.notes.join('\n')).toMatch(
        new RegExp(
          `1 heap segment was walked object by object, with care for damage \\(first: .*: the object at ${victim.toString(16)} has no known type \\(method table 4141414141414140\\)\\)`,
        ),
      );
      expect(before.meta.notes.join('\n')).not.toMatch(/walked object by object/);
      // The rest of the heap is still counted.
      const total = (c: typeof before) => c.count.reduce((a, b) => a + b, 0);
      expect(total(after)).toBeGreaterThan(0.95 * total(before));
    });
  });
});

/** The file offset of a virtual address in an ELF core dump (its PT_LOAD program headers). */
function fileOffsetOf(core: Buffer, address: number): number {
  const phoff = Number(core.readBigUInt64LE(0x20));
  const phentsize = core.readUInt16LE(0x36);
  const phnum = core.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const h = phoff + i * phentsize;
    if (core.readUInt32LE(h) !== 1) continue;
    const offset = Number(core.readBigUInt64LE(h + 8));
    const vaddr = Number(core.readBigUInt64LE(h + 16));
    const filesz = Number(core.readBigUInt64LE(h + 32));
    if (address >= vaddr && address + 8 <= vaddr + filesz) return offset + (address - vaddr);
  }
  throw new Error(`no PT_LOAD segment of the core holds ${address.toString(16)}`);
}
