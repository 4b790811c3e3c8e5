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
  /**
   * last + slopePerHour × projectHours (never below 0), when the slope per hour is known and the
   * series spans enough time to project that far (see projectionSkipped).
   */
  projected?: number;
}

/**
 * Farthest a projection may reach beyond the time the series spans: 50× (a 24 h projection needs
 * about half an hour of snapshots). A slope measured over a few seconds of checkpoint rounds says
 * nothing about a day: 7 strings over 5 s "projected" 120,000 strings in 24 h.
 */
export const MAX_EXTRAPOLATION = 50;

/** Why the series is not projected to the horizon, or undefined when it is. */
export function projectionSkipped(spanHours: number | undefined, projectHours: number): string | undefined {
  if (spanHours === undefined || !(spanHours > 0))
    return "no projection: the snapshots' collection times are unknown";
  const needed = projectHours / MAX_EXTRAPOLATION;
  if (spanHours >= needed) return undefined;
  return `no projection: the series spans ${hoursText(spanHours)}; projecting ${hoursText(projectHours)} needs at least ${hoursText(needed)} of snapshots (1/${MAX_EXTRAPOLATION} of the horizon)`;
}

/** 0.0012 -> "4.3 s", 0.5 -> "30 min", 26 -> "26 h". */
export function hoursText(hours: number): string {
  const s = hours * 3600;
  if (s < 90) return `${s.toFixed(1)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${hours.toFixed(hours < 10 ? 1 : 0)} h`;
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
      ...(hours ? { slopePerHour: 0 } : {}),
      ...(hours && canProject(hours, projectHours) ? { projected: last } : {}),
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
    if (canProject(hours, projectHours))
      trend.projected = Math.max(0, last + trend.slopePerHour * projectHours);
  }
  return trend;
}

/** The slope in the unit a rule asks for; undefined when per-hour is wanted but times are unknown. */
export function slopeIn(trend: MetricTrend, per: 'round' | 'hour'): number | undefined {
  return per === 'round' ? trend.slopePerRound : trend.slopePerHour;
}

function canProject(hours: Float64Array, projectHours: number): boolean {
  const n = hours.length;
  return n > 0 && projectionSkipped(hours[n - 1] - hours[0], projectHours) === undefined;
}
