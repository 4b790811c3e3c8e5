import { describe, expect, it } from 'vitest';
import { formatInt } from '../../src/report/format.js';

describe('formatInt', () => {
  const reference = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

  it('groups and rounds like Intl.NumberFormat en-US', () => {
    const values = [
      0,
      -0,
      1,
      -1,
      9,
      10,
      99,
      100,
      999,
      1000,
      -1000,
      1234,
      12345,
      123456,
      1234567,
      -1234567,
      999999,
      1000000,
      0.4,
      0.5,
      1.5,
      2.5,
      -0.4,
      -0.5,
      -2.5,
      999.5,
      1e15,
      2 ** 53,
      -(2 ** 53),
      1e20,
      123456789012345680000,
    ];
    for (let k = 0; k < 2000; k++) {
      const magnitude = 10 ** Math.floor(Math.random() * 16);
      values.push((Math.random() - 0.3) * magnitude);
    }
    for (const v of values) expect(formatInt(v), String(v)).toBe(reference.format(v));
  });

  it('leaves numbers it does not group to Intl', () => {
    for (const v of [NaN, Infinity, -Infinity, 1e21, -3e25]) expect(formatInt(v)).toBe(reference.format(v));
  });
});
