/**
 * Trend statistics for short series of heap measurements (one value per soak round).
 *
 * Soak series are short (tens of points), values after a forced full GC are nearly exact, and a
 * single odd round must not decide a verdict: hence rank-based, outlier-resistant statistics —
 * Theil–Sen for the slope and Mann–Kendall for "is there a trend at all" — with least squares kept
 * for reference. All functions are pure and allocate only per-call scratch arrays.
 */

/** Ordinary least-squares slope of y over x; 0 when x has no spread. */
export function leastSquaresSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    sxy += dx * (y[i] - my);
    sxx += dx * dx;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/**
 * Theil–Sen slope: the median of the slopes of all pairs with distinct x. Up to ~29% of the points
 * can be arbitrary outliers without moving it, unlike least squares. 0 when no pair has distinct x.
 */
export function theilSenSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return 0;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j] - x[i];
      if (dx !== 0) slopes[k++] = (y[j] - y[i]) / dx;
    }
  }
  return k === 0 ? 0 : median(slopes.subarray(0, k));
}

/** Median of the values (average of the two middle ones for an even count); sorts `values` in place. */
export function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  values.sort();
  const mid = n >> 1;
  return n % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

export interface MannKendall {
  /** Σ sign(y_j − y_i) over i < j: positive for a rising series. */
  s: number;
  /** Variance of S under "no trend", corrected for ties. */
  variance: number;
  /** Continuity-corrected normal score (S ∓ 1) / √variance; 0 when S = 0. */
  z: number;
  /** One-sided p-value for "the series rises": small means a rise this consistent is unlikely by chance. */
  pIncreasing: number;
  /** Whether pIncreasing is exact (no ties, short series) or from the normal approximation. */
  exact: boolean;
}

/** Longest series for which the exact null distribution of S is computed (O(n³) once per call). */
export const EXACT_MAX_N = 60;

/**
 * Mann–Kendall trend test. Without ties and for n ≤ EXACT_MAX_N, the p-value comes from the exact
 * distribution of S (the normal approximation is poor for the 4–10 rounds a soak test often has:
 * for n = 6 it overstates p by 3×); otherwise from the tie-corrected normal approximation.
 */
export function mannKendall(y: ArrayLike<number>): MannKendall {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(y[j] - y[i]);
  const ties = tieGroups(y);
  let tieTerm = 0;
  for (const t of ties) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = variance > 0 && s !== 0 ? (s - Math.sign(s)) / Math.sqrt(variance) : 0;
  if (ties.length === 0 && n >= 2 && n <= EXACT_MAX_N)
    return { s, variance, z, pIncreasing: exactUpperTail(n, s), exact: true };
  const p = variance > 0 ? 1 - normalCdf(z) : 1;
  return { s, variance, z, pIncreasing: p, exact: false };
}

/** Sizes (≥ 2) of groups of equal values. */
function tieGroups(y: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(y).sort();
  const groups: number[] = [];
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++;
    else {
      if (run > 1) groups.push(run);
      run = 1;
    }
  }
  return groups;
}

/**
 * P(S ≥ s) for n distinct values in random order. S = n(n−1)/2 − 2·inversions, and the number of
 * permutations with k inversions follows the recurrence of the Mahonian numbers; probabilities
 * are carried instead of counts so that nothing overflows.
 */
function exactUpperTail(n: number, s: number): number {
  const maxInv = (n * (n - 1)) / 2;
  let dist = new Float64Array(maxInv + 1);
  dist[0] = 1;
  for (let m = 2; m <= n; m++) {
    // Inserting the m-th element adds 0..m-1 inversions, each equally likely.
    const next = new Float64Array(maxInv + 1);
    const top = ((m - 1) * m) / 2;
    let window = 0;
    for (let k = 0; k <= top; k++) {
      window += dist[k];
      if (k - m >= 0) window -= dist[k - m];
      next[k] = window / m;
    }
    dist = next;
  }
  // S ≥ s  ⇔  inversions ≤ (maxInv − s) / 2
  const limit = Math.floor((maxInv - s) / 2);
  let p = 0;
  for (let k = 0; k <= Math.min(limit, maxInv); k++) p += dist[k];
  return Math.min(1, Math.max(0, p));
}

/** Standard normal CDF; p-values are compared with thresholds like 0.05, so 1e-7 accuracy is ample. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Complementary error function, Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** How many of the last steps rose strictly: 3 for [5, 4, 6, 7, 9]. */
export function risingTail(y: ArrayLike<number>): number {
  let k = 0;
  for (let i = y.length - 1; i > 0 && y[i] > y[i - 1]; i--) k++;
  return k;
}
