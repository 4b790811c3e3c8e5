/** Attaching retention evidence to the findings that need it, within a bounded number of types. */
import type { TypeEvidence } from '../model/evidence.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import type { Finding } from '../rules/findings.js';

/**
 * Evidence for the named types of a graph snapshot (src/graph/evidence.ts's buildTypeEvidence);
 * `baselineRetained` (retained bytes per type in the baseline) lets it compute retainedDelta.
 */
export type EvidenceProvider = (
  snapshot: HeapSnapshot,
  types: readonly string[],
  maxClusters: number,
  baselineRetained?: ReadonlyMap<string, number>,
) => TypeEvidence[];

/** Graph passes are shared, but each type's clusters cost a sweep: cap how many types get evidence. */
export const MAX_EVIDENCE_TYPES = 20;

export function attachEvidence(
  findings: Finding[],
  snapshot: HeapSnapshot,
  provide: EvidenceProvider,
  baselineRetained?: ReadonlyMap<string, number>,
): void {
  const wanted = findings.filter(
    (f) =>
      (f.status === 'fail' || f.status === 'warn' || f.wouldBe) && f.evidenceWanted > 0 && f.types.length > 0,
  );
  const types: string[] = [];
  let maxClusters = 1;
  for (const f of wanted) {
    maxClusters = Math.max(maxClusters, f.evidenceWanted);
    for (const t of f.types.slice(0, 3)) {
      if (types.length >= MAX_EVIDENCE_TYPES) break;
      if (!types.includes(t)) types.push(t);
    }
  }
  if (types.length === 0) return;
  const byType = new Map(provide(snapshot, types, maxClusters, baselineRetained).map((e) => [e.type, e]));
  for (const f of wanted) {
    const ev = f.types
      .slice(0, 3)
      .map((t) => byType.get(t))
      .filter((e): e is TypeEvidence => e !== undefined && e.instances > 0);
    // A type the baseline never had retained nothing there: all it retains now is the regression.
    const fresh = f.check === 'new-type';
    if (ev.length > 0) {
      f.evidence = ev.map((e) => ({
        ...e,
        clusters: e.clusters.slice(0, f.evidenceWanted),
        ...(fresh && e.retainedDelta === undefined && e.retainedBytes !== undefined
          ? { retainedDelta: e.retainedBytes }
          : {}),
      }));
    }
  }
}
