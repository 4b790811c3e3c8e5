/**
 * JSON that nests far deeper than any heapgate document (a million `[`, found by the fuzzer) is
 * refused before JSON.parse builds it: in baselines, the Action's result files from a pull
 * request's run, and collection manifests — with the place, in little time and memory.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseResultFile } from '../../action/resultFile.js';
import { BaselineError, parseBaseline } from '../../src/baseline/parse.js';
import { lineCol, tooDeep } from '../../src/json/nesting.js';
import { readManifest } from '../../src/soak/inputs.js';
import { expectBadInput, hostileDir, timed } from '../support/hostileInput.js';

const files = hostileDir('deep-json');
afterAll(() => files.remove());

const deep = (n: number, open = '[') => `${'\n'.repeat(2)}${open.repeat(n)}`;

function rssGrowthMiB(fn: () => void): number {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  fn();
  return (process.memoryUsage().rss - before) / 1048576;
}

describe('deeply nested JSON', () => {
  it('tooDeep finds the first level past the limit, ignoring brackets inside strings', () => {
    expect(tooDeep('{"a":[[1]]}', 3)).toBeUndefined();
    expect(tooDeep('{"a":[[[1]]]}', 3)).toEqual({ offset: 7 });
    expect(tooDeep('{"a":"[[[[[[\\"[[[["}', 2)).toBeUndefined();
    expect(lineCol('ab\ncd\nef', 7)).toBe('3:2');
  });

  it('a baseline of 1.6 million "[" is refused at its line and column, in under 100 ms and 16 MiB', () => {
    const text = deep(1_600_000);
    let err: unknown;
    const rss = rssGrowthMiB(() => {
      const { ms } = timed(() => {
        try {
          parseBaseline(text, 'deep.json');
        } catch (e) {
          err = e;
        }
      });
      expect(ms).toBeLessThan(100);
    });
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as Error).message).toBe(
      "deep.json:3:33: nested more than 32 levels deep, which no heapgate baseline is; re-record it with 'heapgate baseline record'",
    );
    expect(rss).toBeLessThan(16);
  });

  it('the CLI says so in one line with exit 2', async () => {
    const baseline = files.path('deep.json', `{"schemaVersion": 1, "types": ${deep(100_000, '{"a":')}`);
    await expectBadInput(
      ['check', 'examples/steady.gcdump', '--baseline', baseline],
      /deep\.json:3:\d+: nested more than 32 levels deep/,
    );
  });

  it('a result file or a manifest nested that deep is refused too', async () => {
    const r = parseResultFile(deep(1_000_000));
    expect(r).toEqual({ ok: false, problem: 'it nests more than 64 levels deep at 3:65' });
    const manifest = files.path('heapgate-collect.json', deep(500_000, '{"x":'));
    await expect(readManifest(manifest)).rejects.toThrow(
      /heapgate-collect\.json:3:81: not a heapgate collection manifest \(nested more than 16 levels deep\)/,
    );
  });
});
