import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isWithheldFromScenario, scenarioEnvironment } from '../../src/collect/scenarioEnv.js';
import { runCli } from '../support/cli.js';
import { scenarioAppDll } from '../support/scenario.js';

// A scenario command is often code from the pull request under test: by default it must not see
// the token or the runner's secrets that the step itself holds.

const SECRETS: Record<string, string> = {
  'INPUT_GITHUB-TOKEN': 'ghs_inputTokenValue',
  INPUT_SCENARIO: 'orders',
  GITHUB_TOKEN: 'ghs_githubTokenValue',
  GH_TOKEN: 'ghs_ghTokenValue',
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-value',
  ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/results/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-value',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc',
  ACTIONS_CACHE_URL: 'http://127.0.0.1:9/cache/',
  GITHUB_ENV: '/tmp/set_env_file',
  GITHUB_OUTPUT: '/tmp/set_output_file',
  GITHUB_PATH: '/tmp/add_path_file',
  GITHUB_STATE: '/tmp/save_state_file',
  GITHUB_STEP_SUMMARY: '/tmp/step_summary_file',
  STATE_heapgate: 'saved',
};

const KEPT: Record<string, string> = {
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REPOSITORY: 'octo/orders',
  GITHUB_WORKSPACE: '/home/runner/work/orders',
  RUNNER_TEMP: '/home/runner/work/_temp',
  DOTNET_gcServer: '0',
  ORDERS_DB: 'memory',
};

describe('scenarioEnvironment', () => {
  const env = { PATH: '/usr/bin', HOME: '/home/runner', ...SECRETS, ...KEPT };

  it('clean: leaves out tokens, INPUT_*, ACTIONS_*, STATE_* and the file commands, keeps the rest', () => {
    const clean = scenarioEnvironment(env, 'clean');
    expect(Object.keys(clean).sort()).toEqual(['HOME', 'PATH', ...Object.keys(KEPT)].sort());
    expect(clean).toMatchObject(KEPT);
  });

  it('inherit: everything, as a copy', () => {
    const all = scenarioEnvironment(env, 'inherit');
    expect(all).toEqual(env);
    expect(all).not.toBe(env);
  });

  it('compares names case-insensitively, as Windows does', () => {
    for (const name of ['github_token', 'Input_Run', 'actions_runtime_token', 'Github_Output'])
      expect(isWithheldFromScenario(name)).toBe(true);
    for (const name of ['GITHUB_SHA', 'GITHUB_TOKENIZER_MODE', 'MY_INPUT_FILE', 'Path'])
      expect(isWithheldFromScenario(name)).toBe(false);
  });
});

describe.skipIf(process.platform !== 'linux')('heapgate collect -- <scenario>: its environment', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'heapgate-scenario-env-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /**
   * Runs the real CLI on a scenario that saves the environment it was started with (its own
   * /proc/<pid>/environ, exactly what heapgate passed), then becomes the .NET scenario app.
   */
  async function environmentOfScenario(extraArgs: string[], name: string): Promise<Map<string, string>> {
    const envFile = join(scratch, `${name}.env`);
    const script = `tr '\\000' '\\n' < /proc/$$/environ > "$0"; exec dotnet "$1" static-list --rounds 1 --per-round 10`;
    const r = await runCli(
      [
        'collect',
        '-o',
        join(scratch, name),
        '--checkpoints',
        'warmup',
        ...extraArgs,
        '--',
        'sh',
        '-c',
        script,
        envFile,
        scenarioAppDll(),
      ],
      { env: { ...SECRETS, ...KEPT } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(join(scratch, name, 'warmup.gcdump'));
    const vars = new Map<string, string>();
    for (const line of readFileSync(envFile, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) vars.set(line.slice(0, eq), line.slice(eq + 1));
    }
    return vars;
  }

  it('by default holds no token or runner secret, and keeps PATH, HOME, the context and the step’s own variables', async () => {
    const vars = await environmentOfScenario([], 'clean');
    for (const name of Object.keys(SECRETS)) expect(vars.has(name), name).toBe(false);
    for (const value of Object.values(SECRETS)) expect([...vars.values()]).not.toContain(value);
    for (const [name, value] of Object.entries(KEPT)) expect(vars.get(name), name).toBe(value);
    expect(vars.get('PATH')).toBe(process.env.PATH);
    expect(vars.get('HOME')).toBe(process.env.HOME);
  });

  it('with --scenario-env inherit holds everything, the token included', async () => {
    const vars = await environmentOfScenario(['--scenario-env', 'inherit'], 'inherit');
    for (const [name, value] of Object.entries({ ...SECRETS, ...KEPT }))
      expect(vars.get(name), name).toBe(value);
  });

  it('refuses an unknown --scenario-env with exit 2', async () => {
    const r = await runCli(['collect', '--scenario-env', 'all', '--', 'true']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--scenario-env <mode>' argument 'all' is invalid. Allowed choices are clean, inherit/,
    );
  });
});
