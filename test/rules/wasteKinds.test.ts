/**
 * The waste kinds judged on given value facts (no dump needed): each limit's boundary, LOH limits
 * in bytes and percent together, and the inconclusive reason when a fact was not read.
 */
import { describe, expect, it } from 'vitest';
import { diffStats } from '../../src/diff/diffStats.js';
import { evaluate } from '../../src/rules/evaluate.js';
import type { Evaluation } from '../../src/rules/findings.js';
import type { HeadValues } from '../../src/rules/kinds/kind.js';
import { parseRules } from '../../src/rules/parse.js';

const heap = { stats: [{ name: 'A', count: 1, bytes: 10 }], totals: { objects: 1, bytes: 10 } };

function run(limits: string, values: HeadValues | undefined): Evaluation {
  return evaluate({
    rules: parseRules(`rules:\n  - id: w\n    match: total\n${limits}`, 'h.yml'),
    diff: diffStats(heap, heap),
    baselineMissing: false,
    estimatedReasons: [],
    today: '2026-01-15',
    ...(values ? { values } : {}),
  });
}

const found = (ev: Evaluation) =>
  ev.findings.map((f) => `${f.status} ${f.check}/${f.metric ?? ''} ${f.actual ?? ''}>${f.limit ?? ''}`);

const loh = (allocatedBytes: number, freeBytes: number): HeadValues => ({
  lohFragmentation: {
    allocatedBytes,
    freeBytes,
    fragmentation: freeBytes / allocatedBytes,
    segments: [{ address: 'a0', allocatedBytes, freeBytes }],
    largestFree: [
      {
        address: 'a8',
        size: freeBytes,
        before: { address: 'a0', type: 'System.Byte[]', size: 8 },
      },
    ],
  },
});

const waste = (objects: number, wastedBytes: number) => ({
  objects,
  wastedBytes,
  holders: [{ holder: 'App.Holder.Items', count: objects, wastedBytes }],
  types: [{ type: 'System.Collections.Generic.List<System.String>', count: objects, wastedBytes }],
});

describe('waste kinds', () => {
  it('max-loh-fragmentation: bytes, percent, or both (the larger allowance wins)', () => {
    const head = loh(1000, 300);
    expect(found(run('    max-loh-fragmentation: 300\n', head))).toEqual([]);
    expect(found(run('    max-loh-fragmentation: 299\n', head))).toEqual([
      'fail max-loh-fragmentation/bytes 300>299',
    ]);
    expect(found(run('    max-loh-fragmentation: 30%\n', head))).toEqual([]);
    expect(found(run('    max-loh-fragmentation: 29%\n', head))).toEqual([
      'fail max-loh-fragmentation/bytes 300>290',
    ]);
    expect(found(run('    max-loh-fragmentation: [100, 30%]\n', head))).toEqual([]);
    expect(found(run('    max-loh-fragmentation: [300, 10%]\n', head))).toEqual([]);
    const ev = run('    max-loh-fragmentation: [200, 10%]\n', head);
    expect(found(ev)).toEqual(['fail max-loh-fragmentation/bytes 300>200']);
    expect(ev.findings[0].detail).toEqual([
      '30.0% of 1000 B on 1 segment',
      'segment a0: 300 B free of 1000 B',
      '300 B free at a8, between System.Byte[] (8 B at a0) and nothing',
    ]);
  });

  it('max-finalizer-backlog: the ready objects, by type, with the running finalizer', () => {
    const values: HeadValues = {
      finalizerBacklog: {
        ready: 11,
        readyBytes: 264,
        registered: 4,
        runningFinalizer: 'App.Stuck.Finalize()',
        types: [{ type: 'App.Resource', count: 11, bytes: 264 }],
      },
    };
    expect(found(run('    max-finalizer-backlog: 11\n', values))).toEqual([]);
    const ev = run('    max-finalizer-backlog: 10\n', values);
    expect(found(ev)).toEqual(['fail max-finalizer-backlog/count 11>10']);
    expect(ev.findings[0].detail).toEqual([
      '11 App.Resource (264 B)',
      'the finalizer thread is running App.Stuck.Finalize()',
      '264 B ready in all; 4 more objects registered for finalization',
    ]);
  });

  it('max-empty-collections by count and/or bytes; max-sparse-array-waste by bytes', () => {
    const values: HeadValues = { emptyCollections: waste(10, 1000), sparseArrays: waste(3, 240) };
    expect(found(run('    max-empty-collections: 10\n', values))).toEqual([]);
    expect(found(run('    max-empty-collections: 9\n', values))).toEqual([
      'fail max-empty-collections/count 10>9',
    ]);
    expect(found(run('    max-empty-collections: {bytes: 999}\n', values))).toEqual([
      'fail max-empty-collections/bytes 1000>999',
    ]);
    expect(found(run('    max-empty-collections: {count: 9, bytes: 999}\n', values))).toHaveLength(2);
    expect(found(run('    max-sparse-array-waste: 240\n', values))).toEqual([]);
    const ev = run('    max-sparse-array-waste: 200\n', values);
    expect(found(ev)).toEqual(['fail max-sparse-array-waste/bytes 240>200']);
    expect(ev.findings[0].detail?.[0]).toBe('3 sparse arrays held by App.Holder.Items (240 B)');
  });

  it('a fact that was not read, or a head without values, makes the rule inconclusive with why', () => {
    const ev = run('    max-sparse-array-waste: 1KB\n    max-loh-fragmentation: 10%\n', loh(1000, 0));
    expect(ev.verdict).toBe('inconclusive');
    expect(ev.inconclusiveReasons).toEqual([
      'max-loh-fragmentation, max-sparse-array-waste needs a full memory dump (heap segments, array contents): the head was not read for values',
    ]);
    const none = run('    max-finalizer-backlog: 0\n', { unavailable: 'x.gcdump is a gcdump snapshot' });
    expect(none.inconclusiveReasons).toEqual([
      'max-finalizer-backlog needs a full memory dump (the finalization queue): x.gcdump is a gcdump snapshot',
    ]);
  });
});
