/**
 * The bundled Action (dist/index.js) runs the `run` scenario without the token and the runner's
 * secrets in its environment unless `scenario-env: inherit`: the scenario saves the environment it
 * was started with (its own /proc/<pid>/environ) and then becomes the real LeakScenarios app.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scenarioAppDll } from '../support/scenario.js';
import { ActionFixture, sha, TOKEN } from './fixture.js';

let fx: ActionFixture;
const scratch = mkdtempSync(join(tmpdir(), 'heapgate-action-env-'));

beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
  fx.github.commits = [sha('env-2'), sha('env-1'), sha('env-0')];
});
afterAll(async () => {
  await fx.stop();
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => {
  expect(fx.github.failures, 'requests GitHub would reject').toEqual([]);
});

/** A `run` input that saves its environment to `file` and then runs the scenario app. */
function savingEnvironment(file: string, rounds: number): string {
  return `tr '\\000' '\\n' < /proc/$$/environ > "${file}"; exec dotnet "${scenarioAppDll()}" steady --rounds ${rounds} --per-round 10`;
}

function readEnvironment(file: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return vars;
}

/** What the runner gives the step that a scenario must not get by default. */
const WITHHELD = [
  'INPUT_GITHUB-TOKEN',
  'INPUT_RUN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITHUB_OUTPUT',
  'GITHUB_STEP_SUMMARY',
];

describe.skipIf(process.platform !== 'linux')('the scenario environment in the Action', () => {
  it('gate mode, default (clean): no token, no INPUT_*, no ACTIONS_*, no file commands; the context stays', async () => {
    const file = join(scratch, 'gate-clean.env');
    const commit = sha('env-1');
    const r = await fx.push(commit, {
      run: savingEnvironment(file, 1),
      checkpoints: 'round-1',
      scenario: 'env',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const vars = readEnvironment(file);
    for (const name of WITHHELD) expect(vars.has(name), name).toBe(false);
    expect([...vars.values()].some((v) => v.includes(TOKEN))).toBe(false);
    expect(vars.get('GITHUB_SHA')).toBe(commit);
    expect(vars.get('GITHUB_REPOSITORY')).toBe('Codertocat/Hello-World');
    expect(vars.get('RUNNER_TEMP')).toBeTruthy();
    expect(vars.get('PATH')).toBe(process.env.PATH);
  });

  it('gate mode, scenario-env: inherit: the scenario gets everything, the token included', async () => {
    const file = join(scratch, 'gate-inherit.env');
    const r = await fx.push(sha('env-2'), {
      run: savingEnvironment(file, 1),
      checkpoints: 'round-1',
      scenario: 'env',
      'scenario-env': 'inherit',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const vars = readEnvironment(file);
    for (const name of WITHHELD) expect(vars.has(name), name).toBe(true);
    expect(vars.get('INPUT_GITHUB-TOKEN')).toBe(TOKEN);
    // The step's own output never shows it (beyond the line that masks it).
    expect(r.all.split('\n').filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
  });

  it('soak mode runs its scenario clean too', async () => {
    const file = join(scratch, 'soak-clean.env');
    const r = await fx.push(sha('env-soak'), {
      mode: 'soak',
      run: savingEnvironment(file, 4),
      rounds: '3',
      scenario: 'env-soak',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const vars = readEnvironment(file);
    for (const name of WITHHELD) expect(vars.has(name), name).toBe(false);
    expect(vars.get('GITHUB_SHA')).toBe(sha('env-soak'));
  });

  it('refuses an unknown scenario-env, naming the input', async () => {
    const r = await fx.push(sha('env-bad'), { run: 'true', 'scenario-env': 'everything' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::heapgate: Input 'scenario-env' must be one of clean, inherit; got 'everything'/,
    );
  });
});
