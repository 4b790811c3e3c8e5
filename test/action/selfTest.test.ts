/**
 * .github/workflows/self-test.yml, replayed here as a runner would run it: for a push to the default
 * branch and then a pull request on top of it, each job whose `if` holds runs its steps in order —
 * `uses: ./` through the bundle (dist/index.js) with the step's `with:` inputs against the loopback
 * GitHub and artifact service, `run:` steps in bash with their `env:` expressions filled in from
 * the earlier steps' outputs and outcomes. So the workflow's own checks (steady passes, the leaking
 * cache fails, main records, the pull request gates against what main recorded) must hold before
 * it ever runs on GitHub.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../support/cli.js';
import type { ActionRun } from '../support/runAction.js';
import { ActionFixture, sha } from './fixture.js';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}
interface Job {
  if?: string;
  steps: Step[];
}
const workflow = parse(readFileSync(join(repoRoot, '.github', 'workflows', 'self-test.yml'), 'utf8')) as {
  jobs: Record<string, Job>;
};

type Event = 'push' | 'pull_request';
interface StepResult {
  outcome: 'success' | 'failure';
  outputs: Record<string, string>;
}

const MAIN = sha('self-test-main');
const PR_HEAD = sha('self-test-pr');

let fx: ActionFixture;
beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
  fx.github.commits = [MAIN];
});
afterAll(async () => {
  await fx.stop();
});

/** The job-level conditions the workflow uses; anything else fails the test until it is supported. */
function runsOn(job: Job, event: Event): boolean {
  if (job.if === undefined) return true;
  const m = /^github\.event_name == '(\w+)'$/.exec(job.if);
  if (!m) throw new Error(`unsupported job condition: ${job.if}`);
  return m[1] === event;
}

/** `${{ steps.<id>.outputs.<name> }}` and `${{ steps.<id>.outcome }}`, as the runner expands them. */
function expand(value: string, steps: Map<string, StepResult>): string {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    const m = /^steps\.([\w-]+)\.(?:outputs\.([\w-]+)|(outcome))$/.exec(expr);
    if (!m) throw new Error(`unsupported expression: ${expr}`);
    const step = steps.get(m[1]);
    if (!step) throw new Error(`no step ${m[1]} ran before`);
    return m[3] ? step.outcome : (step.outputs[m[2]] ?? '');
  });
}

/** Runs one job's steps for an event; returns each step's result and any failure. */
async function runJob(
  name: string,
  job: Job,
  event: Event,
): Promise<{ failed?: string; log: string[]; steps: Map<string, StepResult> }> {
  const steps = new Map<string, StepResult>();
  const log: string[] = [];
  for (const step of job.steps) {
    const label = `${name}: ${step.name ?? step.uses ?? step.run}`;
    if (step.uses && step.uses !== './') {
      // The checkout: the workspace gets the repository's examples and committed baselines.
      expect(step.uses).toMatch(/^actions\/checkout@/);
      continue;
    }
    let result: StepResult;
    if (step.uses === './') {
      const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)]));
      const prepare = (workspace: string) => {
        for (const dir of ['examples', 'baselines'])
          cpSync(join(repoRoot, dir), join(workspace, dir), { recursive: true });
      };
      const r: ActionRun =
        event === 'push'
          ? await fx.push(MAIN, inputs, { prepare, ref: 'refs/heads/master' })
          : await fx.pullRequest({ number: 7, base: MAIN, head: PR_HEAD }, inputs, { prepare });
      log.push(`${label}: exit ${r.code}, outputs ${JSON.stringify(r.outputs)}`);
      if (r.code !== 0)
        log.push(
          r.stdout
            .split('\n')
            .filter((l) => /^::(error|warning|notice)/.test(l))
            .join('\n'),
        );
      result = { outcome: r.code === 0 ? 'success' : 'failure', outputs: r.outputs };
    } else {
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, steps)]));
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run ?? ''], {
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
      });
      log.push(`${label}: exit ${r.status} ${r.stdout}${r.stderr}`);
      result = { outcome: r.status === 0 ? 'success' : 'failure', outputs: {} };
    }
    if (step.id) steps.set(step.id, result);
    if (result.outcome === 'failure' && !step['continue-on-error']) return { failed: label, log, steps };
  }
  return { log, steps };
}

/** Runs every job the event selects; returns, by job, the results of its steps. */
async function runWorkflow(event: Event): Promise<Map<string, Map<string, StepResult>>> {
  const ran = new Map<string, Map<string, StepResult>>();
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (!runsOn(job, event)) continue;
    const r = await runJob(name, job, event);
    expect(r.failed, r.log.join('\n')).toBeUndefined();
    ran.set(name, r.steps);
  }
  return ran;
}

it('on a push to main: the committed-baseline checks hold and the baseline artifact is recorded', async () => {
  const jobs = await runWorkflow('push');
  expect([...jobs.keys()]).toEqual(['committed-baseline', 'record']);
  expect(jobs.get('committed-baseline')?.get('leaky')?.outcome).toBe('failure');
  // Only the record job recorded: the committed-baseline steps opt out.
  expect(fx.artifacts('heapgate-baseline-self-test').map((a) => a.commit)).toEqual([MAIN]);
  expect(fx.artifacts('heapgate-baseline-example')).toEqual([]);
  expect(fx.artifacts('heapgate-baseline-example-leaky')).toEqual([]);
});

it('on a pull request: the committed-baseline checks hold and the gate uses what main recorded', async () => {
  const jobs = await runWorkflow('pull_request');
  expect([...jobs.keys()]).toEqual(['committed-baseline', 'gate']);
  // Not merely "pass or inconclusive" as the workflow allows before main has a baseline: here it has.
  expect(jobs.get('gate')?.get('gate')?.outputs).toMatchObject({ status: 'pass', 'compared-commit': MAIN });
  expect(fx.github.failures, 'REST calls or answers GitHub would not make').toEqual([]);
  expect(fx.artifactService.failures, 'calls the artifact service would refuse').toEqual([]);
});

it('the replay catches a self-test whose expectation does not hold', async () => {
  const job = structuredClone(workflow.jobs['committed-baseline']);
  // The leaking cache without continue-on-error: the job must fail at that step.
  for (const s of job.steps) delete s['continue-on-error'];
  const r = await runJob('committed-baseline', job, 'push');
  expect(r.failed).toMatch(/leaking cache fails the gate/);
});
