import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { reportError } from './errorReport.js';
import { ExitCode, type ExitStatus } from './exitCodes.js';

export { VERSION };

/** Adds one command to the program; its action leaves a non-zero exit code in `exit` (never in process.exitCode). */
export type Register = (program: Command, exit: ExitStatus) => void;

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
  { name: 'allocs', load: async () => (await import('./commands/allocs.js')).registerAllocs },
  { name: 'eeheap', load: async () => (await import('./commands/eeheap.js')).registerEEHeap },
  { name: 'handles', load: async () => (await import('./commands/handles.js')).registerHandles },
  {
    name: 'finalizequeue',
    load: async () => (await import('./commands/finalizequeue.js')).registerFinalizeQueue,
  },
  { name: 'inspect', load: async () => (await import('./commands/inspect.js')).registerInspect },
  { name: 'dominators', load: async () => (await import('./commands/dominators.js')).registerDominators },
  { name: 'report', load: async () => (await import('./commands/report.js')).registerReport },
  { name: 'export', load: async () => (await import('./commands/export.js')).registerExport },
  { name: 'convert', load: async () => (await import('./commands/convert.js')).registerConvert },
  { name: 'diff', load: async () => (await import('./commands/diff.js')).registerDiff },
  { name: 'baseline', load: async () => (await import('./commands/baseline.js')).registerBaseline },
  { name: 'check', load: async () => (await import('./commands/check.js')).registerCheck },
  { name: 'ab', load: async () => (await import('./commands/ab.js')).registerAb },
  { name: 'soak', load: async () => (await import('./commands/soak.js')).registerSoak },
  { name: 'history', load: async () => (await import('./commands/history.js')).registerHistory },
  { name: 'test', load: async () => (await import('./commands/test.js')).registerTest },
  { name: 'assert', load: async () => (await import('./commands/assert.js')).registerAssert },
  { name: 'calibrate', load: async () => (await import('./commands/calibrate.js')).registerCalibrate },
];

const VERSION_FLAGS = new Set(['-V', '-v', '--version']);

/** Builds the `heapgate` program with the commands `argv` needs (all of them for help or unknown input). */
export async function buildProgram(
  argv: readonly string[] = [],
  exit: ExitStatus = { code: ExitCode.ok },
): Promise<Command> {
  const program = new Command('heapgate')
    .description('Catch .NET memory regressions: analyse .gcdump files, dumps and SOS output.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const args = argv.slice(2);
  const first = args.find((a) => !a.startsWith('-'));
  // `heapgate --version` needs no command module: it is the cold-start figure users see first.
  const versionOnly = first === undefined && args.length > 0 && args.every((a) => VERSION_FLAGS.has(a));
  const wanted = COMMANDS.filter((c) => c.name === first);
  if (!versionOnly)
    for (const command of wanted.length > 0 ? wanted : COMMANDS) (await command.load())(program, exit);
  return program;
}

/**
 * Runs the CLI and returns the process exit code: 0 ok, 1 gate failed, 2 usage or input error,
 * 3 internal error (a bug; reported as one line and a hint to report it).
 */
export async function main(argv: string[]): Promise<number> {
  const exit: ExitStatus = { code: ExitCode.ok };
  const args = argv.slice(2);
  // `-v` is what most CLIs answer; commander takes one short flag, so it is read as `-V`.
  if (args.length > 0 && args.every((a) => VERSION_FLAGS.has(a))) argv = [...argv.slice(0, 2), '--version'];
  const first = args.find((a) => !a.startsWith('-'));
  try {
    const program = await buildProgram(argv, exit);
    if (args.length === 0) {
      // Bare `heapgate` is a usage error: a script that forgot its arguments must not pass.
      process.stderr.write(program.helpInformation());
      return ExitCode.usage;
    }
    if (first !== undefined && first !== 'help' && !program.commands.some((c) => c.name() === first)) {
      process.stderr.write(`error: unknown command '${first}'\n(run heapgate --help for usage)\n`);
      return ExitCode.usage;
    }
    await program.parseAsync(argv);
    return exit.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed what they had to.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
      if (err.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    return reportError(err, (text) => process.stderr.write(text));
  }
}
