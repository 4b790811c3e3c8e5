/**
 * The gate in two steps: the rules run on statistics first, and object graphs — the expensive part
 * of reading a snapshot — are read only when a finding needs evidence. A passing gate costs what
 * `stat` costs.
 */
import type { HeapSnapshot } from '../model/snapshot.js';
import type { CheckReport } from '../report/checkReport.js';
import { evidenceRequest } from './evidence.js';
import { graphEvidence } from './heapEvidence.js';
import { runCheck, type CheckInput } from './runCheck.js';

/** Reads a side again with its object graph; called only when the side was read without one. */
export interface GraphLoaders {
  /** The last head again, with its object graph. */
  head(): Promise<HeapSnapshot>;
  /** The base again with its object graph, when the base is a snapshot file that has one. */
  base?: () => Promise<HeapSnapshot>;
}

export interface CheckedWithEvidence {
  report: CheckReport;
  /** The heads and base the report was made from (the last head with its graph when evidence was read). */
  heads: readonly HeapSnapshot[];
  base?: HeapSnapshot;
}

/** True when a finding of `report` asks for retention evidence. */
export function needsEvidence(report: CheckReport): boolean {
  return evidenceRequest(report.findings).types.length > 0;
}

export async function checkWithLazyEvidence(
  input: Omit<CheckInput, 'evidence'>,
  graphs: GraphLoaders,
): Promise<CheckedWithEvidence> {
  const first = runCheck(input);
  const withBase = input.base ? { base: input.base } : {};
  if (!needsEvidence(first)) return { report: first, heads: input.heads, ...withBase };
  // A side read with its graph already (a full dump's comes with its statistics) is kept.
  const last = input.heads[input.heads.length - 1];
  const heads = [...input.heads.slice(0, -1), last.graph ? last : await graphs.head()];
  const base = input.base?.graph || !graphs.base ? input.base : await graphs.base();
  // The same rules on the same statistics: only the evidence (and the fingerprints it gives) is new.
  const report = runCheck({ ...input, heads, ...(base ? { base } : {}), evidence: graphEvidence });
  return { report, heads, ...(base ? { base } : {}) };
}
