/** Where a series changed level: one step is found at its commit; noise, a lone spike and a small drift are not changes. */
import { describe, expect, it } from 'vitest';
import { levelChange } from '../../src/history/levels.js';

const points = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ commit: `c${i}`, date: `2026-11-${i + 1}` }));
const FLOOR = { count: 100, pct: 10 };
const noisy = (i: number) => 1000 + ((i * 37) % 41) - 20;

describe('levelChange', () => {
  it('finds the step, whatever the noise around it', () => {
    const count = Array.from({ length: 30 }, (_, i) => noisy(i) + (i >= 17 ? 3000 : 0));
    const c = levelChange(count, count, points(30), FLOOR);
    expect(c).toMatchObject({ index: 17, before: { commit: 'c16' }, after: { commit: 'c17' } });
    expect(c!.count).toBeGreaterThan(2900);
  });

  it('a fix is a change downwards', () => {
    const count = Array.from({ length: 12 }, (_, i) => (i < 5 ? 5000 : 1000) + (i % 3));
    expect(levelChange(count, count, points(12), FLOOR)).toMatchObject({ index: 5 });
    expect(levelChange(count, count, points(12), FLOOR)!.count).toBeLessThan(-3900);
  });

  it('noise, a single spike and growth under the floor are not changes', () => {
    const flat = Array.from({ length: 30 }, (_, i) => noisy(i));
    expect(levelChange(flat, flat, points(30), FLOOR)).toBeUndefined();
    const spike = flat.map((v, i) => (i === 12 ? v + 5000 : v));
    expect(levelChange(spike, spike, points(30), FLOOR)).toBeUndefined();
    const small = flat.map((v, i) => (i >= 10 ? v + 90 : v));
    expect(levelChange(small, small, points(30), FLOOR)).toBeUndefined();
  });
});
