/** The fuzzer's own mutations: they must never throw, whatever the program, or a run ends early. */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCase, caseArb, insertAt, MAX_INPUT_BYTES } from './mutate.js';

describe('fuzz mutations', () => {
  it('insert into a buffer an earlier repeat took past the size cap, at its end', () => {
    // A seed repeated up to the cap and inserted again is twice the cap before the final cut.
    const big = new Uint8Array(MAX_INPUT_BYTES + 1000).fill(7);
    const out = insertAt(big, big.length, new Uint8Array([1, 2, 3]));
    expect(out.length).toBe(MAX_INPUT_BYTES + 3);
    expect([...out.subarray(MAX_INPUT_BYTES)]).toEqual([1, 2, 3]);
  });

  it('any mutation program on any seed gives a buffer within the cap', () => {
    const seeds = [
      new Uint8Array(0),
      new Uint8Array(64).fill(1),
      new Uint8Array(MAX_INPUT_BYTES - 10).fill(2),
    ];
    const tokens = [new Uint8Array([60, 62]), new Uint8Array(0)];
    fc.assert(
      fc.property(caseArb(tokens.length, seeds.length), (c) => {
        expect(applyCase(c, seeds, tokens).length).toBeLessThanOrEqual(MAX_INPUT_BYTES);
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });
});
