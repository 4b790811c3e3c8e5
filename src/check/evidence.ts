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
  /** The baseline snapshot when it has an object graph (accumulation points then say what grew). */
  baselineGraph?: HeapSnapshot,
) => TypeEvidence[];

/** Graph passes are shared, but each type's clusters cost a sweep: cap how many types get evidence. */
export const MAX_EVIDENCE_TYPES = 20;

export interface EvidenceRequest {
  types: string[];
  maxClusters: number;
}

/** Findings that deserve evidence: failing or warning (or would be), with evidence asked for. */
function wantsEvidence(findings: readonly Finding[]): Finding[] {
  return findings.filter(
    (f) =>
      (f.status === 'fail' || f.status === 'warn' || f.wouldBe) && f.evidenceWanted > 0 && f.types.length > 0,
  );
}

/** Which types need evidence (at most `maxTypes`, most important findings first) and how many clusters. */
export function evidenceRequest(
  findings: readonly Finding[],
  maxTypes = MAX_EVIDENCE_TYPES,
): EvidenceRequest {
  const types: string[] = [];
  let maxClusters = 1;
  for (const f of wantsEvidence(findings)) {
    maxClusters = Math.max(maxClusters, f.evidenceWanted);
    for (const t of f.types.slice(0, 3)) {
      if (types.length >= maxTypes) break;
      if (!types.includes(t)) types.push(t);
    }
  }
  return { types, maxClusters };
}

/** Puts each type's evidence on the findings that name it, trimmed to what each finding asked for. */
export function applyEvidence(findings: Finding[], evidence: readonly TypeEvidence[]): void {
  const byType = new Map(evidence.map((e) => [e.type, e]));
  for (const f of wantsEvidence(findings)) {
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

export function attachEvidence(
  findings: Finding[],
  snapshot: HeapSnapshot,
  provide: EvidenceProvider,
  baselineRetained?: ReadonlyMap<string, number>,
  baselineGraph?: HeapSnapshot,
): void {
  const { types, maxClusters } = evidenceRequest(findings);
  if (types.length === 0) return;
  applyEvidence(findings, provide(snapshot, types, maxClusters, baselineRetained, baselineGraph));
}
