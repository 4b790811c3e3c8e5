/**
 * `base-run` (same-job A/B) through the bundled Action on real scenario runs: the base and head
 * commands alternate, the head runs are gated against the base runs of the job, and no recorded
 * baseline is looked for.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/report/checkReport.js';
import { LEAKED_TYPE, scenarioAppDll } from '../support/scenario.js';
import { ActionFixture, sha } from './fixture.js';

let fx: ActionFixture;
beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
});
afterAll(async () => fx.stop());
afterEach(() => {
  expect(fx.github.failures, 'requests GitHub would reject').toEqual([]);
  expect(fx.artifactService.failures, 'requests the artifact service would reject').toEqual([]);
});

const app = (args: string) => `dotnet "${scenarioAppDll()}" ${args}`;
const inputs = (head: string) => ({
  scenario: 'ab',
  'base-run': app('steady --rounds 2'),
  run: app(head),
  checkpoints: 'round-2',
  'ab-runs': '2',
  comment: 'always',
});

describe('the Action with base-run (same-job A/B)', () => {
  it('a leaking head fails against the base runs of the job, and the comment says what was compared', async () => {
    fx.github.commits = [sha('ab-base')];
    const r = await fx.pullRequest(
      { number: 31, base: sha('ab-base'), head: sha('ab-leak') },
      inputs('static-list --rounds 2'),
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('A/B run base-1');
    const order = [...r.stdout.matchAll(/A\/B run (\w+-\d)/g)].map((m) => m[1]);
    expect(order).toEqual(['base-1', 'head-1', 'head-2', 'base-2']);
    const result = JSON.parse(readFileSync(r.outputs['result-json'], 'utf8')) as CheckReport;
    expect(result.meta.ab).toEqual({ runsPerSide: 2, order });
    expect(result.meta.baseline).toMatchObject({
      source: 'the 2 base runs of this job',
      samples: 2,
      missing: false,
    });
    expect(result.findings.find((f) => f.subject === LEAKED_TYPE['static-list'])?.status).toBe('fail');
    const body = fx.github.commentsOn(31)[0].body;
    expect(body).toContain('A/B in one job: 2 runs per side, in the order base-1, head-1, head-2, base-2');
    // The baseline came from this job: no recorded baseline was looked up.
    expect(r.stdout).not.toMatch(/merge-base/);
  });

  it('the same build on both sides passes', async () => {
    const r = await fx.pullRequest(
      { number: 32, base: sha('ab-base'), head: sha('ab-same') },
      inputs('steady --rounds 2'),
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('pass');
  });

  it('base-run without run is one error line', async () => {
    const r = await fx.pullRequest(
      { number: 33, base: sha('ab-base'), head: sha('ab-bad') },
      { scenario: 'ab', 'base-run': 'true', snapshots: 'x.gcdump' },
    );
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Input 'base-run' needs input 'run'/);
  });
});
