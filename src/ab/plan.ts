/**
 * Same-job A/B: the base build and the head build run alternately on one machine, so what differs
 * between runners (CPU, memory, runtime patch, neighbours) affects both sides alike.
 */
export type Side = 'base' | 'head';

export interface PlannedRun {
  side: Side;
  /** 1-based run number within its side. */
  index: number;
}

/**
 * K runs per side in pairs whose order alternates (base, head, head, base, base, head, …): a drift
 * over the job (a warming disk cache, a throttling CPU) then favours neither side.
 */
export function abOrder(runsPerSide: number): PlannedRun[] {
  if (!Number.isSafeInteger(runsPerSide) || runsPerSide < 1)
    throw new RangeError('runsPerSide must be 1 or more');
  const out: PlannedRun[] = [];
  for (let i = 1; i <= runsPerSide; i++) {
    const pair: Side[] = i % 2 === 1 ? ['base', 'head'] : ['head', 'base'];
    for (const side of pair) out.push({ side, index: i });
  }
  return out;
}
