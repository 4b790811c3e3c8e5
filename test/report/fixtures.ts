/** Deterministic check reports for renderer tests (synthetic heaps, hand-written evidence). */
import { runCheck, type CheckInput } from '../../src/check/runCheck.js';
import type { TypeEvidence } from '../../src/model/evidence.js';
import { addressesInMemory, type HeapSnapshot } from '../../src/model/snapshot.js';
import type { CheckReport } from '../../src/report/checkReport.js';
import { parseRules } from '../../src/rules/parse.js';

export function snap(
  source: string,
  stats: Record<string, [number, number]>,
  extra: Partial<HeapSnapshot['meta']> = {},
): HeapSnapshot {
  const list = Object.entries(stats).map(([name, [count, bytes]]) => ({ name, count, bytes }));
  return {
    meta: { source, format: 'gcdump', estimated: false, estimateReasons: [], notes: [], ...extra },
    types: { names: list.map((s) => s.name), modules: list.map(() => null) },
    stats: list,
    totals: { objects: list.reduce((n, s) => n + s.count, 0), bytes: list.reduce((n, s) => n + s.bytes, 0) },
  };
}

export const RULES = `rules:
  - id: type-growth
    match: "*"
    max-growth: { count: [500, 25%] }
    new-types: { action: fail, max-count: 500 }
    hint: Open the evidence for the root path that keeps the instances alive.
  - id: heap-growth
    match: total
    max-growth: { bytes: [1MB, 20%] }
    severity: warning
    message: The live heap grew noticeably.
suppressions:
  - match: Legacy.Cache*
    reason: "known, see #12"
    expires: 2026-01-01
`;

export const BASE = {
  'System.String': [400, 16_000],
  'System.Byte[]': [2, 4_000],
  'Legacy.CacheItem': [10, 320],
  'MyApp.Steady.WorkItem': [64, 2_048],
} satisfies Record<string, [number, number]>;

export const LEAK_HEAD = {
  'System.String': [4_400, 176_000],
  'System.Byte[]': [4_002, 356_000],
  'Legacy.CacheItem': [9_000, 288_000],
  'MyApp.Leaks.LeakedOrder': [4_000, 128_000],
  'MyApp.Steady.WorkItem': [64, 2_048],
} satisfies Record<string, [number, number]>;

export const EVIDENCE: TypeEvidence = {
  type: 'MyApp.Leaks.LeakedOrder',
  instances: 4000,
  bytes: 128_000,
  retainedBytes: 640_000,
  retainedDelta: 640_000,
  clusters: [
    {
      signature:
        'static field MyApp.Leaks.Registry.s_orders → List<MyApp.Leaks.LeakedOrder> → MyApp.Leaks.LeakedOrder[] → MyApp.Leaks.LeakedOrder',
      rootKind: 'static field',
      rootName: 'MyApp.Leaks.Registry.s_orders',
      holders: [
        'System.Collections.Generic.List<MyApp.Leaks.LeakedOrder>',
        'MyApp.Leaks.LeakedOrder[]',
        'MyApp.Leaks.LeakedOrder',
      ],
      count: 3990,
      bytes: 127_680,
      sample: {
        rootKind: 'static field',
        rootName: 'MyApp.Leaks.Registry.s_orders',
        steps: [
          { type: 'System.Collections.Generic.List<MyApp.Leaks.LeakedOrder>', address: '0x7f0010' },
          { type: 'MyApp.Leaks.LeakedOrder[]', address: '0x7f0040' },
          { type: 'MyApp.Leaks.LeakedOrder', address: '0x7f1000' },
        ],
      },
    },
    {
      signature: 'stack local → MyApp.Leaks.LeakedOrder',
      rootKind: 'stack local',
      holders: ['MyApp.Leaks.LeakedOrder'],
      count: 10,
      bytes: 320,
      sample: { rootKind: 'stack local', steps: [{ type: 'MyApp.Leaks.LeakedOrder', address: '0x7f2000' }] },
    },
  ],
};

export function report(
  over: Partial<Omit<CheckInput, 'rules'>> & { head?: HeapSnapshot[]; rulesYaml?: string } = {},
): CheckReport {
  const { head, rulesYaml, ...rest } = over;
  const heads = head ?? [snap('head.gcdump', LEAK_HEAD)];
  return runCheck({
    heads,
    base: snap('baselines/steady.json', BASE, { format: 'baseline' }),
    baselineInfo: {
      source: 'baselines/steady.json',
      missing: false,
      scenario: 'steady',
      createdAt: '2026-01-10T08:00:00.000Z',
      commit: '0123456789abcdef0123',
      samples: 3,
    },
    rules: parseRules(rulesYaml ?? RULES, 'heapgate.yml'),
    scenario: 'steady',
    failOn: 'error',
    today: '2026-01-15',
    generatedAt: '2026-01-15T12:00:00.000Z',
    tool: 'heapgate 0.1.0',
    ...rest,
  });
}

/** Gives the head snapshot a (token) graph so runCheck asks for evidence. */
export function withGraph(s: HeapSnapshot): HeapSnapshot {
  const z = new Uint32Array(1);
  return {
    ...s,
    graph: {
      nodeCount: 0,
      nodeType: z,
      nodeSize: new Float64Array(0),
      nodeAddress: addressesInMemory(new Float64Array(0)),
      nodeFlags: new Uint8Array(0),
      firstEdge: z,
      edgeTarget: new Uint32Array(0),
      root: 0,
    },
  };
}
