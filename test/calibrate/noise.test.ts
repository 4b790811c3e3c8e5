/**
 * The noise model against values worked out by hand (see each case), and the default allowance
 * against the shipped rules/default.yml.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrate, metricNoise, noiseBand, normalQuantile } from '../../src/calibrate/noise.js';
import { DEFAULT_TYPE_GROWTH, defaultAllowance, suggestRules } from '../../src/calibrate/suggestRules.js';
import type { Baseline } from '../../src/baseline/schema.js';
import { builtinRulesPath } from '../../src/rules/builtin.js';
import { parseRules } from '../../src/rules/parse.js';
import type { Rule } from '../../src/rules/types.js';
import type { MaxGrowth } from '../../src/rules/kinds/maxGrowth.js';

/** A rule's compiled `max-growth` limits. */
function growthOf(rule: Rule | undefined): MaxGrowth {
  return (rule?.limits['max-growth'] ?? {}) as MaxGrowth;
}

// z for one-sided 99% and 97.5%, from standard normal tables.
const Z99 = 2.3263478740408408;
const Z975 = 1.959963984540054;

describe('normalQuantile', () => {
  it('matches the tabulated quantiles', () => {
    expect(normalQuantile(0.99)).toBeCloseTo(Z99, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(Z975, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 6);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('noise bands', () => {
  it('median (lower), min, max and MAD', () => {
    // sorted 10 11 11 12 30 -> median 11; |x - 11| = 1 1 0 19 0 -> sorted 0 0 1 1 19 -> MAD 1
    expect(noiseBand([10, 12, 11, 30, 11])).toEqual({ median: 11, min: 10, max: 30, mad: 1 });
    // even count: the lower middle value, as the baseline records
    expect(noiseBand([4, 1, 3, 2]).median).toBe(2);
  });

  it('an outlying run sets the tolerance when it is above the prediction bound', () => {
    // bound: ceil(2.32635 * 1.4826 * 1 * sqrt(1 + 1/5)) = ceil(3.778) = 4; max - median = 19
    const m = metricNoise([10, 12, 11, 30, 11], Z99);
    expect(m.tolerance).toBe(19);
    expect(m.detectable).toBe(20);
  });

  it('the prediction bound sets it when the runs spread evenly', () => {
    // sorted 96 97 98 100 100 102 103 104 -> median 100; deviations 0 0 2 2 3 3 4 4 -> MAD 2
    // bound: ceil(2.32635 * 1.4826 * 2 * sqrt(1 + 1/8)) = ceil(7.317) = 8 > max - median = 4
    const m = metricNoise([100, 104, 96, 102, 98, 100, 103, 97], Z99);
    expect(m).toMatchObject({ median: 100, mad: 2, tolerance: 8, detectable: 9 });
  });

  it('a type that never moved keeps an exact tolerance', () => {
    expect(metricNoise([5, 5, 5], Z99)).toMatchObject({ tolerance: 0, detectable: 1 });
  });
});

function baselineOf(types: Record<string, { count: number[]; bytes: number[] }>): Baseline {
  const runs = Object.values(types)[0].count.length;
  return {
    schemaVersion: 1,
    scenario: 'svc',
    createdAt: '2026-01-01T00:00:00Z',
    tool: 'heapgate test',
    statistic: 'median',
    estimated: false,
    estimateReasons: [],
    samples: Array.from({ length: runs }, (_, i) => ({
      source: `run-${i}.gcdump`,
      format: 'gcdump' as const,
      estimated: false,
      estimateReasons: [],
      totals: { objects: 1, bytes: 1 },
    })),
    totals: { objects: 1, bytes: 1 },
    types: Object.fromEntries(
      Object.entries(types).map(([name, s]) => [
        name,
        { count: noiseBand(s.count).median, bytes: noiseBand(s.bytes).median, samples: s },
      ]),
    ),
  };
}

describe('calibrate', () => {
  const b = baselineOf({
    'App.Steady': { count: [7, 7, 7, 7, 7], bytes: [168, 168, 168, 168, 168] },
    'App.Small': { count: [10, 12, 11, 30, 11], bytes: [240, 288, 264, 720, 264] },
    'System.String': { count: [9000, 9900, 8800, 9600, 9300], bytes: [4e5, 4e5, 4e5, 4e5, 4e5] },
  });

  it('counts steady types and orders moving ones noisiest first', () => {
    const c = calibrate(b, 0.99);
    expect(c.runs).toBe(5);
    expect(c.steadyTypes).toBe(1);
    expect(c.moving.map((t) => t.name)).toEqual(['System.String', 'App.Small']);
    // String: sorted 8800 9000 9300 9600 9900 -> median 9300; deviations 500 300 0 300 600 -> MAD 300
    // bound: ceil(2.32635 * 1.4826 * 300 * sqrt(1.2)) = ceil(1133.47) = 1134 > 9900 - 9300 = 600
    expect(c.moving[0].count).toMatchObject({ median: 9300, mad: 300, tolerance: 1134, detectable: 1135 });
    expect(c.moving[0].bytes.tolerance).toBe(0);
  });

  it('needs several runs', () => {
    const one = baselineOf({ 'App.X': { count: [1], bytes: [24] } });
    expect(() => calibrate(one, 0.99)).toThrow(/several clean runs/);
  });

  it('suggests a calibrated rule and a type-growth suppression only for types noisier than the default', () => {
    const c = calibrate(b, 0.99);
    // String's 1,134 exceeds max(500, 25% of 9,300 = 2,325)? No: the default allows 2,325.
    expect(defaultAllowance('count', 9300)).toBe(2325);
    expect(suggestRules(c)).toMatch(/nothing to loosen/);
    const noisy = baselineOf({
      'App.Buffers': { count: [100, 700, 400, 1000, 50], bytes: [1e4, 1e4, 1e4, 1e4, 1e4] },
    });
    // median 400; deviations 300 300 0 600 350 -> MAD 300 -> bound 1134; max - median = 600
    const text = suggestRules(calibrate(noisy, 0.99));
    const rules = parseRules(text, 'calibrated.yml');
    expect(rules.rules).toHaveLength(1);
    expect(growthOf(rules.rules[0]).count).toEqual({ abs: 1134 });
    expect(rules.suppressions).toHaveLength(1);
    expect(rules.suppressions[0].rules).toEqual(['type-growth']);
  });

  it("DEFAULT_TYPE_GROWTH is builtin:default's type-growth rule", () => {
    const file = builtinRulesPath('default');
    const set = parseRules(readFileSync(file, 'utf8'), file);
    const rule = set.rules.find((r) => r.id === DEFAULT_TYPE_GROWTH.ruleId);
    expect(growthOf(rule).count).toEqual({
      abs: DEFAULT_TYPE_GROWTH.count.amount,
      pct: DEFAULT_TYPE_GROWTH.count.share * 100,
    });
    expect(growthOf(rule).bytes).toEqual({
      abs: DEFAULT_TYPE_GROWTH.bytes.amount,
      pct: DEFAULT_TYPE_GROWTH.bytes.share * 100,
    });
    expect(rule?.noiseFloor).toEqual({
      count: DEFAULT_TYPE_GROWTH.count.floor,
      bytes: DEFAULT_TYPE_GROWTH.bytes.floor,
    });
  });
});
