import { describe, expect, it } from 'vitest';
import { checkWithLazyEvidence } from '../../src/check/lazyEvidence.js';
import { runCheck, type CheckInput } from '../../src/check/runCheck.js';
import { graphEvidence } from '../../src/check/heapEvidence.js';
import { loadRules, loadSide } from '../../src/check/inputs.js';
import type { HeapSnapshot } from '../../src/model/snapshot.js';

const STEADY = 'examples/steady.gcdump';
const LEAKY = 'examples/leaky-cache.gcdump';

async function input(head: string, base: string): Promise<Omit<CheckInput, 'evidence'>> {
  return {
    heads: [(await loadSide(head)).snapshot],
    base: (await loadSide(base)).snapshot,
    baselineInfo: { source: base, missing: false },
    rules: await loadRules(['builtin:default']),
    scenario: 'lazy',
    failOn: 'error',
    today: '2026-12-01',
    generatedAt: '2026-12-01T00:00:00.000Z',
    tool: 'heapgate test',
  };
}

/** Loaders that count how often a graph was read. */
function counting(head: string, base: string) {
  const calls = { head: 0, base: 0 };
  const graph = async (f: string): Promise<HeapSnapshot> => (await loadSide(f, { graph: true })).snapshot;
  return {
    calls,
    loaders: {
      head: () => (calls.head++, graph(head)),
      base: () => (calls.base++, graph(base)),
    },
  };
}

describe('the gate reads object graphs only for evidence', () => {
  it('a passing gate reads statistics only', async () => {
    const { calls, loaders } = counting(STEADY, STEADY);
    const lean = await input(STEADY, STEADY);
    expect(lean.heads[0].graph).toBeUndefined();
    const checked = await checkWithLazyEvidence(lean, loaders);
    expect(checked.report.verdict).toBe('pass');
    expect(calls).toEqual({ head: 0, base: 0 });
    expect(checked.heads[0].graph).toBeUndefined();
  });

  it('a failing gate reads the graphs once and gives the same report as reading them up front', async () => {
    const { calls, loaders } = counting(LEAKY, STEADY);
    const checked = await checkWithLazyEvidence(await input(LEAKY, STEADY), loaders);
    expect(calls).toEqual({ head: 1, base: 1 });
    expect(checked.report.verdict).toBe('fail');
    expect(checked.heads.at(-1)?.graph).toBeDefined();

    const upFront = runCheck({
      ...(await input(LEAKY, STEADY)),
      heads: [(await loadSide(LEAKY, { graph: true })).snapshot],
      base: (await loadSide(STEADY, { graph: true })).snapshot,
      evidence: graphEvidence,
    });
    expect(checked.report.findings).toEqual(upFront.findings);
    const evidence = checked.report.findings.flatMap((f) => f.evidence ?? []);
    expect(evidence.length).toBeGreaterThan(0);
  });
});
