/**
 * Trend statistics against independent naive implementations: Mann–Kendall S by brute force over
 * pairs, its exact p-value by enumerating every permutation, Theil–Sen as the median of a plain
 * sorted array of pairwise slopes, least squares by the normal equations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  leastSquaresSlope,
  mannKendall,
  normalCdf,
  risingTail,
  theilSenSlope,
} from '../../src/soak/statistics.js';

const series = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 25 });

function naiveS(y: number[]): number {
  let s = 0;
  for (let i = 0; i < y.length; i++)
    for (let j = 0; j < y.length; j++) if (j > i) s += y[j] > y[i] ? 1 : y[j] < y[i] ? -1 : 0;
  return s;
}

function naiveTheilSen(x: number[], y: number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++)
    for (let j = i + 1; j < x.length; j++) if (x[j] !== x[i]) slopes.push((y[j] - y[i]) / (x[j] - x[i]));
  slopes.sort((a, b) => a - b);
  const n = slopes.length;
  return n % 2 ? slopes[(n - 1) / 2] : (slopes[n / 2 - 1] + slopes[n / 2]) / 2;
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1))
    for (let k = 0; k <= p.length; k++) out.push([...p.slice(0, k), n - 1, ...p.slice(k)]);
  return out;
}

describe('Mann–Kendall', () => {
  it('S equals the brute-force sum of pair signs', () => {
    fc.assert(fc.property(series, (y) => mannKendall(y).s === naiveS(y)));
  });

  it('exact p-value equals the share of permutations with S at least as large (n ≤ 7)', () => {
    for (let n = 2; n <= 7; n++) {
      const all = permutations(n).map(naiveS);
      for (const s of new Set(all)) {
        const y = permutations(n).find((p) => naiveS(p) === s) as number[];
        const expected = all.filter((v) => v >= s).length / all.length;
        const r = mannKendall(y);
        expect(r.exact).toBe(true);
        expect(r.pIncreasing).toBeCloseTo(expected, 12);
      }
    }
  });

  it('tie-corrected variance matches the textbook formula computed from value counts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 30 }), (y) => {
        const n = y.length;
        const counts = new Map<number, number>();
        for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
        let ties = 0;
        for (const t of counts.values()) ties += t * (t - 1) * (2 * t + 5);
        const expected = (n * (n - 1) * (2 * n + 5) - ties) / 18;
        const r = mannKendall(y);
        expect(r.variance).toBeCloseTo(expected, 9);
        if (r.variance > 0 && r.s !== 0)
          expect(r.z).toBeCloseTo((r.s - Math.sign(r.s)) / Math.sqrt(expected), 9);
      }),
    );
  });

  it('a strictly rising series of n points has p = 1/n!', () => {
    expect(mannKendall([1, 2, 3, 4]).pIncreasing).toBeCloseTo(1 / 24, 12);
    expect(mannKendall([6, 9, 12, 15, 18, 21]).pIncreasing).toBeCloseTo(1 / 720, 12);
  });

  it('normal approximation for long series agrees with the exact tail', () => {
    // n = 40 without ties: both are available; they differ only by the approximation error.
    const y = Array.from({ length: 40 }, (_, i) => i + 7 * Math.sin(i * 1.3));
    const exact = mannKendall(y);
    const approx = 1 - normalCdf(exact.z);
    expect(exact.exact).toBe(true);
    expect(Math.abs(exact.pIncreasing - approx)).toBeLessThan(0.01);
  });

  it('normalCdf matches known quantiles', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.6448536)).toBeCloseTo(0.95, 6);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 6);
    expect(normalCdf(3.090232)).toBeCloseTo(0.999, 6);
  });

  it('constant series: no trend at all', () => {
    const r = mannKendall([5, 5, 5, 5, 5]);
    expect(r).toMatchObject({ s: 0, variance: 0, z: 0, pIncreasing: 1 });
  });
});

describe('slopes', () => {
  const xy = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: -1000, max: 1000 })), {
      minLength: 2,
      maxLength: 30,
    })
    .filter((pts) => new Set(pts.map((p) => p[0])).size > 1);

  it('Theil–Sen equals the median of sorted pairwise slopes', () => {
    fc.assert(
      fc.property(xy, (pts) => {
        const x = pts.map((p) => p[0]);
        const y = pts.map((p) => p[1]);
        expect(theilSenSlope(x, y)).toBeCloseTo(naiveTheilSen(x, y), 9);
      }),
    );
  });

  it('least squares equals cov(x, y) / var(x)', () => {
    fc.assert(
      fc.property(xy, (pts) => {
        const x = pts.map((p) => p[0]);
        const y = pts.map((p) => p[1]);
        const n = x.length;
        const sx = x.reduce((a, b) => a + b, 0);
        const sy = y.reduce((a, b) => a + b, 0);
        const sxy = x.reduce((a, v, i) => a + v * y[i], 0);
        const sxx = x.reduce((a, v) => a + v * v, 0);
        expect(leastSquaresSlope(x, y)).toBeCloseTo((n * sxy - sx * sy) / (n * sxx - sx * sx), 6);
      }),
    );
  });

  it('Theil–Sen ignores one wild outlier that drags least squares', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const y = [10, 13, 16, 19, 22, 25, 28, 5000];
    expect(theilSenSlope(x, y)).toBe(3);
    expect(leastSquaresSlope(x, y)).toBeGreaterThan(100);
  });

  it('exact lines give their slope', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 2, max: 20 }), (a, n) => {
        const x = Array.from({ length: n }, (_, i) => i);
        const y = x.map((v) => 100 + a * v);
        expect(theilSenSlope(x, y)).toBe(a);
        expect(leastSquaresSlope(x, y)).toBeCloseTo(a, 9);
      }),
    );
  });
});

describe('risingTail', () => {
  it('counts the strictly rising steps at the end, checked step by step', () => {
    fc.assert(
      fc.property(series, (y) => {
        let k = 0;
        while (k < y.length - 1 && y[y.length - 1 - k] > y[y.length - 2 - k]) k++;
        expect(risingTail(y)).toBe(k);
      }),
    );
    expect(risingTail([5, 4, 6, 7, 9])).toBe(3);
    expect(risingTail([1, 2, 2])).toBe(0);
  });
});
