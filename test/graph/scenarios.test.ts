/**
 * GC-root evidence on the real LeakScenarios app: the first cluster of each leak must name the
 * holder the app really uses and account for exactly the known leaked count.
 *
 * dotnet-gcdump names a static root `[static var <type of the held object>.<field>]`; the
 * declaring class (OrderRegistry, EventHub, ...) is not in the file. So the evidence names the
 * field and the holder's type chain, and the test checks for the field name.
 */
import { describe, expect, it } from 'vitest';
import { graphAnalysis } from '../../src/graph/analysis.js';
import { buildTypeEvidence } from '../../src/graph/evidence.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import {
  LEAK_ROOT,
  LEAKED_TYPE,
  collectScenarioSnapshots,
  expectedLeakCount,
  type LeakScenarioName,
} from '../support/scenario.js';

const LABEL = 'round-1';

const LEAKS = Object.keys(LEAK_ROOT) as LeakScenarioName[];

describe.each(LEAKS)('evidence for %s', (scenario) => {
  it('names the real holder in the first cluster, which holds every leaked instance', async () => {
    const files = await collectScenarioSnapshots(scenario, { checkpoints: [LABEL] });
    const snapshot = await loadSnapshot(files[LABEL]);
    const type = LEAKED_TYPE[scenario];
    const [ev] = buildTypeEvidence(snapshot, [type], { maxClusters: 5 });
    const expected = expectedLeakCount(scenario, LABEL);
    const first = ev.clusters[0];
    expect(ev.instances).toBe(expected);
    expect(first.count).toBe(expected);
    expect(first.rootKind).toBe('static field');
    // First line: the field, then the object it holds, down to the leaked type.
    const { field, holderType } = LEAK_ROOT[scenario];
    expect(first.signature.startsWith(`static field ${field} → ${holderType} → `)).toBe(true);
    expect(first.signature.endsWith(` → ${type}`)).toBe(true);
    expect(first.rootName).toBe(field);
    expect(first.holders[0]).toBe(holderType);
    expect(first.holders[first.holders.length - 1]).toBe(type);
    const sample = first.sample.steps[first.sample.steps.length - 1];
    expect(sample.type).toBe(type);
    expect(sample.address).toMatch(/^0x[0-9a-f]+$/);
    expect(ev.retainedBytes).toBeGreaterThanOrEqual(ev.bytes ?? 0);
  });
});

describe('evidence for chain', () => {
  it('folds the 1,000,000-node list into one cluster under ChainHolder.s_head', async () => {
    const files = await collectScenarioSnapshots('chain', { checkpoints: ['ready'] });
    const snapshot = await loadSnapshot(files.ready);
    const [ev] = buildTypeEvidence(snapshot, ['HeapgateScenarios.Graph.ChainNode'], { maxClusters: 5 });
    expect(ev.instances).toBe(1_000_000);
    expect(ev.clusters).toHaveLength(1);
    expect(ev.clusters[0].signature).toBe('static field s_head → HeapgateScenarios.Graph.ChainNode ×n');
    // The head dominates the whole list.
    const a = graphAnalysis(snapshot);
    expect(ev.retainedBytes).toBe(ev.bytes);
    expect(a.retained()[a.graph.root]).toBeGreaterThanOrEqual(ev.bytes ?? 0);
  });
});
