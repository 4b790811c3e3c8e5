import { Command, CommanderError } from 'commander';
import { HeapgateError } from '../errors.js';
import { VERSION } from '../version.js';

export { VERSION };

type Register = (program: Command) => void;

/**
 * Every command, in help order. Each lives in its own module under ./commands and is imported only
 * when it runs (or for help): the rules engine, YAML and schema libraries cost more start-up time
 * than `stat` needs for a whole snapshot.
 */
const COMMANDS: ReadonlyArray<{ name: string; load: () => Promise<Register> }> = [
  { name: 'stat', load: async () => (await import('./commands/stat.js')).registerStat },
  { name: 'collect', load: async () => (await import('./commands/collect.js')).registerCollect },
  { name: 'roots', load: async () => (await import('./commands/roots.js')).registerRoots },
  { name: 'refs', load: async () => (await import('./commands/refs.js')).registerRefs },
  { name: 'dominators', load: async () => (await import('./commands/dominators.js')).registerDominators },
  { name: 'diff', load: async () => (await import('./commands/diff.js')).registerDiff },
  { name: 'baseline', load: async () => (await import('./commands/baseline.js')).registerBaseline },
  { name: 'check', load: async () => (await import('./commands/check.js')).registerCheck },
  { name: 'soak', load: async () => (await import('./commands/soak.js')).registerSoak },
];

/** Builds the `heapgate` program with the commands `argv` needs (all of them for help or unknown input). */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('heapgate')
    .description('Catch .NET memory regressions: analyse .gcdump files, dumps and SOS output.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const args = argv.slice(2);
  const first = args.find((a) => !a.startsWith('-'));
  // `heapgate --version` needs no command module: it is the cold-start figure users see first.
  const versionOnly =
    first === undefined && args.length > 0 && args.every((a) => a === '-V' || a === '--version');
  const wanted = COMMANDS.filter((c) => c.name === first);
  if (!versionOnly)
    for (const command of wanted.length > 0 ? wanted : COMMANDS) (await command.load())(program);
  return program;
}

/** Runs the CLI and returns the process exit code: 0 ok, 1 gate failed, 2 usage or input error. */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
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
    if (
      err instanceof RangeError &&
      /Array buffer allocation failed|Invalid typed array length/.test(err.message)
    ) {
      process.stderr.write(`heapgate: not enough memory to load the input (${err.message})\n`);
      return 2;
    }
    throw err;
  }
}
