/** Where check evidence comes from: the object graph when the head has one, else the head's source. */
import { sourceOf } from '../formats/registry.js';
import { buildTypeEvidence } from '../graph/evidence.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import type { CheckReport } from '../report/checkReport.js';
import { applyEvidence, evidenceRequest, type EvidenceProvider } from './evidence.js';
import { attachFingerprints } from '../fingerprint/fingerprint.js';
import { classifyLeaks } from '../fingerprint/knownLeaks.js';

/** Clusters from the graph, with "fixing this frees ~X" when the baseline recorded retained sizes. */
export const graphEvidence: EvidenceProvider = (snap, types, maxClusters, retained) =>
  buildTypeEvidence(snap, types, {
    maxClusters,
    ...(retained ? { baseline: { retainedByType: retained } } : {}),
  });

/**
 * Graph snapshots get evidence inside runCheck; a head read without a graph (a full dump) gets
 * its evidence from its source afterwards, for the few most important types, on the same findings.
 */
export async function attachSourceEvidence(
  report: CheckReport,
  heads: readonly HeapSnapshot[],
  base?: HeapSnapshot,
): Promise<void> {
  if (heads.some((h) => h.graph !== undefined)) return;
  for (const head of [...heads].reverse()) {
    const evidence = sourceOf(head)?.typeEvidence;
    if (!evidence) continue;
    const { types } = evidenceRequest(report.findings, evidence.maxTypes);
    if (types.length === 0) return;
    applyEvidence(report.findings, await evidence.find(head, types));
    attachFingerprints(report.findings);
    const leaks = classifyLeaks(report.findings, base?.leaks);
    if (leaks) report.leaks = leaks;
    report.meta.head.evidenceFrom = head.meta.source;
    return;
  }
}
