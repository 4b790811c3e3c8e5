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
import { checkWithRules, runCli } from '../support/cli.js';
import { gcdumpNameAsCanonical, sosNameAsGcdump, sosStatTables } from '../support/referenceText.js';
import { collectScenarioSnapshots, snapshotsAtRound2 } from '../support/scenario.js';
import {
  sosEEHeap,
  sosGcHandlesStat,
  sosHeapStat,
  sosReflectionNameAsCSharp,
  sosStringStats,
  sosDumpObj,
} from '../support/sosCommands.js';
import { dumpAnalyze } from '../support/tools.js';

const PER_ROUND = 500;
/** Instances at round-2: one warm-up round and two rounds. */
const AT_ROUND_2 = 3 * PER_ROUND;
const SESSION = 'HeapgateScenarios.Leaks.HandleLeakedSession';

const tmp = mkdtempSync(join(tmpdir(), 'heapgate-sos-commands-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function json<T>(args: string[]): Promise<T> {
  const res = await runCli([...args, '--json']);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as T;
}

// As heapgate spells types everywhere: a nested type by its own name, as in a .gcdump.
const canonical = (sos: string) => gcdumpNameAsCanonical(sosNameAsGcdump(sosReflectionNameAsCSharp(sos)));

const reader = findDumpReader();

describe.skipIf('missing' in reader)('SOS commands on full dumps', () => {
  let handleLeak: { dump: string; gcdump?: string };
  let strings: { dump: string; full?: string };
  let baseline: string;

  beforeAll(async () => {
    handleLeak = await snapshotsAtRound2('handle-leak', tmp, { perRound: PER_ROUND });
    strings = await snapshotsAtRound2('duplicate-strings', tmp, { perRound: PER_ROUND, full: true });
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

  describe('stat --strings', () => {
    interface Out {
      strings: {
        strings: number;
        stringBytes: number;
        duplicatedValues: number;
        wastedBytes: number;
        duplicates: {
          value: string;
          count: number;
          size: number;
          wastedBytes: number;
          holders: { holder: string; count: number }[];
        }[];
      };
    }
    const COUNTRY_COPIES = AT_ROUND_2 / 10;

    it('finds each country value 150 times, its waste and the field holding it', async () => {
      const { strings: r } = await json<Out>(['stat', strings.dump, '--strings']);
      const countries = r.duplicates.filter((d) => /^country-\d$/.test(d.value));
      expect(countries.map((d) => d.value).sort()).toEqual([...Array(10).keys()].map((i) => `country-${i}`));
      for (const d of countries) {
        expect(d.count).toBe(COUNTRY_COPIES);
        expect(d.wastedBytes).toBe((COUNTRY_COPIES - 1) * d.size);
        expect(d.holders[0]).toEqual({
          holder: 'HeapgateScenarios.Leaks.CustomerRecord.<Country>k__BackingField',
          count: COUNTRY_COPIES,
        });
      }
      // They waste the most, so they lead.
      expect(r.duplicates.slice(0, 10).every((d) => d.value.startsWith('country-'))).toBe(true);
    });

    it('agrees with dumpheap -strings: the same totals, and the same duplicated values both ways', async () => {
      const { strings: r } = await json<Out>(['stat', strings.dump, '--strings', '--top', '100000']);
      const sos = sosStringStats(await dumpAnalyze(strings.dump, ['dumpheap -strings']));
      expect(r.strings).toBe(sos.reduce((n, x) => n + x.count, 0));
      expect(r.stringBytes).toBe(sos.reduce((n, x) => n + x.bytes, 0));
      expect(r.duplicates.length).toBe(r.duplicatedValues);
      // Short values only (SOS shortens long ones); SOS shows each non-printable character as '.'.
      const shown = (v: string) => v.replace(/[^\x20-\x7e]/g, '.');
      const short = (v: string) => v.length >= 1 && v.length <= 40;
      const theirs = Object.fromEntries(
        sos.filter((x) => x.count > 1 && short(x.value)).map((x) => [x.value, [x.count, x.bytes]]),
      );
      const mine = Object.fromEntries(
        r.duplicates.filter((d) => short(d.value)).map((d) => [shown(d.value), [d.count, d.count * d.size]]),
      );
      expect(mine).toEqual(theirs);
      expect(Object.keys(mine).length).toBeGreaterThanOrEqual(10);
    });

    it('prints copies, waste, the quoted value and its holder', async () => {
      const res = await runCli(['stat', strings.dump, '--strings', '--top', '3']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(
        /^\S+duplicate-strings\.dmp: [\d,]+ strings, [\d,]+ bytes; [\d,]+ distinct values/,
      );
      expect(res.stdout).toMatch(
        /^ +150 +\d+ +[\d,]+ +"country-\d" +HeapgateScenarios\.Leaks\.CustomerRecord\.<Country>k__BackingField \(150\)$/m,
      );
      expect(res.stdout).toMatch(/^… \d+ more duplicated values \(--top\)$/m);
    });
  });

  describe('values from the dumped process', () => {
    const HOSTILE = 'evil\u001b[2J\u202etxt';

    it('stat --strings and the waste rule print control and bidi characters escaped, never raw', async () => {
      const { strings: r } = await json<{ strings: { duplicates: { value: string; count: number }[] } }>([
        'stat',
        strings.dump,
        '--strings',
        '--top',
        '1000',
      ]);
      expect(r.duplicates.find((d) => d.value === HOSTILE)?.count).toBe(2);
      const text = await runCli(['stat', strings.dump, '--strings', '--top', '1000']);
      expect(text.stdout).toContain('"evil\\u001b[2J<U+202E>txt"');
      // eslint-disable-next-line no-control-regex
      expect(text.stdout).not.toMatch(/[\u001b\u202e]/);
    });
  });

  describe('stat --min-object and --dead on a dump', () => {
    type Rows = Record<string, { count: number; bytes: number }>;
    const rows = async (args: string[]): Promise<Rows> => {
      const out = await json<{ types: { name: string; count: number; bytes: number }[] }>(['stat', ...args]);
      const m: Rows = {};
      for (const t of out.types) {
        const k = gcdumpNameAsCanonical(t.name);
        m[k] = { count: (m[k]?.count ?? 0) + t.count, bytes: (m[k]?.bytes ?? 0) + t.bytes };
      }
      return m;
    };

    it('live plus dead objects of at least 200 bytes are dumpheap -stat -min 200, type by type', async () => {
      const live = await rows([strings.dump, '--min-object', '200']);
      const dead = await rows([strings.dump, '--min-object', '200', '--dead']);
      const both: Rows = { ...live };
      for (const [k, v] of Object.entries(dead))
        both[k] = { count: (both[k]?.count ?? 0) + v.count, bytes: (both[k]?.bytes ?? 0) + v.bytes };
      const [table] = sosStatTables(await dumpAnalyze(strings.dump, ['dumpheap -stat -min 200']));
      const sos: Rows = {};
      for (const [name, row] of table.rows) {
        if (name === 'Free') continue;
        const k = gcdumpNameAsCanonical(sosNameAsGcdump(name));
        sos[k] = { count: (sos[k]?.count ?? 0) + row.count, bytes: (sos[k]?.bytes ?? 0) + row.bytes };
      }
      expect(both).toEqual(sos);
      expect(Object.values(live).every((r) => r.bytes >= 200 * r.count)).toBe(true);
      expect(live['HeapgateScenarios.Leaks.CustomerRecord[]']?.count).toBe(1);
    });
  });

  describe('inspect', () => {
    const RECORD = 'HeapgateScenarios.Leaks.CustomerRecord';
    interface Obj {
      address: string;
      type: string;
      methodTable: string;
      size: number;
      string?: string;
      array?: { length: number; elementType: string; elements: { index: number; value: string }[] };
      fields: { name: string; offset: number; kind: string; value: string; string?: string; object?: Obj }[];
    }
    /** Objects whose type name contains `type` (dumpheap -type is a substring match), with their sizes. */
    const listing = async (dump: string, type: string) =>
      (await dumpAnalyze(dump, [`dumpheap -type ${type}`]))
        .split(/\r?\n/)
        .map((l) => /^\s*([0-9a-f]{8,16})\s+([0-9a-f]{8,16})\s+([\d,]+)\s*$/i.exec(l))
        .filter((m) => m !== null)
        .map((m) => ({ address: m[1], mt: m[2], size: Number(m[3].replace(/,/g, '')) }));
    /** The objects of the most common method table (records; a one-element array is 32 bytes too). */
    const addresses = async (dump: string, type: string) => {
      const objects = await listing(dump, type);
      const perMt = new Map<string, number>();
      for (const o of objects) perMt.set(o.mt, (perMt.get(o.mt) ?? 0) + 1);
      const mt = [...perMt].sort((a, b) => b[1] - a[1])[0][0];
      return objects.filter((o) => o.mt === mt).map((o) => o.address);
    };
    const hex = (s: string) => s.toLowerCase().replace(/^0+(?=.)/, '');

    it('shows the name, method table, size and every field value of dumpobj, for sampled objects', async () => {
      const full = strings.full ?? '';
      const all = await addresses(full, RECORD);
      expect(all.length).toBe(AT_ROUND_2);
      for (const address of [all[0], all[Math.floor(all.length / 2)], all[all.length - 1]]) {
        const { object: ours } = await json<{ object: Obj }>(['inspect', full, address]);
        const sos = sosDumpObj(await dumpAnalyze(full, [`dumpobj ${address}`]));
        expect(ours.type).toBe(sos.name);
        expect(ours.methodTable).toBe(sos.methodTable);
        expect(ours.size).toBe(sos.size);
        const theirs = sos.fields.filter((f) => f.attr === 'instance');
        expect(theirs.length).toBe(2);
        expect(ours.fields.map((f) => [f.name, f.offset]).sort()).toEqual(
          theirs.map((f) => [f.name, f.offset]).sort(),
        );
        for (const f of theirs) {
          const mine = ours.fields.find((x) => x.name === f.name);
          expect(mine?.kind, f.name).toBe(f.valueType ? 'primitive' : 'reference');
          expect(f.valueType ? mine?.value : hex(mine?.value ?? ''), f.name).toBe(
            f.valueType ? f.value : hex(f.value),
          );
        }
        const country = ours.fields.find((f) => f.name === '<Country>k__BackingField');
        expect(country?.string).toMatch(/^country-\d$/);
        // The string itself, as dumpobj shows it.
        const str = await dumpAnalyze(full, [`dumpobj ${country?.value ?? ''}`]);
        expect(str).toContain(`String:      ${country?.string ?? ''}`);
      }
    });

    it('follows references with -r and reads arrays, in text and JSON', async () => {
      const full = strings.full ?? '';
      const [address] = await addresses(full, RECORD);
      const deep = await json<{ object: Obj }>(['inspect', full, `0x0000${address}`, '-r', '1']);
      const country = deep.object.fields.find((f) => f.name === '<Country>k__BackingField');
      expect(country?.object).toMatchObject({ type: 'System.String', string: country?.string, size: 40 });
      const text = await runCli(['inspect', full, address, '-r', '1']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(new RegExp(`^Name: +${RECORD.replace(/\./g, '\\.')}$`, 'm'));
      expect(text.stdout).toMatch(
        /^ +\d+ +System\.String +[0-9a-f]+ "country-\d" +<Country>k__BackingField$/m,
      );
      expect(text.stdout).toMatch(/^ {4}Name: +System\.String$/m);
      const arrays = (await listing(full, `${RECORD}[]`)).sort((a, b) => b.size - a.size);
      const arrayAddress = arrays[0].address;
      const arr = await json<{ object: Obj }>(['inspect', full, arrayAddress]);
      expect(arr.object.array?.elementType).toBe(RECORD);
      expect(arr.object.array?.length).toBeGreaterThanOrEqual(AT_ROUND_2);
      expect(arr.object.size).toBe(arrays[0].size);
      expect(hex(arr.object.array?.elements[0].value ?? '')).toMatch(/^[0-9a-f]+$/);
      const first = await json<{ object: Obj }>(['inspect', full, arr.object.array?.elements[0].value ?? '']);
      expect(first.object.type).toBe(RECORD);
    });

    it('a bad address: exit 2 and why, never a stack trace', async () => {
      const full = strings.full ?? '';
      const [address] = await addresses(full, RECORD);
      const inside = (BigInt(`0x${address}`) + 8n).toString(16);
      const mid = await runCli(['inspect', full, inside]);
      expect(mid.code).toBe(2);
      expect(mid.stderr).toContain(
        `no object at address ${inside}: it lies inside the managed heap but no object starts there`,
      );
      const outside = await runCli(['inspect', full, '10']);
      expect(outside.code).toBe(2);
      expect(outside.stderr).toContain('no object at address 10: it is not inside the managed heap');
      const notHex = await runCli(['inspect', full, 'zz']);
      expect(notHex.code).toBe(2);
      expect(notHex.stderr).toContain("'zz' is not an object address");
    });
  });

  describe('max-duplicate-string-waste', () => {
    const rulesFile = (match: string, limit: string) => {
      const file = join(tmp, `waste-${limit}.yml`);
      writeFileSync(
        file,
        `version: 1\nrules:\n  - id: string-waste\n    match: ${match}\n    max-duplicate-string-waste: ${limit}\n`,
      );
      return file;
    };
    interface Report {
      verdict: string;
      inconclusiveReasons: string[];
      findings: { check: string; actual?: number; limit?: number; detail?: string[] }[];
    }
    const gate = async (head: string, rules: string) => {
      const res = await checkWithRules(head, baseline, rules, '--json');
      return { code: res.code, report: JSON.parse(res.stdout) as Report, stderr: res.stderr };
    };

    it('fails a dump wasting more than the limit, with the wasted bytes of stat --strings and the values and holders as evidence', async () => {
      const { strings: r } = await json<{ strings: { wastedBytes: number } }>([
        'stat',
        strings.dump,
        '--strings',
      ]);
      expect(r.wastedBytes).toBeGreaterThan(10 * (AT_ROUND_2 / 10 - 1) * 40);
      const { code, report } = await gate(strings.dump, rulesFile('total', '32KB'));
      expect(code).toBe(1);
      expect(report.verdict).toBe('fail');
      const f = report.findings.find((x) => x.check === 'max-duplicate-string-waste');
      expect(f).toMatchObject({ actual: r.wastedBytes, limit: 32 * 1024 });
      expect(f?.detail?.[0]).toMatch(
        /in 150 copies of "country-\d", held by HeapgateScenarios\.Leaks\.CustomerRecord\.<Country>k__BackingField$/,
      );
      const text = await checkWithRules(strings.dump, baseline, rulesFile('total', '32KB'));
      expect(text.stdout).toMatch(
        /FAIL +total +duplicate string waste +[\d.]+ KiB wasted \(most: .*"country-\d"/,
      );
    });

    it('passes a dump under the limit', async () => {
      const { code, report } = await gate(strings.dump, rulesFile('total', '5MiB'));
      expect(code).toBe(0);
      expect(report.verdict).toBe('pass');
    });

    it('on a .gcdump says it needs a dump: inconclusive, never a silent pass', async () => {
      const { report } = await gate(handleLeak.gcdump ?? '', rulesFile('total', '5MiB'));
      expect(report.verdict).toBe('inconclusive');
      expect(report.inconclusiveReasons).toEqual([
        expect.stringMatching(
          /^max-duplicate-string-waste needs a full memory dump \(string values\): .*handle-leak\.gcdump is a gcdump snapshot/,
        ),
      ]);
    });

    it('is a whole-heap limit: on a type rule it is a rules error', async () => {
      const res = await checkWithRules(strings.dump, baseline, rulesFile("'*'", '1MB'));
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(
        /waste-1MB\.yml:5:5: max-duplicate-string-waste measures the whole heap: write it on a rule with 'match: total'/,
      );
    });
  });

  describe('stat --mt', () => {
    it('counts the type of a method table as dumpheap -stat -mt does (live plus dead), generic names too', async () => {
      const [table] = sosStatTables(
        await dumpAnalyze(strings.dump, ['dumpheap -stat -type HeapgateScenarios.Leaks.CustomerRecord']),
      );
      const mts = (
        await dumpAnalyze(strings.dump, ['dumpheap -stat -type HeapgateScenarios.Leaks.CustomerRecord'])
      )
        .split(/\r?\n/)
        .map((l) => /^\s*([0-9a-f]{8,16})\s+[\d,]+\s+[\d,]+\s+(.+)$/i.exec(l))
        .filter((m) => m !== null)
        .map((m) => ({ mt: m[1], name: m[2].trim() }));
      expect(mts.map((m) => m.name).sort()).toEqual([...table.rows.keys()].sort());
      for (const wanted of [
        'HeapgateScenarios.Leaks.CustomerRecord',
        'System.Collections.Generic.List<HeapgateScenarios.Leaks.CustomerRecord>',
      ]) {
        const mt = mts.find((m) => m.name === wanted)?.mt ?? '';
        expect(mt, wanted).not.toBe('');
        const sos = sosStatTables(await dumpAnalyze(strings.dump, [`dumpheap -stat -mt ${mt}`]))[0].rows.get(
          wanted,
        );
        type Out = { types: { name: string; count: number; bytes: number }[] };
        const live = (await json<Out>(['stat', strings.dump, '--mt', mt])).types;
        const dead = (await json<Out>(['stat', strings.dump, '--mt', `0x${mt}`, '--dead'])).types;
        expect(live.length, wanted).toBe(1);
        expect(gcdumpNameAsCanonical(live[0].name)).toBe(gcdumpNameAsCanonical(wanted));
        const sum = [...live, ...dead].reduce(
          (a, t) => ({ count: a.count + t.count, bytes: a.bytes + t.bytes }),
          {
            count: 0,
            bytes: 0,
          },
        );
        expect(sum, wanted).toEqual({ count: sos?.count, bytes: sos?.bytes });
      }
      const none = await runCli(['stat', strings.dump, '--mt', '1234']);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('no type has method table 1234 in this dump');
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
