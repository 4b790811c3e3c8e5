/**
 * New, known and fixed leaks through the real CLI: `check --json` gives fingerprints, `baseline
 * record --leaks-from` remembers them (with the first commit and date that had each), and the next
 * `check` against that baseline folds known leaks, leads with new ones and lists fixed ones.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResultFile } from '../../action/resultFile.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'heapgate-known-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LEAKY = 'examples/leaky-cache.gcdump';
const STEADY = 'examples/steady.gcdump';
const C1 = '1111111111111111111111111111111111111111';
const C2 = '2222222222222222222222222222222222222222';
const CACHE = 'HeapgateScenarios.Leaks.CacheEntry';

interface Report {
  leaks?: {
    new: number;
    known: number;
    fixed: { id: string; subject: string; firstSeen: { commit?: string } }[];
  };
  findings: {
    subject: string;
    fingerprint?: { id: string };
    leak?: { status: string; firstSeen?: { commit?: string } };
  }[];
}

async function checkJson(
  head: string,
  baseline: string,
): Promise<{ code: number; report: Report; text: string }> {
  const r = await runCli(['check', head, '--baseline', baseline, '--json']);
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as Report, text: r.stdout };
}

let first: Report;
let leakId: string;
const known = join(dir, 'known.json');

beforeAll(async () => {
  const r = await checkJson(LEAKY, 'baselines/example.json');
  first = r.report;
  writeFileSync(join(dir, 'first.json'), r.text);
  leakId = first.findings.find((f) => f.subject === CACHE)!.fingerprint!.id;
  const rec = await runCli([
    'baseline',
    'record',
    STEADY,
    '--scenario',
    'example',
    '--out',
    known,
    '--leaks-from',
    join(dir, 'first.json'),
    '--commit',
    C1,
  ]);
  expect(rec.code, rec.stderr).toBe(0);
});

describe('known leaks', () => {
  it('a baseline without a leak record classifies nothing', () => {
    expect(first.leaks).toBeUndefined();
    expect(first.findings.every((f) => f.leak === undefined)).toBe(true);
  });

  it('baseline record --leaks-from writes a version 2 baseline with each leak once, first seen at its commit', () => {
    const b = JSON.parse(readFileSync(known, 'utf8')) as {
      schemaVersion: number;
      leaks: Record<string, { subject: string; firstSeen: { commit: string; date: string } }>;
    };
    expect(b.schemaVersion).toBe(2);
    expect(Object.keys(b.leaks)).toEqual([leakId]);
    expect(b.leaks[leakId]).toMatchObject({
      subject: CACHE,
      firstSeen: { commit: C1, date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    });
  });

  it('the same leak again is known, in JSON and in markdown, where it is folded under its first-seen date', async () => {
    const { code, report } = await checkJson(LEAKY, known);
    expect(code).toBe(1);
    expect(report.leaks).toEqual({ new: 0, known: 3, fixed: [] });
    for (const f of report.findings)
      expect(f.leak).toMatchObject({ status: 'known', firstSeen: { commit: C1 } });
    const md = await runCli(['check', LEAKY, '--baseline', known, '--format', 'md']);
    expect(md.stdout).toMatch(
      /<details><summary>📌 3 findings of known leaks \(in the baseline since \d{4}-\d{2}-\d{2}\)<\/summary>/,
    );
    expect(md.stdout).not.toContain('#### New findings');
    // The Action's report mode reads the result back with its leak record.
    const parsed = parseResultFile(JSON.stringify(report));
    expect(parsed.ok && parsed.report.leaks).toEqual({ new: 0, known: 3, fixed: [] });
  });

  it('a heap without the leak lists it as fixed and passes', async () => {
    const { code, report } = await checkJson(STEADY, known);
    expect(code).toBe(0);
    expect(report.leaks?.fixed).toEqual([
      expect.objectContaining({
        id: leakId,
        subject: CACHE,
        firstSeen: expect.objectContaining({ commit: C1 }),
      }),
    ]);
    const md = await runCli(['check', STEADY, '--baseline', known, '--format', 'md']);
    expect(md.stdout).toContain('#### ✅ Fixed: 1 known leak no longer found');
  });

  it('against an empty leak record every finding is new and leads the report', async () => {
    const b = JSON.parse(readFileSync(known, 'utf8')) as Record<string, unknown>;
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, JSON.stringify({ ...b, leaks: {} }));
    const { report } = await checkJson(LEAKY, empty);
    expect(report.leaks).toEqual({ new: 3, known: 0, fixed: [] });
    const md = await runCli(['check', LEAKY, '--baseline', empty, '--format', 'md']);
    expect(md.stdout).toContain('#### New findings');
  });

  it('re-recording keeps the first-seen commit of a leak still there', async () => {
    const again = await checkJson(LEAKY, known);
    writeFileSync(join(dir, 'again.json'), again.text);
    const rec = await runCli([
      'baseline',
      'record',
      STEADY,
      '--scenario',
      'example',
      '--out',
      known,
      '--force',
      '--leaks-from',
      join(dir, 'again.json'),
      '--commit',
      C2,
    ]);
    expect(rec.code, rec.stderr).toBe(0);
    const b = JSON.parse(readFileSync(known, 'utf8')) as {
      commit: string;
      leaks: Record<string, { firstSeen: { commit: string } }>;
    };
    expect(b.commit).toBe(C2);
    expect(b.leaks[leakId].firstSeen.commit).toBe(C1);
  });

  it('refuses a --leaks-from file that is not a check result', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"findings": 3}');
    const r = await runCli([
      'baseline',
      'record',
      STEADY,
      '--scenario',
      'example',
      '--out',
      join(dir, 'x.json'),
      '--leaks-from',
      bad,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "bad.json: not a heapgate check result with fingerprints; give the output of 'heapgate check --json'",
    );
  });
});

describe('suppressions by fingerprint', () => {
  const rules = (body: string) => {
    const file = join(dir, `supp-${Math.random().toString(16).slice(2)}.yml`);
    writeFileSync(file, `version: 1\nsuppressions:\n${body}`);
    return file;
  };
  const run = (file: string, extra: string[] = []) =>
    runCli([
      'check',
      LEAKY,
      '--baseline',
      'baselines/example.json',
      '--rules',
      'builtin:default',
      '--rules',
      file,
      '--json',
      ...extra,
    ]);

  it('hide every finding of that leak (the entries and what hangs off them), and the gate passes', async () => {
    const r = await run(
      rules(`  - fingerprint: ${leakId}\n    reason: "known, tracked in #12"\n    expires: 2999-01-01\n`),
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Report & {
      verdict: string;
      suppressed: { subject: string; suppressedBy: { reason: string } }[];
    };
    expect(j.verdict).toBe('pass');
    expect(j.findings).toEqual([]);
    expect(j.suppressed.map((f) => f.subject).sort()).toEqual([CACHE, 'System.Byte[]', 'System.String']);
    expect(j.suppressed[0].suppressedBy.reason).toBe('known, tracked in #12');
  });

  it('expired, still apply but warn on every run, naming the leak', async () => {
    const r = await run(rules(`  - fingerprint: [${leakId}]\n    reason: known\n    expires: 2026-01-01\n`), [
      '--today',
      '2026-06-01',
    ]);
    const j = JSON.parse(r.stdout) as { verdict: string; findings: { check: string; message: string }[] };
    expect(j.verdict).toBe('warn');
    expect(j.findings).toEqual([
      expect.objectContaining({
        check: 'suppression-expired',
        message: expect.stringContaining(`suppression of leak ${leakId} expired on 2026-01-01`),
      }),
    ]);
  });

  it('another leak’s fingerprint hides nothing; a malformed one or none at all is a rules error at its place', async () => {
    const other = await run(rules('  - fingerprint: hg1-000000000000\n    reason: other\n'));
    expect(other.code).toBe(1);
    const bad = await run(rules('  - fingerprint: 3e5a289a495f\n    reason: typo\n'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /supp-\w+\.yml:3:18: fingerprint: must be a leak fingerprint as reports print it, like 'hg1-3e5a289a495f'/,
    );
    const none = await run(rules('  - reason: nothing named\n'));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/supp-\w+\.yml:3:5: a suppression needs 'match' \(types\) or 'fingerprint'/);
  });
});
