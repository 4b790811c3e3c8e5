/**
 * A nightly soak with `history-from` through the bundle: the default branch's gate recorded a
 * baseline artifact at each of 20 pushes (the steady example, then from the 11th push on the leaky
 * one); the soak of the scenario app's cache leak fails, and its report names the range between the
 * 10th and 11th pushes as where CacheEntry began.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { repoRoot } from '../support/cli.js';
import { scenarioAppDll } from '../support/scenario.js';
import { ActionFixture, sha } from './fixture.js';

let fx: ActionFixture;
const commits = Array.from({ length: 20 }, (_, i) => sha(`history-${i + 1}`));

beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
  for (const [i, commit] of commits.entries()) {
    const file = i < 10 ? 'steady.gcdump' : 'leaky-cache.gcdump';
    const r = await fx.push(commit, {
      mode: 'record',
      snapshots: join(repoRoot, 'examples', file),
      scenario: 'orders',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }
}, 600_000);
afterAll(async () => {
  await fx.stop();
});
afterEach(() => {
  expect(fx.github.failures, 'requests GitHub would reject').toEqual([]);
});

describe('soak mode with history-from', () => {
  it('names the commit range where the failing type began in the recorded baselines', async () => {
    expect(fx.artifacts('heapgate-baseline-orders')).toHaveLength(20);
    const r = await fx.push(sha('nightly'), {
      mode: 'soak',
      run: `dotnet "${scenarioAppDll()}" cache --rounds 50 --per-round 200`,
      rounds: '5',
      scenario: 'nightly',
      'history-from': 'orders',
    });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain("heapgate: read 20 recorded baselines of 'orders'");
    expect(r.summary).toContain(
      '#### 📈 Where it began: 20 recorded baselines of <code>orders</code> on the default branch',
    );
    expect(r.summary).toContain(
      `- <code>HeapgateScenarios.Leaks.CacheEntry</code> rose by 3,000 objects between <code>${commits[9].slice(0, 10)}</code>`,
    );
    expect(r.summary).toContain(`and <code>${commits[10].slice(0, 10)}</code>`);
  });

  it('an unknown scenario name is refused before anything runs', async () => {
    const r = await fx.push(sha('nightly-bad'), {
      mode: 'soak',
      run: 'true',
      scenario: 'n',
      'history-from': '../x',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::heapgate: Input 'history-from'/);
  });
});
