/**
 * Scenario names become file and folder names (baselines/<scenario>.json, the Action's work folders)
 * and artifact names, so every command and input that takes one checks it here, with one rule.
 */
import { UsageError } from '../errors.js';

export const MAX_SCENARIO_NAME = 100;

/** The rule in words, for error messages and docs. */
export const SCENARIO_NAME_RULE =
  `start with a letter or digit and use only letters, digits, '.', '_' and '-' (at most ${MAX_SCENARIO_NAME}), ` +
  'not end with a dot, and not be a Windows device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9)';

const SHAPE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Windows opens a device, not a file, for these names in any case and with any extension
 * (`nul.json`, `Com1.tar.gz`), in every folder.
 */
const WINDOWS_DEVICE = /^(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?:\..*)?$/i;

/** True when Windows would treat this file name as a device. */
export function isWindowsDeviceName(fileName: string): boolean {
  return WINDOWS_DEVICE.test(fileName);
}

/** True when `name` may name a scenario. */
export function isScenarioName(name: string): boolean {
  return (
    name.length <= MAX_SCENARIO_NAME && SHAPE.test(name) && !name.endsWith('.') && !isWindowsDeviceName(name)
  );
}

/**
 * Returns `name` when it is a valid scenario name; otherwise throws a UsageError that names where it
 * came from (`--scenario`, `Input 'scenario'`) and the rule. The name is quoted as JSON so that a
 * newline or other control character in it shows instead of breaking the line.
 */
export function requireScenarioName(name: string, where: string): string {
  if (isScenarioName(name)) return name;
  const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
  throw new UsageError(
    `${where}: ${JSON.stringify(shown)} is not a valid scenario name; it must ${SCENARIO_NAME_RULE}`,
  );
}
