import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalTypeName } from '../../src/model/typeNames.js';
import { writeGcdump, type WriterGraph } from '../support/gcdumpWriter.js';
import { runCli } from '../support/cli.js';
import { hostileDir, timed } from '../support/hostileInput.js';

const files = hostileDir('deep-names');
afterAll(() => files.remove());

// Generic arguments nested 2,300 deep: parsing or rendering such a name recursively overflows the stack.
const DEPTH = 2300;
const deep = `${'Deep.Box<'.repeat(DEPTH)}System.Int32${'>'.repeat(DEPTH)}`;

function heap(extra: number): WriterGraph {
  return {
    types: [
      { name: 'UNDEFINED', size: 0 },
      { name: '[.NET Roots]', size: 0 },
      { name: deep, size: 24, module: '/app/Deep.dll' },
      { name: 'System.String', size: 30 },
    ],
    nodes: [
      { type: 1, children: [1, 2] },
      { type: 2, address: 0x10000 },
      { type: 3, address: 0x10018 },
      ...Array.from({ length: extra }, (_, i) => ({ type: 2, address: 0x20000 + i * 24 })),
    ],
    root: 0,
  };
}

describe('type names nested thousands deep', () => {
  it('are kept as written, quickly', () => {
    const { value, ms } = timed(() => canonicalTypeName(deep));
    expect(value).toBe(deep);
    expect(ms).toBeLessThan(1000);
    // Real nesting is still parsed: C# spelling to the canonical one.
    expect(canonicalTypeName('Deep.Box<Deep.Box<System.Int32>>+Entry[]')).toBe(
      'Entry<Deep.Box<System.Int32>>[]',
    );
  });

  it('stat reads them from SOS text', async () => {
    const text = [
      'Statistics:',
      '              MT    Count    TotalSize Class Name',
      `00007ff8a1b2c3d4        2           48 ${deep}`,
      'Total 2 objects, 48 bytes',
      '',
    ].join('\n');
    const res = await runCli(['stat', files.path('deep.txt', text), '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { types: { name: string; count: number }[] };
    expect(out.types.find((t) => t.name === deep)?.count).toBe(2);
  });

  it('diff and check read them from .gcdump files and baselines', async () => {
    const before = files.path('before.gcdump', writeGcdump(heap(0)));
    const after = files.path('after.gcdump', writeGcdump(heap(3)));
    const diff = await runCli(['diff', before, after, '--json']);
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(0);
    const rows = (JSON.parse(diff.stdout) as { types: { name: string; countDelta: number }[] }).types;
    expect(rows.find((t) => t.name === deep)?.countDelta).toBe(3);

    const baseline = {
      schemaVersion: 1,
      scenario: 'deep',
      createdAt: '2026-01-01T00:00:00.000Z',
      tool: 'heapgate 0.1.0',
      statistic: 'median',
      estimated: false,
      estimateReasons: [],
      samples: [
        {
          source: 'before.gcdump',
          format: 'gcdump',
          estimated: false,
          estimateReasons: [],
          totals: { objects: 2, bytes: 54 },
        },
      ],
      totals: { objects: 2, bytes: 54 },
      types: { [deep]: { count: 1, bytes: 24 }, 'System.String': { count: 1, bytes: 30 } },
    };
    const b = files.path('deep.json', JSON.stringify(baseline));
    const check = await runCli(['check', before, '--baseline', b, '--format', 'json']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    const report = JSON.parse(check.stdout) as { schemaVersion: number };
    expect(report.schemaVersion).toBeGreaterThan(0);
    expect(readFileSync(b, 'utf8')).toContain('Deep.Box<');
  });
});
