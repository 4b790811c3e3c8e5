/**
 * `heapgate eeheap`: the GC heap's segments (or regions) and, per generation, allocated,
 * committed and free bytes — SOS !EEHeap -gc and !HeapStat in one view.
 */
import { count, flag, listOf, optionalText, record, text, type Json } from './answer.js';

export type Area = 'gen0' | 'gen1' | 'gen2' | 'loh' | 'poh' | 'frozen';
export const AREAS: readonly Area[] = ['gen0', 'gen1', 'gen2', 'loh', 'poh', 'frozen'];
export const AREA_LABEL: Readonly<Record<Area, string>> = {
  gen0: 'gen0',
  gen1: 'gen1',
  gen2: 'gen2',
  loh: 'LOH',
  poh: 'POH',
  frozen: 'NonGC (frozen)',
};

export interface GenerationPart {
  generation: string;
  objectBytes: number;
  objects: number;
  freeBytes: number;
  freeObjects: number;
}

/** An object next to a free block. */
export interface Neighbour {
  address: string;
  type: string;
  size: number;
}

/** A free block on the large object heap and the objects either side of it. */
export interface FreeBlock {
  address: string;
  size: number;
  before?: Neighbour;
  after?: Neighbour;
}

export interface Segment {
  heap: number;
  /** gen0, gen1, gen2, loh, poh, frozen (regions), or ephemeral (segments holding gen0 and gen1). */
  kind: string;
  address: string;
  begin: string;
  allocated: string;
  committed: string;
  allocatedBytes: number;
  committedBytes: number;
  reservedBytes: number;
  generations: GenerationPart[];
  /** Large object heap segments: the largest free blocks, largest first. */
  largestFree?: FreeBlock[];
}

export interface EEHeap {
  server: boolean;
  heapCount: number;
  segments: Segment[];
}

export function decodeEEHeap(value: unknown): EEHeap {
  const o = record(value, 'eeheap');
  return {
    server: flag(o, 'server', 'eeheap'),
    heapCount: count(o, 'heapCount', 'eeheap'),
    segments: listOf(o, 'segments', 'eeheap', (s: Json, p) => ({
      heap: count(s, 'heap', p),
      kind: text(s, 'kind', p),
      address: text(s, 'address', p),
      begin: text(s, 'begin', p),
      allocated: text(s, 'allocated', p),
      committed: text(s, 'committed', p),
      allocatedBytes: count(s, 'allocatedBytes', p),
      committedBytes: count(s, 'committedBytes', p),
      reservedBytes: count(s, 'reservedBytes', p),
      ...(s.largestFree === undefined
        ? {}
        : {
            largestFree: listOf(s, 'largestFree', p, (b, q) => ({
              address: text(b, 'address', q),
              size: count(b, 'size', q),
              ...neighbour(b, 'before', q),
              ...neighbour(b, 'after', q),
            })),
          }),
      generations: listOf(s, 'generations', p, (g, q) => ({
        generation: text(g, 'generation', q),
        objectBytes: count(g, 'objectBytes', q),
        objects: count(g, 'objects', q),
        freeBytes: count(g, 'freeBytes', q),
        freeObjects: count(g, 'freeObjects', q),
      })),
    })),
  };
}

function neighbour(
  b: Json,
  key: 'before' | 'after',
  path: string,
): Partial<Record<'before' | 'after', Neighbour>> {
  const v = b[key];
  if (v === undefined) return {};
  const n = record(v, `${path}.${key}`);
  const q = `${path}.${key}`;
  return {
    [key]: {
      address: text(n, 'address', q),
      type: optionalText(n, 'type', q) ?? '',
      size: count(n, 'size', q),
    },
  };
}

export interface AreaTotals {
  area: Area;
  segments: number;
  /** Bytes between the first object and the allocation end, as !HeapStat counts them. */
  allocatedBytes: number;
  /** Committed bytes of the area's own segments (an ephemeral segment is counted under gen0). */
  committedBytes: number;
  /** Bytes of objects (live and not yet collected). */
  objectBytes: number;
  objects: number;
  /** Bytes of free blocks between objects: fragmentation. */
  freeBytes: number;
  /** freeBytes / allocatedBytes, 0..1. */
  fragmentation: number;
}

export interface EEHeapSummary {
  server: boolean;
  heapCount: number;
  regions: boolean;
  areas: AreaTotals[];
  total: Omit<AreaTotals, 'area'>;
}

const isArea = (x: string): x is Area => (AREAS as readonly string[]).includes(x);

/** Totals per generation over every heap; a segment-based ephemeral segment is split by its objects. */
export function summarizeEEHeap(heap: EEHeap): EEHeapSummary {
  const by = new Map<Area, AreaTotals>(
    AREAS.map((area) => [
      area,
      {
        area,
        segments: 0,
        allocatedBytes: 0,
        committedBytes: 0,
        objectBytes: 0,
        objects: 0,
        freeBytes: 0,
        fragmentation: 0,
      },
    ]),
  );
  for (const s of heap.segments) {
    const own = isArea(s.kind) ? s.kind : 'gen0';
    const a = by.get(own);
    if (a === undefined) continue;
    a.segments++;
    a.committedBytes += s.committedBytes;
    if (isArea(s.kind)) a.allocatedBytes += s.allocatedBytes;
    for (const g of s.generations) {
      const t = isArea(g.generation) ? by.get(g.generation) : undefined;
      if (t === undefined) continue;
      t.objectBytes += g.objectBytes;
      t.objects += g.objects;
      t.freeBytes += g.freeBytes;
      // An ephemeral segment has no per-generation allocation end: its objects and free blocks are.
      if (!isArea(s.kind)) t.allocatedBytes += g.objectBytes + g.freeBytes;
    }
  }
  const areas = AREAS.map((area) => {
    const a = by.get(area) as AreaTotals;
    return { ...a, fragmentation: a.allocatedBytes > 0 ? a.freeBytes / a.allocatedBytes : 0 };
  });
  const sum = (k: keyof Omit<AreaTotals, 'area' | 'fragmentation'>) => areas.reduce((n, a) => n + a[k], 0);
  const allocatedBytes = sum('allocatedBytes');
  const freeBytes = sum('freeBytes');
  return {
    server: heap.server,
    heapCount: heap.heapCount,
    regions: !heap.segments.some((s) => s.kind === 'ephemeral'),
    areas,
    total: {
      segments: sum('segments'),
      allocatedBytes,
      committedBytes: sum('committedBytes'),
      objectBytes: sum('objectBytes'),
      objects: sum('objects'),
      freeBytes,
      fragmentation: allocatedBytes > 0 ? freeBytes / allocatedBytes : 0,
    },
  };
}
