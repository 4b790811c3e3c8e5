/**
 * Full dumps read through dotnet-dump (HEAPGATE_DUMP_READER=off): the `-live` walk can miss roots
 * (dotnet-dump 10 does not follow .NET 10 thread-static roots), so heapgate runs the plain walk in
 * the same session and, when the live walk leaves most objects of a type unreached, marks those
 * types uncertain: rules covering them are inconclusive instead of passing, and say why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDumpHeapStat } from '../../src/formats/sos/dumpheapStat.js';
import { missedByLiveWalk, splitAfterFirstTable } from '../../src/formats/dump/readDump.js';
import { runCli } from '../support/cli.js';
import { withScenario } from '../support/scenario.js';

const PER_ROUND = 500;
const THREAD_ITEM = 'HeapgateScenarios.Leaks.ThreadLeakedItem';
const OFF = { HEAPGATE_DUMP_READER: 'off' };

const tmp = mkdtempSync(join(tmpdir(), 'heapgate-fallback-walk-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function table(rows: [string, number, string][]): string {
  const lines = ['Statistics:', '          MT Count TotalSize Class Name'];
  let objects = 0;
  let bytes = 0;
  for (const [mt, count, name] of rows) {
    lines.push(`${mt} ${count.toLocaleString('en-US')} ${(count * 32).toLocaleString('en-US')} ${name}`);
    objects += count;
    bytes += count * 32;
  }
  lines.push(`Total ${objects.toLocaleString('en-US')} objects, ${bytes.toLocaleString('en-US')} bytes`);
  return lines.join('\n');
}

describe('the live walk against the plain walk', () => {
  const all = table([
    ['7f0000000010', 2000, 'A'],
    ['7f0000000020', 2000, 'B'],
    ['7f0000000030', 999, 'C'],
  ]);
  const check = (live: string): string | undefined => {
    const [first, second] = splitAfterFirstTable(`${all}\nCalculating live objects\n${live}`);
    expect(first).toBe(all);
    return missedByLiveWalk(parseDumpHeapStat(first ?? '', 'x.dmp'), parseDumpHeapStat(second, 'x.dmp'))
      ?.reason;
  };

  it('is quiet below the thresholds: fewer than 1,000 dead objects or less than half the type', () => {
    expect(
      check(
        table([
          ['7f0000000010', 1001, 'A'],
          ['7f0000000020', 2000, 'B'],
        ]),
      ),
    ).toBeUndefined();
  });

  it('names the types whose instances the live walk mostly left unreached, escaped', () => {
    const reason = check(
      table([
        ['7f0000000010', 1000, 'A'],
        ['7f0000000020', 2000, 'B'],
      ]),
    );
    expect(reason).toContain('"A" 1,000 of 2,000');
    expect(reason).not.toContain('"C"');
    expect(reason).toContain('thread-static');
  });
});

describe('a dump read through dotnet-dump', () => {
  let threadStatic: string;
  let steady: { dump: string; baseline: string };

  beforeAll(async () => {
    threadStatic = await withScenario('thread-static', { rounds: 2, perRound: PER_ROUND }, async (s) => {
      while ((await s.checkpoint()) !== 'round-2') s.continue();
      return s.dump(join(tmp, 'thread-static.dmp'));
    });
    steady = await withScenario('steady', { rounds: 2 }, async (s) => {
      expect(await s.checkpoint()).toBe('warmup');
      await s.gcdump(join(tmp, 'steady-warmup.gcdump'));
      s.continue();
      while ((await s.checkpoint()) !== 'round-2') s.continue();
      const gcdump = await s.gcdump(join(tmp, 'steady.gcdump'));
      const dump = await s.dump(join(tmp, 'steady.dmp'));
      return { dump, baseline: gcdump };
    });
    const baseline = join(tmp, 'steady.json');
    const rec = await runCli([
      'baseline',
      'record',
      steady.baseline,
      '--scenario',
      'steady',
      '--out',
      baseline,
    ]);
    expect(rec.code, rec.stderr).toBe(0);
    steady.baseline = baseline;
  });

  interface CheckJson {
    verdict: string;
    inconclusiveReasons: string[];
  }
  const check = async (dump: string): Promise<{ code: number; json: CheckJson }> => {
    const res = await runCli(['check', dump, '--baseline', steady.baseline, '--no-record', '--json'], {
      env: OFF,
    });
    expect(res.stderr).not.toMatch(/error/i);
    return { code: res.code, json: JSON.parse(res.stdout) as CheckJson };
  };

  it('makes check inconclusive, not PASS, when the live walk misses a thread-static leak, and names it', async () => {
    // The symptom: the leaked type is not in the live counts at all.
    const stat = await runCli(['stat', threadStatic, '--json'], { env: OFF });
    expect(stat.code, stat.stderr).toBe(0);
    const parsed = JSON.parse(stat.stdout) as {
      types: { name: string }[];
      meta: { estimated: boolean; uncertainTypes?: { names: string[]; reason: string } };
    };
    expect(parsed.types.some((t) => t.name === THREAD_ITEM)).toBe(false);
    // The other counts are exact: only the types the walk left unreached are in doubt.
    expect(parsed.meta.estimated).toBe(false);
    expect(parsed.meta.uncertainTypes?.names).toContain(THREAD_ITEM);
    expect(parsed.meta.uncertainTypes?.reason).toContain(`"${THREAD_ITEM}" 1,500 of 1,500`);

    const res = await check(threadStatic);
    expect(res.json.verdict).toBe('inconclusive');
    expect(res.json.inconclusiveReasons.join('\n')).toMatch(
      new RegExp(
        `dotnet-dump's live walk left most objects .*"${THREAD_ITEM.replace(/\./g, '\\.')}" 1,500 of 1,500`,
      ),
    );
    const text = await runCli(['check', threadStatic, '--baseline', steady.baseline, '--no-record'], {
      env: OFF,
    });
    expect(text.stdout).toMatch(/^heapgate check: INCONCLUSIVE/);
    expect(text.stdout).not.toMatch(/^heapgate check: PASS/m);
  });

  it('leaves rules that do not cover the unreached types conclusive', async () => {
    const rules = (match: string): string => {
      const file = join(tmp, `rules-${match.replace(/\W/g, '')}.yml`);
      writeFileSync(file, `rules:\n  - id: capped\n    match: "${match}"\n    max-count: 1000000\n`);
      return file;
    };
    const run = async (match: string): Promise<CheckJson & { rules: { status: string }[] }> => {
      const res = await runCli(
        [
          'check',
          threadStatic,
          '--baseline',
          steady.baseline,
          '--no-record',
          '--json',
          '--rules',
          rules(match),
        ],
        { env: OFF },
      );
      expect(res.stderr).not.toMatch(/error/i);
      return JSON.parse(res.stdout) as CheckJson & { rules: { status: string }[] };
    };
    const other = await run('System.String');
    expect(other.verdict).toBe('pass');
    expect(other.inconclusiveReasons).toEqual([]);
    const covering = await run('HeapgateScenarios.Leaks.*');
    expect(covering.verdict).toBe('inconclusive');
    expect(covering.rules.map((r) => r.status)).toEqual(['inconclusive']);
    expect(covering.inconclusiveReasons.join('\n')).toContain(`"${THREAD_ITEM}" 1,500 of 1,500`);
  });

  it('keeps a clean dump conclusive', async () => {
    const res = await check(steady.dump);
    expect(res.json.inconclusiveReasons).toEqual([]);
    expect(res.json.verdict).toBe('pass');
    expect(res.code).toBe(0);
  });
});
