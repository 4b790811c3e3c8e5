/**
 * Accumulation points against a baseline snapshot that has an object graph: how many instances of
 * the type sat in the same place in the baseline, so that the place where they were added leads,
 * not merely the place that holds the most (a fixed catalog loaded at start-up).
 *
 * A place is matched across snapshots by the type-level root-path signature of its structure —
 * the root and each holder's canonical type from the root down (pathSignatures.ts), the key that
 * root-path clusters use — with digits in root names masked. In each snapshot, `through(S)` counts
 * the type's instances whose root path passes through an object of signature S. A point's own
 * count is through(S) less through of the other points nested below it, so an owner above a
 * growing list is not credited with the list's growth. Cost: one pass over the node arrays per
 * snapshot for all requested types, then one pass over the signature entries per type.
 */
import type { HeapSnapshot } from '../model/snapshot.js';
import { NodeFlag } from '../model/snapshot.js';
import { graphAnalysis } from './analysis.js';
import { findGroup } from './typeGroups.js';

/** Instances of the type in one place, in the baseline and now. */
export interface PlaceGrowth {
  baseline: number;
  head: number;
}

/**
 * Per requested group: instances whose root path passes through each signature entry, indexed by
 * entry. One pass over the node arrays for all groups; an entry's parent comes before it, so one
 * reverse pass over the entries adds each entry's count to its parent's.
 */
export function placeCounts(snapshot: HeapSnapshot, groupIds: readonly number[]): Float64Array[] {
  const analysis = graphAnalysis(snapshot);
  const { graph } = analysis;
  const groups = analysis.groups();
  const signatures = analysis.signatures();
  const entries = signatures.parent.length;
  const slot = new Int32Array(groups.names.length).fill(-1);
  groupIds.forEach((g, k) => {
    if (g >= 0 && slot[g] < 0) slot[g] = k;
  });
  const typeSlot = new Int32Array(snapshot.types.names.length).fill(-1);
  for (let t = 0; t < typeSlot.length; t++) {
    const g = groups.groupOf[t];
    if (g >= 0) typeSlot[t] = slot[g];
  }
  const through = groupIds.map(() => new Float64Array(entries));
  const { nodeType, nodeFlags } = graph;
  const { sigOf } = signatures;
  for (let v = 0; v < graph.nodeCount; v++) {
    const k = typeSlot[nodeType[v]];
    if (k < 0 || sigOf[v] < 0 || (nodeFlags[v] & NodeFlag.Pseudo) !== 0) continue;
    through[k][sigOf[v]]++;
  }
  for (const t of through)
    for (let s = entries - 1; s >= 0; s--) {
      const p = signatures.parent[s];
      if (t[s] !== 0 && p >= 0) t[p] += t[s];
    }
  return through;
}

/** FNV-1a of a string, from a given offset basis. */
function fnv(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Mixes a step into a path hash (murmur3's block step). */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) >>> 0;
}

const keyCache = new WeakMap<HeapSnapshot, string[]>();

/**
 * The cross-snapshot key of every signature entry: two 32-bit hashes of its steps from the root
 * (each holder's canonical type; root names with digits masked). Hashed, not spelled out, so a
 * path thousands of steps deep costs one entry's work, not its length; computed in one pass, as
 * an entry's parent comes before it.
 */
function placeKeys(snapshot: HeapSnapshot): string[] {
  const cached = keyCache.get(snapshot);
  if (cached) return cached;
  const analysis = graphAnalysis(snapshot);
  const signatures = analysis.signatures();
  const groupNames = analysis.groups().names;
  const steps = new Map<number, [number, number]>();
  const stepOf = (code: number): [number, number] => {
    let h = steps.get(code);
    if (h === undefined) {
      const name = code >= 0 ? groupNames[code] : snapshot.types.names[-code - 1].replace(/\d+/g, '#');
      h = [fnv(name, 0x811c9dc5), fnv(name, 0x01000193)];
      steps.set(code, h);
    }
    return h;
  };
  const entries = signatures.parent.length;
  const a = new Uint32Array(entries);
  const b = new Uint32Array(entries);
  const keys = new Array<string>(entries);
  for (let s = 0; s < entries; s++) {
    const p = signatures.parent[s];
    const [x, y] = stepOf(signatures.code[s]);
    a[s] = mix(p < 0 ? 0x9747b28c : a[p], x);
    b[s] = mix(p < 0 ? 0x5bd1e995 : b[p], y);
    keys[s] = `${a[s].toString(36)}.${b[s].toString(36)}`;
  }
  keyCache.set(snapshot, keys);
  return keys;
}

/** Per type name: instances in each place of the baseline, by place key (undefined: type absent). */
export function baselinePlaces(
  base: HeapSnapshot,
  typeNames: readonly string[],
): Array<Map<string, number> | undefined> {
  const analysis = graphAnalysis(base);
  const groups = analysis.groups();
  const ids = typeNames.map((t) => findGroup(groups, t));
  const through = placeCounts(base, ids);
  const keys = placeKeys(base);
  return ids.map((g, k) => {
    if (g < 0) return new Map<string, number>();
    const byKey = new Map<string, number>();
    const counts = through[k];
    for (let sig = 0; sig < counts.length; sig++)
      if (counts[sig] !== 0) byKey.set(keys[sig], (byKey.get(keys[sig]) ?? 0) + counts[sig]);
    return byKey;
  });
}

/**
 * For the points of one group of `head` (their structures' nodes), the instances in each point's
 * place now (`through`: that group's placeCounts) and in the baseline (`places`: its
 * baselinePlaces). A place the baseline does not have held none of the type there. Points
 * sharing a place after the first get undefined.
 */
export function pointGrowth(
  head: HeapSnapshot,
  through: Float64Array,
  nodes: readonly number[],
  places: ReadonlyMap<string, number>,
): Array<PlaceGrowth | undefined> {
  const analysis = graphAnalysis(head);
  const signatures = analysis.signatures();
  const keys = placeKeys(head);
  const sigs = nodes.map((v) => signatures.sigOf[v]);
  const isAncestor = (a: number, b: number) => {
    for (let s = signatures.parent[b]; s >= 0; s = signatures.parent[s]) if (s === a) return true;
    return false;
  };
  return sigs.map((sig, i) => {
    if (sig < 0 || sigs.indexOf(sig) !== i) return undefined;
    // The other points' places below this one, outermost only.
    const below = sigs.filter((s, j) => s >= 0 && s !== sig && sigs.indexOf(s) === j && isAncestor(sig, s));
    const outer = below.filter((s) => !below.some((o) => o !== s && isAncestor(o, s)));
    const own = (count: (s: number) => number) => outer.reduce((n, s) => n - count(s), count(sig));
    return {
      head: own((s) => through[s]),
      baseline: own((s) => places.get(keys[s]) ?? 0),
    };
  });
}
