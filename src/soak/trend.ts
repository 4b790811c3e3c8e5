/** Per-metric trend of one series: slopes per round and per hour, Mann–Kendall, rising tail, projection. */
import { leastSquaresSlope, mannKendall, risingTail, theilSenSlope, type MannKendall } from './statistics.js';

export interface MetricTrend {
  first: number;
  last: number;
  min: number;
  max: number;
  /** Theil–Sen slope per round (analysed snapshot). */
  slopePerRound: number;
  /** Least-squares slope per round, for comparison: it follows outliers that Theil–Sen ignores. */
  leastSquaresPerRound: number;
  /** Theil–Sen slope per hour of collection time, when the snapshots' times are known. */
  slopePerHour?: number;
  mannKendall: MannKendall;
  /** How many of the last steps rose strictly. */
  rising: number;
  /** last + slopePerHour × projectHours, when the slope per hour is known (never below 0). */
  projected?: number;
}

/** A constant series: no slope, S = 0, nothing to test. */
const FLAT: Omit<MetricTrend, 'first' | 'last' | 'min' | 'max'> = {
  slopePerRound: 0,
  leastSquaresPerRound: 0,
  mannKendall: { s: 0, variance: 0, z: 0, pIncreasing: 1, exact: false },
  rising: 0,
};

export function metricTrend(
  values: Float64Array,
  rounds: Float64Array,
  hours: Float64Array | undefined,
  projectHours: number,
): MetricTrend {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const first = n > 0 ? values[0] : 0;
  const last = n > 0 ? values[n - 1] : 0;
  if (n === 0) return { first, last, min: 0, max: 0, ...FLAT };
  // Most types do not change at all across a soak run: skip the O(n²) work for them.
  if (min === max) {
    return {
      first,
      last,
      min,
      max,
      ...FLAT,
      ...(hours ? { slopePerHour: 0, projected: last } : {}),
    };
  }
  const trend: MetricTrend = {
    first,
    last,
    min,
    max,
    slopePerRound: theilSenSlope(rounds, values),
    leastSquaresPerRound: leastSquaresSlope(rounds, values),
    mannKendall: mannKendall(values),
    rising: risingTail(values),
  };
  if (hours && hours[n - 1] > hours[0]) {
    trend.slopePerHour = theilSenSlope(hours, values);
    trend.projected = Math.max(0, last + trend.slopePerHour * projectHours);
  }
  return trend;
}

/** The slope in the unit a rule asks for; undefined when per-hour is wanted but times are unknown. */
export function slopeIn(trend: MetricTrend, per: 'round' | 'hour'): number | undefined {
  return per === 'round' ? trend.slopePerRound : trend.slopePerHour;
}
