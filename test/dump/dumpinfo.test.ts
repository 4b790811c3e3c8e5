/** The pure side of the SOS-style commands: decoding the reader's answers, summing, escaping. */
import { describe, expect, it } from 'vitest';
import { ToolError, UsageError } from '../../src/errors.js';
import { decodeEEHeap, summarizeEEHeap } from '../../src/dumpinfo/eeheap.js';
import { decodeHandles, summarizeHandles } from '../../src/dumpinfo/handles.js';
import { parseAddress } from '../../src/dumpinfo/inspect.js';
import { quoteValue } from '../../src/dumpinfo/stringsText.js';

const part = (generation: string, objectBytes: number, freeBytes: number) => ({
  generation,
  objectBytes,
  objects: 1,
  freeBytes,
  freeObjects: freeBytes > 0 ? 1 : 0,
});
const segment = (kind: string, allocatedBytes: number, generations: ReturnType<typeof part>[]) => ({
  heap: 0,
  kind,
  address: '1',
  begin: '2',
  allocated: '3',
  committed: '4',
  reserved: '5',
  allocatedBytes,
  committedBytes: 2 * allocatedBytes,
  reservedBytes: 4 * allocatedBytes,
  generations,
});

describe('eeheap summary', () => {
  it('splits a segment-based ephemeral segment by its objects, and counts free space as fragmentation', () => {
    const heap = decodeEEHeap({
      server: false,
      heapCount: 1,
      segments: [
        segment('ephemeral', 1000, [part('gen0', 300, 100), part('gen1', 200, 0), part('gen2', 350, 50)]),
        segment('gen2', 4000, [part('gen2', 3000, 1000)]),
        segment('loh', 0, []),
      ],
    });
    const s = summarizeEEHeap(heap);
    expect(s.regions).toBe(false);
    const area = (a: string) => s.areas.find((x) => x.area === a);
    expect(area('gen0')).toMatchObject({
      segments: 1,
      allocatedBytes: 400,
      freeBytes: 100,
      committedBytes: 2000,
    });
    expect(area('gen1')).toMatchObject({ segments: 0, allocatedBytes: 200, freeBytes: 0 });
    expect(area('gen2')).toMatchObject({ segments: 1, allocatedBytes: 4400, freeBytes: 1050 });
    expect(area('gen2')?.fragmentation).toBeCloseTo(1050 / 4400);
    expect(area('loh')).toMatchObject({ segments: 1, allocatedBytes: 0, fragmentation: 0 });
    expect(s.total).toMatchObject({
      segments: 3,
      allocatedBytes: 5000,
      freeBytes: 1150,
      committedBytes: 10000,
    });
  });

  it('a malformed answer from the reader is a tool error naming the field', () => {
    expect(() => decodeEEHeap({ server: false, heapCount: 1, segments: [{ heap: 0 }] })).toThrow(ToolError);
    expect(() => decodeEEHeap({ server: false, heapCount: 1, segments: [{ heap: 0 }] })).toThrow(
      /eeheap\.segments\[0\]\.kind is not a string/,
    );
    expect(() => decodeHandles([])).toThrow(/handles is not an object/);
  });
});

describe('handles summary', () => {
  it('puts what keeps its target alive first; a ref-counted handle keeps it only above zero', () => {
    const h = (kind: string, type: string, extra: object = {}) => ({
      address: '1',
      kind,
      strong: ['Strong', 'Pinned', 'AsyncPinned', 'SizedRef', 'RefCounted'].includes(kind),
      pinned: kind === 'Pinned' || kind === 'AsyncPinned',
      object: '2',
      type,
      size: 24,
      ...extra,
    });
    const s = summarizeHandles(
      decodeHandles({
        handles: [
          h('WeakShort', 'A'),
          h('WeakShort', 'A'),
          h('WeakShort', 'A'),
          h('Strong', 'B'),
          h('Pinned', 'C'),
          h('Pinned', 'C'),
          h('RefCounted', 'D', { referenceCount: 0 }),
          { address: '9', kind: 'Strong', strong: true, pinned: false, object: '0' },
        ],
      }),
    );
    expect(s).toMatchObject({ handles: 8, keepingAlive: 4, pinned: 2 });
    expect(s.types.map((t) => [t.kind, t.type, t.handles, t.keepsAlive])).toEqual([
      ['Pinned', 'C', 2, true],
      ['Strong', 'B', 1, true],
      ['WeakShort', 'A', 3, false],
      ['RefCounted', 'D', 1, false],
    ]);
  });
});

describe('addresses and values', () => {
  it('takes addresses as SOS and WinDbg print them', () => {
    expect(parseAddress('0x00007F42BBC0A468')).toBe('7f42bbc0a468');
    expect(parseAddress('00007f42`bbc0a468')).toBe('7f42bbc0a468');
    expect(parseAddress('0')).toBe('0');
    expect(() => parseAddress('7f42 bbc0')).toThrow(UsageError);
    expect(() => parseAddress('12345678901234567')).toThrow(UsageError);
  });

  it('quotes string values with control characters escaped and invisible ones shown', () => {
    expect(quoteValue('a\u001b[2J\nb', 7)).toBe('"a\\u001b[2J\\nb"');
    expect(quoteValue('evil\u202etxt', 8)).toBe('"evil<U+202E>txt"');
    expect(quoteValue('x'.repeat(1024), 5000)).toMatch(/^"x+…x+" \(5,000 chars\)$/);
  });
});
