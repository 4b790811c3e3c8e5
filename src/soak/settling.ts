/**
 * A type still settling after warm-up (a cache filling to its size, a pool growing to its working
 * set, tiered JIT finishing) rises over the first analysed rounds and then holds: its high comes
 * early and is never passed again. A leak keeps setting new highs. A rising slope over such a series
 * is real but says "warm-up was too short", not "this leaks", so it is reported as that.
 */
export interface Settling {
  /** Analysed round (0-based) where the series reached its high. */
  peakRound: number;
  /** Rounds after the high, none of them higher. */
  flatRounds: number;
}

/** Settled when the high came after the first round and at least half the rounds (2 or more) followed it. */
export function settlingOf(values: ArrayLike<number>): Settling | undefined {
  const n = values.length;
  if (n < 4) return undefined;
  let peak = 0;
  for (let i = 1; i < n; i++) if (values[i] > values[peak]) peak = i;
  if (peak === 0) return undefined;
  const flatRounds = n - 1 - peak;
  return flatRounds >= Math.max(2, Math.ceil(n / 2)) ? { peakRound: peak, flatRounds } : undefined;
}
