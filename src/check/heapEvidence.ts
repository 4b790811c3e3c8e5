/** Where check evidence comes from: the object graph when the head has one, else the head's source. */
import { sourceOf } from '../formats/registry.js';
import { buildTypeEvidence } from '../graph/evidence.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import type { CheckReport } from '../report/checkReport.js';
import { applyEvidence, evidenceRequest, type EvidenceProvider } from './evidence.js';
import { attachFingerprints } from '../fingerprint/fingerprint.js';
import { classifyLeaks } from '../fingerprint/knownLeaks.js';
import { suppressLeaks } from '../fingerprint/suppressLeaks.js';
import { gateOutcome } from '../rules/findings.js';
import type { Suppression } from '../rules/types.js';

/**
 * Clusters from the graph, with "fixing this frees ~X" when the baseline recorded retained sizes,
 * and each accumulation point's growth when the baseline is a snapshot with a graph.
 */
export const graphEvidence: EvidenceProvider = (snap, types, maxClusters, retained, baselineGraph) =>
  buildTypeEvidence(snap, types, {
    maxClusters,
    ...(retained ? { baseline: { retainedByType: retained } } : {}),
    ...(baselineGraph ? { baselineGraph } : {}),
  });

/**
 * Graph snapshots get evidence inside runCheck; a head read without a graph (a full dump) gets
 * its evidence from its source afterwards, for the few most important types, on the same findings.
 */
export async function attachSourceEvidence(
  report: CheckReport,
  heads: readonly HeapSnapshot[],
  known: { base?: HeapSnapshot; suppressions?: readonly Suppression[]; today?: string } = {},
): Promise<void> {
  if (heads.some((h) => h.graph !== undefined)) return;
  for (const head of [...heads].reverse()) {
    const evidence = sourceOf(head)?.typeEvidence;
    if (!evidence) continue;
    const { types } = evidenceRequest(report.findings, evidence.maxTypes);
    if (types.length === 0) return;
    applyEvidence(report.findings, await evidence.find(head, types));
    attachFingerprints(report.findings);
    // Suppressions that name a leak apply now that these findings have fingerprints.
    const ev = suppressLeaks(
      report,
      known.suppressions ?? [],
      known.today ?? new Date().toISOString().slice(0, 10),
    );
    if (ev !== report) Object.assign(report, gateOutcome(ev, report.failOn));
    const leaks = classifyLeaks(report.findings, known.base?.leaks);
    if (leaks) report.leaks = leaks;
    report.meta.head.evidenceFrom = head.meta.source;
    return;
  }
}
