/**
 * Allocation sites from the GC AllocationTick events of a trace: which types were allocated most
 * and from which stacks.
 *
 * The runtime raises one AllocationTick each time about 100 KB has been allocated on a heap (per
 * kind: small or large object heap); the event names the type of the object that crossed the mark
 * and carries the bytes allocated since the previous tick. The sum of those amounts per type is an
 * unbiased estimate of the bytes allocated for it, with a relative error of about 1/sqrt(ticks);
 * the share of a stack among a type's ticks has a standard error of about sqrt(p(1 - p) / ticks)
 * (computed the Agresti–Coull way, so that 9 ticks out of 9 do not claim an error of zero).
 */
import { methodAt, type AllocationTrace } from '../formats/nettrace/reader.js';

/** Frame text for code no method event described (native runtime code, stubs). */
export const UNRESOLVED_FRAME = '[unresolved]';

export interface AllocationSite {
  /** Method names, innermost (the allocating method) first; unresolved runs collapsed. */
  frames: string[];
  ticks: number;
  /** Sum of the allocation amounts of these ticks. */
  bytes: number;
  /** ticks / ticks of the type. */
  share: number;
  /** Standard error of `share` (Agresti–Coull: with 2 pseudo-ticks either way). */
  shareError: number;
}

export interface TypeAllocations {
  type: string;
  ticks: number;
  /** Estimated bytes allocated: sum of the ticks' allocation amounts. */
  bytes: number;
  /** Relative error of `bytes` (1/sqrt(ticks)). */
  relativeError: number;
  largeTicks: number;
  /** The stacks that allocated it, most ticks first (up to the requested number). */
  sites: AllocationSite[];
  /** How many distinct stacks there were in all. */
  siteCount: number;
}

export interface AllocationReport {
  source: string;
  processId: number;
  ticks: number;
  bytes: number;
  /** Ticks without a stack (the trace was recorded without stacks, or the stack was lost). */
  ticksWithoutStack: number;
  /** Distinct types seen (before any filter or top-N cut). */
  typeCount: number;
  types: TypeAllocations[];
}

export interface AllocationOptions {
  /** Only types for which this returns true. */
  type?: (name: string) => boolean;
  /** Keep the N types with most estimated bytes. */
  top?: number;
  /** Keep the N stacks with most ticks per type (default 3). */
  topStacks?: number;
  /** Only ticks with from <= timestamp < to (QPC units of the trace). */
  window?: { from: number; to: number };
}

/** Resolves stack `s` of the trace to frame names (innermost first), unresolved runs collapsed. */
export function resolveStack(trace: AllocationTrace, s: number): string[] {
  const { stacks, methods } = trace;
  const frames: string[] = [];
  for (let k = stacks.first[s]; k < stacks.first[s + 1]; k++) {
    const m = methodAt(methods, stacks.ips[k]);
    const name = m < 0 ? UNRESOLVED_FRAME : methods.name[m];
    if (name === UNRESOLVED_FRAME && frames[frames.length - 1] === UNRESOLVED_FRAME) continue;
    frames.push(name);
  }
  return frames;
}

/** The allocating method of a site: its first resolved frame. */
export function allocatingMethod(frames: readonly string[]): string | undefined {
  return frames.find((f) => f !== UNRESOLVED_FRAME);
}

export function analyseAllocations(trace: AllocationTrace, opts: AllocationOptions = {}): AllocationReport {
  const { ticks, typeNames } = trace;
  const nTypes = typeNames.length;
  const typeTicks = new Float64Array(nTypes);
  const typeBytes = new Float64Array(nTypes);
  const typeLarge = new Float64Array(nTypes);
  let total = 0;
  let totalBytes = 0;
  let noStack = 0;
  const inWindow = (i: number) =>
    opts.window === undefined ||
    (ticks.timestamp[i] >= opts.window.from && ticks.timestamp[i] < opts.window.to);
  for (let i = 0; i < ticks.count; i++) {
    if (!inWindow(i)) continue;
    const t = ticks.type[i];
    typeTicks[t]++;
    typeBytes[t] += ticks.amount[i];
    if (ticks.kind[i] === 1) typeLarge[t]++;
    total++;
    totalBytes += ticks.amount[i];
    if (ticks.stack[i] < 0) noStack++;
  }
  let chosen: number[] = [];
  for (let t = 0; t < nTypes; t++) {
    if (typeTicks[t] === 0) continue;
    if (opts.type && !opts.type(typeNames[t])) continue;
    chosen.push(t);
  }
  chosen.sort(
    (a, b) => typeBytes[b] - typeBytes[a] || typeTicks[b] - typeTicks[a] || cmp(typeNames[a], typeNames[b]),
  );
  if (opts.top !== undefined) chosen = chosen.slice(0, opts.top);

  // Sites of the chosen types only; each stack is resolved once.
  const want = new Int32Array(nTypes).fill(-1);
  chosen.forEach((t, i) => (want[t] = i));
  const resolved = new Map<number, string>();
  const sites: Array<Map<string, { ticks: number; bytes: number }>> = chosen.map(() => new Map());
  for (let i = 0; i < ticks.count; i++) {
    const slot = want[ticks.type[i]];
    if (slot < 0 || !inWindow(i)) continue;
    const s = ticks.stack[i];
    let key = s < 0 ? '' : resolved.get(s);
    if (key === undefined) {
      key = resolveStack(trace, s).join('\n');
      resolved.set(s, key);
    }
    const bucket = sites[slot];
    const site = bucket.get(key);
    if (site) {
      site.ticks++;
      site.bytes += ticks.amount[i];
    } else bucket.set(key, { ticks: 1, bytes: ticks.amount[i] });
  }
  const topStacks = opts.topStacks ?? 3;
  const types = chosen.map((t, slot): TypeAllocations => {
    const n = typeTicks[t];
    const all = [...sites[slot]].sort(
      (a, b) => b[1].ticks - a[1].ticks || b[1].bytes - a[1].bytes || cmp(a[0], b[0]),
    );
    return {
      type: typeNames[t],
      ticks: n,
      bytes: typeBytes[t],
      relativeError: 1 / Math.sqrt(n),
      largeTicks: typeLarge[t],
      siteCount: all.length,
      sites: all.slice(0, topStacks).map(([key, v]) => {
        return {
          frames: key === '' ? [] : key.split('\n'),
          ticks: v.ticks,
          bytes: v.bytes,
          share: v.ticks / n,
          shareError: shareError(v.ticks, n),
        };
      }),
    };
  });
  return {
    source: trace.info.file,
    processId: trace.info.processId,
    ticks: total,
    bytes: totalBytes,
    ticksWithoutStack: noStack,
    typeCount: typeTicks.reduce((c, x) => c + (x > 0 ? 1 : 0), 0),
    types,
  };
}

/** Agresti–Coull standard error of a share of `x` out of `n`. */
export function shareError(x: number, n: number): number {
  const p = (x + 2) / (n + 4);
  return Math.sqrt((p * (1 - p)) / (n + 4));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
