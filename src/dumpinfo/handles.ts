/**
 * `heapgate handles`: the GC handle table by kind and by target type (SOS !GCHandles -stat,
 * SOSEX !gch). Strong, pinned, async-pinned, ref-counted and sized-ref handles keep their target
 * alive: a growing number of them is a leak no managed field shows.
 */
import { canonicalTypeName } from '../model/typeNames.js';
import { flag, listOf, optionalCount, optionalText, record, text } from './answer.js';

export interface Handle {
  address: string;
  kind: string;
  strong: boolean;
  pinned: boolean;
  object: string;
  type?: string;
  size?: number;
  referenceCount?: number;
}

export function decodeHandles(value: unknown): Handle[] {
  const o = record(value, 'handles');
  return listOf(o, 'handles', 'handles', (h, p) => {
    // Spelled as `stat` and the rules spell types, not as ClrMD does.
    const type = optionalText(h, 'type', p);
    return {
      address: text(h, 'address', p),
      kind: text(h, 'kind', p),
      strong: flag(h, 'strong', p),
      pinned: flag(h, 'pinned', p),
      object: text(h, 'object', p),
      type: type === undefined ? undefined : canonicalTypeName(type, 'sos'),
      size: optionalCount(h, 'size', p),
      referenceCount: optionalCount(h, 'referenceCount', p),
    };
  });
}

/** Kinds that keep their target alive (a ref-counted handle only while its count is above zero). */
export function keepsAlive(h: Handle): boolean {
  if (h.kind === 'RefCounted') return (h.referenceCount ?? 0) > 0;
  return h.strong;
}

export interface HandleKindRow {
  kind: string;
  handles: number;
  keepsAlive: boolean;
}

export interface HandleTypeRow {
  kind: string;
  type: string;
  handles: number;
  bytes: number;
  keepsAlive: boolean;
  pinned: boolean;
}

export interface HandleSummary {
  handles: number;
  keepingAlive: number;
  pinned: number;
  kinds: HandleKindRow[];
  /** Per kind and target type, handles that keep their target alive first, then by count. */
  types: HandleTypeRow[];
}

export function summarizeHandles(handles: readonly Handle[]): HandleSummary {
  const kinds = new Map<string, HandleKindRow>();
  const types = new Map<string, HandleTypeRow>();
  for (const h of handles) {
    const alive = keepsAlive(h);
    const k = kinds.get(h.kind) ?? { kind: h.kind, handles: 0, keepsAlive: false };
    k.handles++;
    k.keepsAlive ||= alive;
    kinds.set(h.kind, k);
    if (h.type === undefined) continue;
    const key = `${h.kind}\u0000${h.type}`;
    const t = types.get(key) ?? {
      kind: h.kind,
      type: h.type,
      handles: 0,
      bytes: 0,
      keepsAlive: alive,
      pinned: h.pinned,
    };
    t.handles++;
    t.bytes += h.size ?? 0;
    t.keepsAlive ||= alive;
    types.set(key, t);
  }
  return {
    handles: handles.length,
    keepingAlive: handles.filter(keepsAlive).length,
    pinned: handles.filter((h) => h.pinned).length,
    kinds: [...kinds.values()].sort(
      (a, b) =>
        Number(b.keepsAlive) - Number(a.keepsAlive) || b.handles - a.handles || a.kind.localeCompare(b.kind),
    ),
    types: [...types.values()].sort(
      (a, b) =>
        Number(b.keepsAlive) - Number(a.keepsAlive) ||
        b.handles - a.handles ||
        b.bytes - a.bytes ||
        a.type.localeCompare(b.type) ||
        a.kind.localeCompare(b.kind),
    ),
  };
}

/** Per target type over every handle with a target, whatever its kind (what !GCHandles -stat lists). */
export function handleTargetsByType(
  handles: readonly Handle[],
): Map<string, { count: number; bytes: number }> {
  const out = new Map<string, { count: number; bytes: number }>();
  for (const h of handles) {
    if (h.type === undefined) continue;
    const prev = out.get(h.type) ?? { count: 0, bytes: 0 };
    out.set(h.type, { count: prev.count + 1, bytes: prev.bytes + (h.size ?? 0) });
  }
  return out;
}
