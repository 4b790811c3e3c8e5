/**
 * The environment a scenario command runs with. A scenario is often code from the pull request
 * under test, so by default it gets heapgate's environment without the credentials a CI runner
 * hands to the step and without the runner's file commands:
 *
 * - `INPUT_*`: the Action's inputs, `INPUT_GITHUB-TOKEN` among them;
 * - `ACTIONS_*`: the runner's service tokens and URLs (`ACTIONS_RUNTIME_TOKEN`,
 *   `ACTIONS_ID_TOKEN_REQUEST_TOKEN`/`_URL`, `ACTIONS_RESULTS_URL`, `ACTIONS_CACHE_URL`, …);
 * - `GITHUB_TOKEN`, `GH_TOKEN`, `GH_ENTERPRISE_TOKEN`, `GITHUB_ENTERPRISE_TOKEN`: the usual names of a
 *   GitHub token;
 * - `GITHUB_ENV`, `GITHUB_PATH`, `GITHUB_OUTPUT`, `GITHUB_STATE`, `GITHUB_STEP_SUMMARY` and `STATE_*`:
 *   files and state through which a step sets later steps' environment, outputs and summary.
 *
 * Everything else is kept: PATH, HOME, TMPDIR (dotnet-gcdump finds the app's diagnostics socket
 * there), DOTNET_*, RUNNER_*, the GITHUB_* context (GITHUB_SHA, GITHUB_REPOSITORY, …) and whatever
 * the workflow sets on the step. `inherit` passes everything unchanged.
 */

export type ScenarioEnvMode = 'clean' | 'inherit';

export const SCENARIO_ENV_MODES = ['clean', 'inherit'] as const satisfies readonly ScenarioEnvMode[];

const DROPPED_PREFIXES = ['INPUT_', 'ACTIONS_', 'STATE_'];

const DROPPED_NAMES = new Set([
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GH_ENTERPRISE_TOKEN',
  'GITHUB_ENTERPRISE_TOKEN',
  'GITHUB_ENV',
  'GITHUB_PATH',
  'GITHUB_OUTPUT',
  'GITHUB_STATE',
  'GITHUB_STEP_SUMMARY',
]);

/** True for a variable a `clean` scenario environment leaves out (names compare case-insensitively, as on Windows). */
export function isWithheldFromScenario(name: string): boolean {
  const upper = name.toUpperCase();
  return DROPPED_NAMES.has(upper) || DROPPED_PREFIXES.some((p) => upper.startsWith(p));
}

/** The environment for a scenario command: `env` less the withheld variables, or all of it with `inherit`. */
export function scenarioEnvironment(env: NodeJS.ProcessEnv, mode: ScenarioEnvMode): NodeJS.ProcessEnv {
  if (mode === 'inherit') return { ...env };
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isWithheldFromScenario(name)) out[name] = value;
  }
  return out;
}
