/** Retained size and referrer count of the objects on evidence paths, from a snapshot's graph. */
import { formatAddress, parseAddress } from '../../graph/addresses.js';
import { graphAnalysis } from '../../graph/analysis.js';
import type { HeapSnapshot } from '../../model/snapshot.js';
import type { Finding } from '../../rules/findings.js';
import type { StepFacts } from './findings.js';

/**
 * Looks up every address named on the findings' paths in `snapshot` (one pass over its nodes) and
 * answers with the object's retained bytes and number of referrers. Undefined without a graph.
 */
export function stepFactsFromGraph(
  snapshot: HeapSnapshot,
  findings: readonly Finding[],
): StepFacts | undefined {
  if (!snapshot.graph) return undefined;
  const wanted = new Set<string>();
  for (const f of findings)
    for (const e of f.evidence ?? [])
      for (const c of e.clusters) for (const s of c.sample.steps) if (s.address) wanted.add(s.address);
  if (wanted.size === 0) return undefined;
  const analysis = graphAnalysis(snapshot);
  const { graph } = analysis;
  const addresses = new Set([...wanted].map((a) => parseAddress(a)));
  const nodeOf = new Map<number, number>();
  for (let v = 0; v < graph.nodeCount && nodeOf.size < addresses.size; v++) {
    const a = graph.nodeAddress.of(v);
    if (a !== 0 && addresses.has(a) && !nodeOf.has(a)) nodeOf.set(a, v);
  }
  const retained = analysis.retained();
  const reverse = analysis.reverse();
  return (address) => {
    const v = nodeOf.get(parseAddress(address));
    if (v === undefined) return undefined;
    return { retained: retained[v], referrers: reverse.firstRef[v + 1] - reverse.firstRef[v] };
  };
}

/** Retained size and referrers of the given nodes, answered by address (as path steps carry it). */
export function stepFactsForNodes(snapshot: HeapSnapshot, nodes: Iterable<number>): StepFacts {
  const analysis = graphAnalysis(snapshot);
  const { graph } = analysis;
  const retained = analysis.retained();
  const reverse = analysis.reverse();
  const byAddress = new Map<string, number>();
  for (const v of nodes)
    if (graph.nodeAddress.of(v) !== 0) byAddress.set(formatAddress(graph.nodeAddress.of(v)), v);
  return (address) => {
    const v = byAddress.get(address);
    if (v === undefined) return undefined;
    return { retained: retained[v], referrers: reverse.firstRef[v + 1] - reverse.firstRef[v] };
  };
}
