import { Command, CommanderError } from 'commander';
import { HeapgateError } from '../errors.js';
import { registerStat } from './commands/stat.js';
import { registerCollect } from './commands/collect.js';
import { registerRoots } from './commands/roots.js';
import { registerRefs } from './commands/refs.js';
import { registerDominators } from './commands/dominators.js';
import { registerGate } from './commands/gate.js';

export const VERSION = '0.1.0';

/** Builds the `heapgate` program. Each command lives in its own module under ./commands. */
export function buildProgram(): Command {
  const program = new Command('heapgate')
    .description('Catch .NET memory regressions: analyse .gcdump files, dumps and SOS output.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerStat(program);
  registerCollect(program);
  registerRoots(program);
  registerRefs(program);
  registerDominators(program);
  registerGate(program);
  return program;
}

/** Runs the CLI and returns the process exit code: 0 ok, 1 gate failed, 2 usage or input error. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed what they had to.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof HeapgateError) {
      process.stderr.write(`heapgate: ${err.message}\n`);
      return 2;
    }
    if (err instanceof RangeError && /Array buffer allocation failed|Invalid typed array length/.test(err.message)) {
      process.stderr.write(`heapgate: not enough memory to load the input (${err.message})\n`);
      return 2;
    }
    throw err;
  }
}
