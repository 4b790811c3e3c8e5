import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGcRoot } from '../../src/formats/sos/gcroot.js';
import { runCli } from '../support/cli.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'sos');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const steps = (...pairs: [string, string][]) => pairs.map(([address, type]) => ({ address, type }));

describe('gcroot', () => {
  it('reads the CLR 2.0 chain style', () => {
    const { paths, reportedRoots } = parseGcRoot(read('gcroot-variants/gcroot-g1.txt'));
    expect(reportedRoots).toBeUndefined();
    expect(paths).toEqual([
      {
        rootKind: 'stack local',
        rootName: 'ESI',
        steps: steps(['0xa9b8c70', 'Contoso.Registry'], ['0xa9b8d10', 'System.Collections.Hashtable']),
      },
      {
        rootKind: 'pinned handle',
        rootName: 'pinned handle 0x3a11f0',
        steps: steps(
          ['0xb2c3d40', 'System.Object[]'],
          ['0xa9b8c70', 'Contoso.Registry'],
          ['0xa9b8d10', 'System.Collections.Hashtable'],
        ),
      },
    ]);
  });

  it('reads the sectioned CLR 4 / native SOS layout (stack, handles, finalizer queue)', () => {
    const { paths, reportedRoots } = parseGcRoot(read('gcroot-variants/gcroot-g2.txt'));
    expect(reportedRoots).toBe(4);
    expect(paths).toEqual([
      {
        rootKind: 'stack local',
        rootName: 'Contoso.Worker.Run(System.String) (esi)',
        steps: steps(['0xa1b2c3d', 'Contoso.Job'], ['0xa1b2d00', 'System.Byte[]']),
      },
      {
        rootKind: 'pinned handle',
        rootName: 'pinned handle 0xc213f8',
        // Upper-case addresses (lldb builds) normalise to the same form.
        steps: steps(
          ['0xb2c3d40', 'System.Object[]'],
          ['0xa1b2c3d', 'Contoso.Job'],
          ['0xa1b2d00', 'System.Byte[]'],
        ),
      },
      {
        rootKind: 'weak handle',
        rootName: 'weak long handle 0xc213fc',
        steps: steps(['0xa1b2d00', 'System.Byte[]']),
      },
      {
        rootKind: 'finalizer queue',
        steps: steps(['0xa1b2e00', 'Contoso.NativeBuffer'], ['0xa1b2d00', 'System.Byte[]']),
      },
    ]);
  });

  it('reads the current layout: statics, ref-counted and dependent handles, culture-formatted trailer', () => {
    const { paths, reportedRoots } = parseGcRoot(read('gcroot-variants/gcroot-g4-ref-counted.txt'));
    expect(reportedRoots).toBe(1024);
    expect(paths).toEqual([
      {
        rootKind: 'static field',
        // The runtime's statics array above the static is not the user's holder.
        steps: steps(['0x7f19f6a0b1c8', 'Contoso.Cache'], ['0x7f19f6a0b2f0', 'System.Byte[]']),
      },
      {
        rootKind: 'ref-counted handle',
        rootName: 'ref counted handle 0x7f1a0c001400',
        steps: steps(['0x7f19f6a0b300', 'Contoso.ComCallback'], ['0x7f19f6a0b2f0', 'System.Byte[]']),
      },
      {
        rootKind: 'dependent handle',
        rootName: 'dependent handle 0x7f1a0c001410',
        steps: steps(
          ['0x7f19f6a0b400', 'Entry<System.String,Contoso.Item>[]'],
          ['0x7f19f6a0b2f0', 'System.Byte[]'],
        ),
      },
    ]);
  });

  it('reads real dotnet-dump gcroot output of the cache scenario', () => {
    const text = read('dotnet-dump-gcroot.txt');
    const { paths, reportedRoots } = parseGcRoot(text);
    const chain = [...text.matchAll(/^ +-> ([0-9a-f]+) +(\S.*?) *$/gm)];
    expect(reportedRoots).toBe(1);
    expect(paths).toHaveLength(1);
    const [path] = paths;
    expect(path.rootKind).toBe('static field');
    // Every link after the statics array, in order, with the address as printed.
    expect(path.steps.map((s) => s.address)).toEqual(chain.slice(1).map((m) => `0x${m[1]}`));
    expect(path.steps.map((s) => s.type)).toEqual([
      'System.Collections.Generic.Dictionary<System.Int32,HeapgateScenarios.Leaks.CacheEntry>',
      'Entry<System.Int32,HeapgateScenarios.Leaks.CacheEntry>[]',
      'HeapgateScenarios.Leaks.CacheEntry',
    ]);
  });

  it('returns no paths for an object without roots', () => {
    expect(parseGcRoot('Caching GC roots, this may take a while.\n\nFound 0 unique roots.\n')).toEqual({
      paths: [],
      reportedRoots: 0,
    });
  });
});

describe('heapgate roots on saved gcroot output', () => {
  it('prints the paths with plain root kinds and canonical type names, and as JSON', async () => {
    const file = new URL('../fixtures/sos/dotnet-dump-gcroot.txt', import.meta.url).pathname;
    const text = await runCli(['roots', file]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^0x[0-9a-f]+: 1 root path$/m);
    expect(text.stdout).toContain('Entry<System.Int32,HeapgateScenarios.Leaks.CacheEntry>[]');
    const json = await runCli(['roots', file, '--json']);
    const doc = JSON.parse(json.stdout) as { paths: { steps: { type: string }[] }[] };
    expect(doc.paths[0].steps.at(-1)?.type).toBe('HeapgateScenarios.Leaks.CacheEntry');
  });
  it('refuses a statistics-only input with a clear message', async () => {
    const file = new URL('../fixtures/sos/dotnet-dump-stat.txt', import.meta.url).pathname;
    const res = await runCli(['roots', file, '--type', 'HeapgateScenarios.Leaks.CacheEntry']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/per-type statistics only/);
  });
});
