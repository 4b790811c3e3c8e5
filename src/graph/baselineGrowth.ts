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
 * snapshot for all requested types, then the signatures' ancestors of the types' instances.
 */
import type { HeapSnapshot } from '../model/snapshot.js';
import { NodeFlag } from '../model/snapshot.js';
import { graphAnalysis } from './analysis.js';
import type { PathSignatures } from './pathSignatures.js';
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

/** The cross-snapshot key of a signature entry: its steps from the root, digits in root names masked. */
function placeKey(
  snapshot: HeapSnapshot,
  signatures: PathSignatures,
  groupNames: readonly string[],
  sig: number,
  memo: Map<number, string>,
): string {
  const known = memo.get(sig);
  if (known !== undefined) return known;
  const code = signatures.code[sig];
  const step = code >= 0 ? groupNames[code] : snapshot.types.names[-code - 1].replace(/\d+/g, '#');
  const parent = signatures.parent[sig];
  const key = parent < 0 ? step : `${placeKey(snapshot, signatures, groupNames, parent, memo)}\u0000${step}`;
  memo.set(sig, key);
  return key;
}

/** Per type name: instances in each place of the baseline, by place key (undefined: type absent). */
export function baselinePlaces(
  base: HeapSnapshot,
  typeNames: readonly string[],
): Array<Map<string, number> | undefined> {
  const analysis = graphAnalysis(base);
  const groups = analysis.groups();
  const signatures = analysis.signatures();
  const ids = typeNames.map((t) => findGroup(groups, t));
  const through = placeCounts(base, ids);
  const memo = new Map<number, string>();
  return ids.map((g, k) => {
    if (g < 0) return new Map<string, number>();
    const byKey = new Map<string, number>();
    const counts = through[k];
    for (let sig = 0; sig < counts.length; sig++)
      if (counts[sig] !== 0) byKey.set(placeKey(base, signatures, groups.names, sig, memo), counts[sig]);
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
  const names = analysis.groups().names;
  const memo = new Map<number, string>();
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
    const key = (s: number) => placeKey(head, signatures, names, s, memo);
    return {
      head: own((s) => through[s]),
      baseline: own((s) => places.get(key(s)) ?? 0),
    };
  });
}
