import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../src/tools/discovery.js';
import { diffStats } from '../../src/diff/diffStats.js';
import { FormatError, ToolError } from '../../src/errors.js';
import { dumpRootPaths, dumpRootPathsOfAddress, readDump } from '../../src/formats/dump/index.js';
import { analyzeDump } from '../../src/tools/dotnetDump.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { collectScenarioSnapshots, expectedLeakCount } from '../support/scenario.js';
import { dumpAnalyze } from '../support/tools.js';
import { gcdumpNameAsCanonical, sosNameAsGcdump, sosStatTables } from '../support/referenceText.js';
import { runCli } from '../support/cli.js';
import { run } from '../support/run.js';

const LEAKED = 'HeapgateScenarios.Leaks.LeakedOrder';
// This file tests the dotnet-dump path (the fallback); test/dump/clrmd.test.ts tests the ClrMD reader.
process.env.HEAPGATE_DUMP_READER = 'off';
const tmp = mkdtempSync(join(tmpdir(), 'heapgate-dump-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Independent oracle: dotnet-dump's own `dumpheap -stat` rows, read by the test-only reader, by
 * canonical name (SOS spelling turned into dotnet-gcdump's, then canonical), Free left out.
 */
async function oracleStats(
  dump: string,
  command: string,
): Promise<Map<string, { count: number; bytes: number }>> {
  const [table] = sosStatTables(await dumpAnalyze(dump, [command]));
  const rows = new Map<string, { count: number; bytes: number }>();
  for (const [name, row] of table.rows) {
    if (name === 'Free') continue;
    const key = gcdumpNameAsCanonical(sosNameAsGcdump(name));
    const prev = rows.get(key) ?? { count: 0, bytes: 0 };
    rows.set(key, { count: prev.count + row.count, bytes: prev.bytes + row.bytes });
  }
  return rows;
}

/** heapgate's rows by canonical name, sorted, to compare with the oracle's in both directions. */
const rowsOf = (stats: { name: string; count: number; bytes: number }[]) => {
  const rows = new Map<string, { count: number; bytes: number }>();
  for (const s of stats) {
    const key = gcdumpNameAsCanonical(s.name);
    const prev = rows.get(key) ?? { count: 0, bytes: 0 };
    rows.set(key, { count: prev.count + s.count, bytes: prev.bytes + s.bytes });
  }
  return sorted(rows);
};
const sorted = (rows: Map<string, { count: number; bytes: number }>) =>
  [...rows].map(([n, r]) => [n, r.count, r.bytes]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

/** What each command's output holds, as the refusal says it. */
const WHAT: Record<string, string> = {
  dumpobj: "one object's fields",
  'eeheap -gc': 'GC heap segments and their sizes',
  gcheapstat: 'bytes per generation',
  objsize: 'what one object keeps alive, not the whole heap',
};

const sum = (rows: Map<string, { count: number; bytes: number }>, key: 'count' | 'bytes') =>
  [...rows.values()].reduce((a, r) => a + r[key], 0);

describe('full dumps of the scenario app', () => {
  let dumps: Record<string, string>;
  beforeAll(async () => {
    dumps = await collectScenarioSnapshots('static-list', {
      kind: 'dump',
      rounds: 2,
      perRound: 500,
      checkpoints: ['round-1', 'round-2'],
    });
  });

  it('matches dotnet-dump analyze dumpheap -stat -live (the default: live objects, as in a .gcdump)', async () => {
    const dump = dumps['round-2'];
    const snap = await loadSnapshot(dump);
    const oracle = await oracleStats(dump, 'dumpheap -stat -live');
    expect(snap.meta.format).toBe('dump');
    expect(snap.meta.estimated).toBe(false);
    expect(snap.meta.pointerSize).toBe(8);
    expect(snap.totals).toEqual({ objects: sum(oracle, 'count'), bytes: sum(oracle, 'bytes') });
    // Every type, count and bytes, both directions.
    expect(rowsOf(snap.stats)).toEqual(sorted(oracle));
    expect(snap.stats.find((s) => s.name === LEAKED)?.count).toBe(
      expectedLeakCount('static-list', 'round-2', 500),
    );
  });

  it('can count every object on the heap, garbage included', async () => {
    const dump = dumps['round-1'];
    const snap = await readDump(dump, 'elf-core', { liveOnly: false });
    const oracle = await oracleStats(dump, 'dumpheap -stat');
    expect(snap.totals).toEqual({ objects: sum(oracle, 'count'), bytes: sum(oracle, 'bytes') });
    expect(rowsOf(snap.stats)).toEqual(sorted(oracle));
    expect(snap.meta.notes[0]).toMatch(/all objects, including garbage/);
  });

  it('diffs cleanly against a .gcdump of the same checkpoint (mixed baseline)', async () => {
    const gcdumps = await collectScenarioSnapshots('static-list', {
      rounds: 2,
      perRound: 500,
      checkpoints: ['round-1', 'round-2'],
    });
    const base = await loadSnapshot(gcdumps['round-1']);
    const head = await loadSnapshot(dumps['round-1']);
    const diff = diffStats(base, head);
    const own = diff.types.filter((t) => t.name.startsWith('HeapgateScenarios.'));
    expect(own.length).toBeGreaterThanOrEqual(3);
    // Same checkpoint state: every type of the app has the same count in both kinds of snapshot.
    for (const t of own) expect([t.name, t.countDelta, t.status]).toEqual([t.name, 0, 'same']);
    // And a real change shows up across kinds: round-1 gcdump -> round-2 dump.
    const grown = diffStats(base, await loadSnapshot(dumps['round-2'])).types.find((t) => t.name === LEAKED);
    expect(grown?.countDelta).toBe(500);
    // The collection type the leak lives in has one spelling in both.
    const list = 'System.Collections.Generic.List<HeapgateScenarios.Leaks.LeakedOrder>';
    expect(diff.types.find((t) => t.name === list)?.status).toBe('same');
  });

  it('gives gcroot evidence for sample objects of a type', async () => {
    const samples = await dumpRootPaths(dumps['round-1'], 'elf-core', LEAKED, { samples: 2 });
    expect(samples).toHaveLength(2);
    for (const s of samples) {
      expect(s.address).toMatch(/^0x[0-9a-f]+$/);
      const fromStatic = s.paths.find((p) => p.rootKind === 'static field');
      expect(fromStatic).toBeDefined();
      const types = fromStatic!.steps.map((x) => x.type);
      expect(types.at(-1)).toBe(LEAKED);
      expect(fromStatic!.steps.at(-1)?.address).toBe(s.address);
      expect(types).toContain('System.Collections.Generic.List<HeapgateScenarios.Leaks.LeakedOrder>');
      expect(types).toContain('HeapgateScenarios.Leaks.LeakedOrder[]');
    }
    expect(await dumpRootPaths(dumps['round-1'], 'elf-core', 'No.Such.Type')).toEqual([]);
    // The same object asked for by address (as pasted from SOS, with leading zeros and upper case).
    const pasted = `0x0000${samples[0].address.slice(2).toUpperCase()}`;
    const byAddress = await dumpRootPathsOfAddress(dumps['round-1'], 'elf-core', pasted);
    expect(byAddress).toEqual(samples[0]);
  });

  it('heapgate roots takes the dump directly, by type and by address', async () => {
    const byType = await runCli(['roots', dumps['round-1'], '--type', LEAKED, '--samples', '1', '--json']);
    expect(byType.code, byType.stderr).toBe(0);
    const {
      schemaVersion,
      samples: [sample],
    } = JSON.parse(byType.stdout) as {
      schemaVersion: number;
      samples: { address: string; paths: { rootKind: string; steps: { type: string }[] }[] }[];
    };
    expect(schemaVersion).toBe(1);
    expect(sample.paths.some((p) => p.rootKind === 'static field' && p.steps.at(-1)?.type === LEAKED)).toBe(
      true,
    );
    const byAddress = await runCli(['roots', dumps['round-1'], '--address', sample.address]);
    expect(byAddress.code, byAddress.stderr).toBe(0);
    expect(byAddress.stdout).toContain(`${sample.address} ${LEAKED}`);
    const missing = await runCli(['roots', dumps['round-1'], '--type', 'No.Such.Type']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no instances of type 'No\.Such\.Type'/);
  });

  it('heapgate check gates a dump against a .gcdump baseline, with gcroot evidence from samples', async () => {
    const steady = (await collectScenarioSnapshots('steady', { rounds: 2, checkpoints: ['round-2'] }))[
      'round-2'
    ];
    const baseline = join(tmp, 'steady.json');
    expect(
      (await runCli(['baseline', 'record', steady, '--scenario', 'steady', '--out', baseline])).code,
    ).toBe(0);
    const res = await runCli([
      'check',
      dumps['round-2'],
      '--baseline',
      baseline,
      '--format',
      'json',
      '--no-record',
    ]);
    expect(res.code, res.stderr).toBe(1);
    const report = JSON.parse(res.stdout) as {
      findings: {
        types: string[];
        evidence?: { type: string; sampled?: number; clusters: { rootKind: string }[] }[];
      }[];
    };
    const leak = report.findings.find((f) => f.types.includes(LEAKED));
    expect(leak?.evidence?.[0]).toMatchObject({ type: LEAKED, sampled: 3 });
    expect(leak?.evidence?.[0].clusters[0].rootKind).toBe('static field');

    // The dump's evidence gives the finding a path fingerprint, and a suppression naming it hides
    // the leak's findings (evidence from a dump comes after the rules judged, as fingerprints do).
    const id = (leak as { fingerprint?: { id: string; kind: string } }).fingerprint;
    expect(id?.kind).toBe('path');
    const rules = join(tmp, 'suppress-leak.yml');
    writeFileSync(rules, `version: 1\nsuppressions:\n  - fingerprint: ${id?.id}\n    reason: known\n`);
    const hidden = await runCli([
      'check',
      dumps['round-2'],
      '--baseline',
      baseline,
      '--json',
      '--no-record',
      '--rules',
      'builtin:default',
      '--rules',
      rules,
    ]);
    const after = JSON.parse(hidden.stdout) as {
      findings: { types: string[] }[];
      suppressed: { types: string[] }[];
    };
    expect(after.findings.some((f) => f.types.includes(LEAKED))).toBe(false);
    expect(after.suppressed.some((f) => f.types.includes(LEAKED))).toBe(true);
  });

  it('stops dotnet-dump at the time limit with a clear error', async () => {
    await expect(readDump(dumps['round-1'], 'elf-core', { timeoutMs: 20 })).rejects.toThrow(ToolError);
    await expect(readDump(dumps['round-1'], 'elf-core', { timeoutMs: 20 })).rejects.toThrow(
      /did not finish within 0 s/,
    );
  });

  it('rejects a truncated copy before running the tool', async () => {
    const src = dumps['round-1'];
    const cut = join(tmp, 'cut.dmp');
    copyHead(src, cut, 40 * 1024 * 1024);
    const err = await loadSnapshot(cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toMatch(
      /cut\.dmp: at byte \d+: the dump is truncated: its headers describe \d+ bytes but the file has only 41943040/,
    );
    copyHead(src, cut, 100);
    await expect(loadSnapshot(cut)).rejects.toThrow(/truncated: the program header table/);
  });
});

describe('output of other SOS commands on a real dump', () => {
  it('other SOS commands pasted in place of dumpheap -stat are named, not read as a table', async () => {
    // A full dump: dotnet-dump 10's dumpobj crashes (SIGSEGV) on a heap-only dump.
    const { 'round-1': dump } = await collectScenarioSnapshots('static-list', {
      kind: 'dump',
      dumpType: 'full',
      rounds: 1,
      perRound: 500,
      checkpoints: ['round-1'],
    });
    const listing = await dumpAnalyze(dump, [`dumpheap -short -type ${LEAKED}`]);
    // `-type` matches by substring, so the listing also holds the List<LeakedOrder> that keeps them.
    const addresses = listing.match(/^[0-9a-f]{12,16}$/gm) ?? [];
    expect(addresses.length, listing).toBeGreaterThan(100);
    const address = addresses[addresses.length >> 1];
    const commands: [string, string][] = [
      [`dumpobj ${address}`, 'dumpobj'],
      ['eeheap -gc', 'eeheap -gc'],
      ['gcheapstat', 'gcheapstat'],
      [`objsize ${address}`, 'objsize'],
    ];
    for (const [command, named] of commands) {
      const file = join(tmp, `${named.replace(' ', '')}.txt`);
      writeFileSync(file, await dumpAnalyze(dump, [command]));
      const res = await runCli(['stat', file]);
      expect(res.code, `${command}: ${res.stdout}`).toBe(2);
      expect(res.stderr.trim()).toBe(
        `heapgate: ${file}: this is SOS '${named}' output (${WHAT[named]}), not per-type statistics of the heap; heapgate reads 'dumpheap -stat', 'dotnet-gcdump report' and 'gcroot' output, .gcdump files and memory dumps`,
      );
    }
  });
});

/**
 * Waits until a freshly started `sleep` is asleep. Before that its dynamic loader may still be
 * setting up, and createdump refuses it ("rdebugAddr (nil)", exit 255): seen under load.
 */
async function untilAsleep(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!readFileSync(`/proc/${pid}/wchan`, 'utf8').includes('nanosleep')) {
    if (Date.now() > deadline) throw new Error(`process ${pid} never reached its sleep`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('dumps that are not of a .NET process', () => {
  it('rejects a core dump of a native process', async () => {
    const createdump = findCreatedump();
    if (createdump === undefined)
      return expect.soft(createdump, 'createdump not found in the .NET runtime folder').toBeDefined();
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    const file = join(tmp, 'native.dmp');
    try {
      await untilAsleep(sleeper.pid!);
      const r = await run(createdump, ['-f', file, '--full', String(sleeper.pid)]);
      expect(r.status, r.stderr).toBe(0);
    } finally {
      sleeper.kill();
    }
    const err = await loadSnapshot(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toMatch(/native\.dmp: dotnet-dump found no \.NET runtime in this dump/);
  });

  it('rejects an ELF file that is not a core dump', async () => {
    await expect(readDump(process.execPath, 'elf-core')).rejects.toThrow(/ELF file but not a core dump/);
  });
});

describe('dotnet-dump itself', () => {
  it('reports a tool that cannot be run', async () => {
    await expect(
      analyzeDump('/dev/null', ['dumpheap -stat'], () => undefined, {
        toolPath: join(tmp, 'no-such-dotnet-dump'),
      }),
    ).rejects.toThrow(/could not run dotnet-dump/);
  });

  it('says how to install a missing dotnet-dump', () => {
    expect(() => requireTool('dotnet-dump', { env: { PATH: '' }, packageRoot: tmp, homeDir: tmp })).toThrow(
      /dotnet tool install --global dotnet-dump/,
    );
  });
});

function copyHead(src: string, dst: string, bytes: number): void {
  const buf = Buffer.alloc(Math.min(bytes, 1 << 20));
  const from = openSync(src, 'r');
  const to = openSync(dst, 'w');
  try {
    for (let done = 0; done < bytes;) {
      const n = readSync(from, buf, 0, Math.min(buf.length, bytes - done), done);
      if (n === 0) break;
      writeSync(to, buf, 0, n);
      done += n;
    }
  } finally {
    closeSync(from);
    closeSync(to);
  }
}

function findCreatedump(): string | undefined {
  const r = spawnSync('dotnet', ['--list-runtimes'], { encoding: 'utf8' });
  for (const m of (r.stdout ?? '').matchAll(/^Microsoft\.NETCore\.App (\S+) \[(.+)\]$/gm)) {
    const candidate = join(m[2], m[1], 'createdump');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
