/** `--checkpoint-pattern` and `--continue-with`: drive an existing app by its own ready line and reply. */
import { Option, type Command } from 'commander';
import type { ScenarioProtocol } from '../collect/scenarioProcess.js';
import { UsageError } from '../errors.js';

export interface ProtocolCliOptions {
  checkpointPattern?: string;
  continueWith?: string;
}

/** Adds both options to a command that runs a scenario. */
export function addProtocolOptions(command: Command): Command {
  for (const option of [
    new Option(
      '--checkpoint-pattern <regex>',
      "a stdout line of the app matching this is a checkpoint (label: group 'label', else group 1, else the match; a number n is round-n), as well as heapgate:checkpoint lines",
    ),
    new Option(
      '--continue-with <text>',
      "what to write to the app's stdin to resume it after a checkpoint (default: continue; 'none': the app does not wait)",
    ),
  ])
    command.addOption(option);
  return command;
}

/** The protocol the options ask for, or undefined for heapgate's own. */
export function protocolOf(opts: ProtocolCliOptions): ScenarioProtocol | undefined {
  if (opts.checkpointPattern === undefined && opts.continueWith === undefined) return undefined;
  const protocol: ScenarioProtocol = {};
  if (opts.checkpointPattern !== undefined) {
    try {
      protocol.checkpoint = new RegExp(opts.checkpointPattern);
    } catch (err) {
      throw new UsageError(
        `--checkpoint-pattern: '${opts.checkpointPattern}' is not a regular expression (${(err as Error).message})`,
      );
    }
    if (protocol.checkpoint.test(''))
      throw new UsageError('--checkpoint-pattern: the pattern matches an empty line');
  }
  if (opts.continueWith !== undefined) {
    if (/[\r\n]/.test(opts.continueWith))
      throw new UsageError('--continue-with: give one line of text (it is sent followed by a newline)');
    protocol.continueWith = opts.continueWith === 'none' ? null : opts.continueWith;
  }
  return protocol;
}
