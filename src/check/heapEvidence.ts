/** Where check evidence comes from: the object graph of a .gcdump, or `gcroot` on a full dump. */
import { buildTypeEvidence } from '../graph/evidence.js';
import { dumpTypeEvidence, MAX_DUMP_EVIDENCE_TYPES, sniffDumpKind } from '../formats/dump/index.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import type { CheckReport } from '../report/checkReport.js';
import { readHead } from '../snapshot/load.js';
import { applyEvidence, evidenceRequest, type EvidenceProvider } from './evidence.js';

/** Clusters from the graph, with "fixing this frees ~X" when the baseline recorded retained sizes. */
export const graphEvidence: EvidenceProvider = (snap, types, maxClusters, retained) =>
  buildTypeEvidence(snap, types, {
    maxClusters,
    ...(retained ? { baseline: { retainedByType: retained } } : {}),
  });

/**
 * Graph snapshots get evidence inside runCheck; a dump has no graph in memory, so its evidence is
 * fetched afterwards, for the few most important types, and put on the same findings.
 */
export async function attachDumpEvidence(report: CheckReport, heads: readonly HeapSnapshot[]): Promise<void> {
  if (heads.some((h) => h.graph !== undefined)) return;
  const dump = [...heads].reverse().find((h) => h.meta.format === 'dump');
  if (!dump) return;
  const { types } = evidenceRequest(report.findings, MAX_DUMP_EVIDENCE_TYPES);
  if (types.length === 0) return;
  const kind = sniffDumpKind(await readHead(dump.meta.source));
  if (!kind) return;
  applyEvidence(report.findings, await dumpTypeEvidence(dump.meta.source, kind, dump.stats, types));
  report.meta.head.evidenceFrom = dump.meta.source;
}
