/**
 * Findings read once per type: two rules that flag the same thing make one row naming both rules,
 * a type's findings sit together with its evidence printed once, and evidence lines in the terminal
 * wrap at their arrows instead of running for hundreds of characters (JSON keeps full names).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shortGenericArgs, TEXT_WIDTH, wrapPath } from '../../src/report/wrap.js';
import { runCli } from '../support/cli.js';

const rules = `version: 1
rules:
  - id: entries
    match: '*CacheEntry*'
    max-growth: { count: [5, 5%] }
    severity: error
  - id: everything
    match: '*'
    max-count: 100
    severity: error
`;

function rulesFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapgate-group-'));
  const file = join(dir, 'rules.yml');
  writeFileSync(file, rules);
  return file;
}

const CACHE_ENTRY = 'HeapgateScenarios.Leaks.CacheEntry';

describe('findings grouped per type', () => {
  it('check --json: one new-type finding per type, naming both rules; a type’s findings are adjacent', async () => {
    const file = rulesFile();
    const r = await runCli([
      'check',
      'examples/leaky-cache.gcdump',
      '--baseline',
      'baselines/example.json',
      '--rules',
      file,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as {
      findings: {
        subject: string;
        check: string;
        rule: { id: string; line: number };
        alsoBy?: { id: string; line: number }[];
      }[];
      counts: { fail: number; warn: number };
    };
    const newEntry = json.findings.filter((f) => f.subject === CACHE_ENTRY && f.check === 'new-type');
    expect(newEntry).toHaveLength(1);
    expect([newEntry[0].rule.id, ...(newEntry[0].alsoBy ?? []).map((a) => a.id)]).toEqual([
      'entries',
      'everything',
    ]);
    expect(newEntry[0].alsoBy?.[0]?.line).toBe(7);
    // No (subject, check) pair twice.
    const keys = json.findings.map((f) => `${f.subject}|${f.check}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Each subject's findings form one run.
    const subjects = json.findings.map((f) => f.subject);
    const runs = subjects.filter((s, i) => i === 0 || subjects[i - 1] !== s);
    expect(new Set(runs).size).toBe(runs.length);
    expect(json.counts.warn + json.counts.fail).toBe(json.findings.length);
  });

  it('check text: the rule column names both rules, the type heads its evidence once, and evidence lines fit the width', async () => {
    const file = rulesFile();
    const r = await runCli([
      'check',
      'examples/leaky-cache.gcdump',
      '--baseline',
      'baselines/example.json',
      '--rules',
      file,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.split('\n');
    const row = lines.find((l) => l.includes(CACHE_ENTRY) && l.includes('new type'));
    expect(row).toMatch(new RegExp(`entries \\(.*rules\\.yml:3\\), everything \\(.*rules\\.yml:7\\)$`));
    expect(lines.filter((l) => l.startsWith(`  - ${CACHE_ENTRY}  [leak hg1-`))).toHaveLength(1);
    const evidence = lines.filter((l) => /^ {4}\S/.test(l) || /^ {6}/.test(l));
    expect(evidence.length).toBeGreaterThan(4);
    for (const l of evidence) expect(l.length, l).toBeLessThanOrEqual(TEXT_WIDTH);
    // The wrapped path still ends at the type, and the dictionary's arguments are shortened.
    expect(r.stdout).toContain('System.Collections.Generic.Dictionary<Int32,CacheEntry>');
  });
});

describe('wrapping a retention path', () => {
  it('drops namespaces inside generic arguments only', () => {
    expect(shortGenericArgs('System.Collections.Generic.Dictionary<System.Int32,Shop.Orders.Order>')).toBe(
      'System.Collections.Generic.Dictionary<Int32,Order>',
    );
    expect(shortGenericArgs('A.B<C.D<E.F+G>[],H.I>[]')).toBe('A.B<D<F+G>[],I>[]');
    expect(shortGenericArgs('System.String')).toBe('System.String');
  });

  it('keeps a short path on one line and breaks a long one at its arrows', () => {
    expect(wrapPath('x: ', ['A', 'B'], '  ')).toEqual(['x: A -> B']);
    const parts = Array.from(
      { length: 12 },
      (_, i) => `Namespace.Part${i}.Holder<System.Collections.Generic.List<Shop.Item${i}>>`,
    );
    const lines = wrapPath('    3 x T held by static field s: ', parts, '        ');
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(TEXT_WIDTH);
    expect(lines.slice(1).every((l) => l.startsWith('        -> '))).toBe(true);
    expect(lines.join(' ').split(' -> ')).toHaveLength(12);
  });
});
