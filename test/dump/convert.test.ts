/**
 * `heapgate convert <dump> <out.gcdump>` on real dumps of the scenario app: the .gcdump it writes
 * is opened by `dotnet-gcdump report` (read by the test-only parser) with the same per-type counts
 * as heapgate's `stat` of the dump, and read back by heapgate with the same statistics and roots.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDumpReader } from '../../src/formats/dump/clrmdReader.js';
import { runCli } from '../support/cli.js';
import { gcdumpNameAsCanonical, gcdumpReportText } from '../support/referenceText.js';
import { withScenario, type ScenarioName } from '../support/scenario.js';
import { gcdumpReport } from '../support/tools.js';

const PER_ROUND = 500;
const AT_ROUND_2 = 3 * PER_ROUND;
const ORDER = 'HeapgateScenarios.Leaks.LeakedOrder';
const THREAD_ITEM = 'HeapgateScenarios.Leaks.ThreadLeakedItem';
const MODULE = 'LeakScenarios.dll';

const tmp = mkdtempSync(join(tmpdir(), 'heapgate-convert-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function dumpAtRound2(name: ScenarioName): Promise<string> {
  return withScenario(name, { rounds: 2, perRound: PER_ROUND }, async (s) => {
    while ((await s.checkpoint()) !== 'round-2') s.continue();
    return s.dump(join(tmp, `${name}.dmp`));
  });
}

interface StatJson {
  totals: { objects: number; bytes: number };
  types: { name: string; count: number; bytes: number }[];
}

async function stat(file: string, env?: NodeJS.ProcessEnv): Promise<StatJson> {
  const res = await runCli(['stat', file, '--json'], { env });
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as StatJson;
}

function counts(s: StatJson): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of s.types) m.set(t.name, (m.get(t.name) ?? 0) + t.count);
  return m;
}

/** [name, a − b] for every name whose counts differ. */
function difference(a: Map<string, number>, b: Map<string, number>): [string, number][] {
  const out: [string, number][] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const d = (a.get(k) ?? 0) - (b.get(k) ?? 0);
    if (d !== 0) out.push([k, d]);
  }
  return out.sort((x, y) => x[0].localeCompare(y[0]));
}

async function rootsText(file: string, type: string): Promise<string> {
  const res = await runCli(['roots', file, '--type', type]);
  expect(res.code, res.stderr).toBe(0);
  return res.stdout;
}

/** The first path line of `roots` (root → holders → type), addresses left out. */
function firstPath(text: string, type: string): string | undefined {
  return text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.endsWith(`→ ${type}`));
}

const reader = findDumpReader();

describe.skipIf('missing' in reader)('heapgate convert', () => {
  let staticList: string;
  let threadStatic: string;
  beforeAll(async () => {
    staticList = await dumpAtRound2('static-list');
    threadStatic = await dumpAtRound2('thread-static');
  });

  it('writes a .gcdump whose dotnet-gcdump report counts equal stat of the dump, both directions', async () => {
    const out = join(tmp, 'static-list.gcdump');
    const res = await runCli(['convert', staticList, out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/^heapgate convert: .*static-list\.gcdump \([\d,]+ bytes, [\d,]+ objects/);

    const dumpStat = await stat(staticList);
    const report = gcdumpReportText(await gcdumpReport(out));
    const reported = new Map<string, number>();
    for (const [name, count] of report.counts) {
      const key = gcdumpNameAsCanonical(name);
      reported.set(key, (reported.get(key) ?? 0) + count);
    }
    const ours = new Map<string, number>();
    for (const [name, count] of counts(dumpStat)) ours.set(gcdumpNameAsCanonical(name), count);
    expect(difference(reported, ours)).toEqual([]);
    expect(reported.get(ORDER)).toBe(AT_ROUND_2);
    expect(report.heapBytes).toBe(dumpStat.totals.bytes);
    // Every object plus the root pseudo-nodes ([.NET Roots], [static vars], [static var …], …).
    expect(report.heapObjects).toBeGreaterThan(dumpStat.totals.objects);
    expect(report.heapObjects).toBeLessThan(dumpStat.totals.objects + 1000);
    // Every row names its type's module, as in a .gcdump of the process.
    expect(report.rows.filter((r) => r.module === undefined)).toEqual([]);
    expect(report.rows.find((r) => r.name === 'System.String')?.module).toBe('System.Private.CoreLib.dll');
    expect(report.rows.find((r) => r.name === ORDER)).toMatchObject({ size: 40, module: MODULE });

    // heapgate reads it back with the same statistics, and roots names the same holder.
    const back = await stat(out);
    expect(back.types).toEqual(dumpStat.types);
    expect([back.totals.objects, back.totals.bytes]).toEqual([
      dumpStat.totals.objects,
      dumpStat.totals.bytes,
    ]);
    const fromDump = firstPath(await rootsText(staticList, ORDER), ORDER);
    expect(fromDump).toBe(
      `static field HeapgateScenarios.Leaks.OrderRegistry.s_orders → System.Collections.Generic.List<${ORDER}> → ${ORDER}[] → ${ORDER}`,
    );
    expect(firstPath(await rootsText(out, ORDER), ORDER)).toBe(fromDump);
  });

  it('keeps thread-static roots named as thread-static in the .gcdump', async () => {
    const out = join(tmp, 'thread-static.gcdump');
    const res = await runCli(['convert', threadStatic, out]);
    expect(res.code, res.stderr).toBe(0);
    const report = gcdumpReportText(await gcdumpReport(out));
    expect(report.counts.get(THREAD_ITEM)).toBe(AT_ROUND_2);
    const fromDump = firstPath(await rootsText(threadStatic, THREAD_ITEM), THREAD_ITEM);
    expect(fromDump).toMatch(
      /^thread-static field HeapgateScenarios\.Leaks\.ThreadLocalRegistry\.t_items → /,
    );
    expect(firstPath(await rootsText(out, THREAD_ITEM), THREAD_ITEM)).toBe(fromDump);
  });

  it('never overwrites an existing file without --force', async () => {
    const out = join(tmp, 'existing.gcdump');
    writeFileSync(out, 'keep me');
    const res = await runCli(['convert', staticList, out]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim()).toBe(`heapgate: ${out}: already exists; pass --force to overwrite it`);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const forced = await runCli(['convert', staticList, out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(gcdumpReportText(await gcdumpReport(out)).counts.get(ORDER)).toBe(AT_ROUND_2);
  });

  it('refuses a dump read through dotnet-dump (statistics only) and a file that is no snapshot', async () => {
    const out = join(tmp, 'fallback.gcdump');
    const res = await runCli(['convert', staticList, out], { env: { HEAPGATE_DUMP_READER: 'off' } });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain(`${staticList}: read as per-type statistics only`);
    expect(res.stderr).toContain('ClrMD');
    const junk = join(tmp, 'junk.bin');
    writeFileSync(junk, 'not a dump at all\n');
    const bad = await runCli(['convert', junk, join(tmp, 'junk.gcdump')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(junk);
  });
});
