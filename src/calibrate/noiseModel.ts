/**
 * The noise model the gate applies: from the clean runs a baseline was recorded from, the growth
 * over the baseline each type shows without any change (its tolerance, see noise.ts). A growth
 * limit is then never tighter than the measured noise of the type it judges; a type that never
 * moved keeps a tolerance of 0 and is judged by its rule alone.
 */
import type { RunSamples } from '../model/snapshot.js';
import { metricNoise, normalQuantile } from './noise.js';

/** Fewer runs give no usable spread: with two, the median is the smaller value and MAD is 0. */
export const MIN_NOISE_RUNS = 3;
export const DEFAULT_NOISE_CONFIDENCE = 0.99;

export interface NoiseTolerance {
  count: number;
  bytes: number;
}

export interface NoiseModel {
  runs: number;
  confidence: number;
  /** Types that moved between runs, with their tolerance; types not listed never moved. */
  types: ReadonlyMap<string, NoiseTolerance>;
}

export function noiseModel(samples: RunSamples | undefined, confidence: number): NoiseModel | undefined {
  if (!samples || samples.runs < MIN_NOISE_RUNS) return undefined;
  const z = normalQuantile(confidence);
  const types = new Map<string, NoiseTolerance>();
  for (const [name, s] of samples.types) {
    const count = metricNoise(s.count, z).tolerance;
    const bytes = metricNoise(s.bytes, z).tolerance;
    if (count > 0 || bytes > 0) types.set(name, { count, bytes });
  }
  return { runs: samples.runs, confidence, types };
}
