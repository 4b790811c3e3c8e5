/**
 * The noise model: per-type bands over K clean runs of a scenario (the samples a baseline keeps),
 * the tolerance above the baseline a further clean run stays within at a chosen confidence, and
 * from it the smallest growth the gate can tell from noise.
 *
 * For values x₁…x_K of one type (count or bytes):
 * - median m: the lower median (the value the baseline records, always an observed value);
 * - MAD: the lower median of |xᵢ − m|; σ̂ = 1.4826 · MAD (the normal-consistent robust spread);
 * - tolerance: 0 for a type that never moved (min = max: exact); otherwise the larger of the
 *   highest value seen above the median (max − m) and the one-sided prediction bound for one new
 *   run, ⌈z_c · σ̂ · √(1 + 1/K)⌉, with z_c the standard normal quantile of the confidence c;
 * - detectable growth: tolerance + 1 — the smallest growth over the median that exceeds what a
 *   clean run would show at confidence c.
 */
import { lowerMedian } from '../baseline/median.js';
import type { Baseline } from '../baseline/schema.js';
import { normalCdf } from '../soak/statistics.js';

export const CALIBRATION_SCHEMA_VERSION = 1;

/** The robust spread estimator's factor: σ = 1.4826 · MAD for normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;

export interface NoiseBand {
  median: number;
  min: number;
  max: number;
  /** Median absolute deviation from `median` (lower median, like `median`). */
  mad: number;
}

export interface MetricNoise extends NoiseBand {
  /** Largest growth over `median` a clean run is expected to show at the confidence. */
  tolerance: number;
  /** tolerance + 1. */
  detectable: number;
}

export interface TypeNoise {
  name: string;
  count: MetricNoise;
  bytes: MetricNoise;
}

export interface Calibration {
  schemaVersion: typeof CALIBRATION_SCHEMA_VERSION;
  scenario: string;
  /** Clean runs the bands come from. */
  runs: number;
  confidence: number;
  /** z_c: the one-sided standard normal quantile of `confidence`. */
  z: number;
  /** Types whose count or bytes moved between runs, noisiest (by count tolerance, then bytes) first. */
  moving: TypeNoise[];
  /** Types with the same count and bytes in every run: their tolerance is exact (0). */
  steadyTypes: number;
}

export function noiseBand(values: readonly number[]): NoiseBand {
  if (values.length === 0) throw new Error('noiseBand needs at least one value');
  const median = lowerMedian(values);
  return {
    median,
    min: Math.min(...values),
    max: Math.max(...values),
    mad: lowerMedian(values.map((v) => Math.abs(v - median))),
  };
}

/** The tolerance above the median for K = values.length runs at quantile z (see the module comment). */
export function metricNoise(values: readonly number[], z: number): MetricNoise {
  const band = noiseBand(values);
  let tolerance = 0;
  if (band.max !== band.min) {
    const sigma = MAD_TO_SIGMA * band.mad;
    const bound = Math.ceil(z * sigma * Math.sqrt(1 + 1 / values.length) - 1e-9);
    tolerance = Math.max(band.max - band.median, bound);
  }
  return { ...band, tolerance, detectable: tolerance + 1 };
}

/** Standard normal quantile: the z with Φ(z) = p, by bisection on Φ (to 1e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  let lo = -10;
  let hi = 10;
  while (hi - lo > 1e-9) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Calibrates from a baseline recorded from several clean runs (its per-type samples). Types missing
 * from a run count 0 there, as in the baseline.
 */
export function calibrate(baseline: Baseline, confidence: number): Calibration {
  const runs = baseline.samples.length;
  if (runs < 2) {
    throw new Error(
      `the baseline of '${baseline.scenario}' has ${runs} sample; calibration needs the same scenario recorded from several clean runs`,
    );
  }
  const z = normalQuantile(confidence);
  const moving: TypeNoise[] = [];
  let steadyTypes = 0;
  for (const [name, entry] of Object.entries(baseline.types)) {
    const counts = entry.samples?.count ?? Array<number>(runs).fill(entry.count);
    const bytes = entry.samples?.bytes ?? Array<number>(runs).fill(entry.bytes);
    const count = metricNoise(counts, z);
    const b = metricNoise(bytes, z);
    if (count.tolerance === 0 && b.tolerance === 0) steadyTypes++;
    else moving.push({ name, count, bytes: b });
  }
  moving.sort(
    (x, y) =>
      y.count.tolerance - x.count.tolerance ||
      y.bytes.tolerance - x.bytes.tolerance ||
      (x.name < y.name ? -1 : x.name > y.name ? 1 : 0),
  );
  return {
    schemaVersion: CALIBRATION_SCHEMA_VERSION,
    scenario: baseline.scenario,
    runs,
    confidence,
    z,
    moving,
    steadyTypes,
  };
}
