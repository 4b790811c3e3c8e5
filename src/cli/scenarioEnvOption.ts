import { Option } from 'commander';
import { SCENARIO_ENV_MODES } from '../collect/scenarioEnv.js';

/** `--scenario-env clean|inherit`, for the commands that run a scenario command (collect, soak). */
export function scenarioEnvOption(): Option {
  return new Option(
    '--scenario-env <mode>',
    "the scenario command's environment: clean (without GitHub tokens, INPUT_*, ACTIONS_* and the runner's file commands) or inherit (everything)",
  )
    .choices(SCENARIO_ENV_MODES)
    .default('clean');
}
