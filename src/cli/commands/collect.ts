/**
 * `heapgate collect` — snapshot a running process, or run a scenario command and snapshot it at
 * every checkpoint it announces (see the checkpoint protocol in README).
 */
import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { parseDuration } from '../../collect/duration.js';
import {
  collectFromPid,
  runAndCollect,
  type CollectRunResult,
  type CollectedSnapshot,
  type SnapshotKind,
} from '../../collect/session.js';
import type { DumpType } from '../../collect/collectors.js';
import type { ScenarioEnvMode } from '../../collect/scenarioEnv.js';
import { scenarioEnvOption } from '../scenarioEnvOption.js';
import { addProtocolOptions, protocolOf, type ProtocolCliOptions } from '../protocolOptions.js';
import { collectedLine } from '../progress.js';

interface CollectCliOptions extends ProtocolCliOptions {
  pid?: string;
  kind: 'gcdump' | 'dump' | 'both';
  dumpType: DumpType;
  out: string;
  checkpoints: string;
  timeout: string;
  totalTimeout?: string;
  collectTimeout?: string;
  force?: boolean;
  quiet?: boolean;
  scenarioEnv: ScenarioEnvMode;
  trace?: boolean;
}

export function registerCollect(program: Command): void {
  addProtocolOptions(program.command('collect'))
    .description(
      'collect .gcdump files and/or memory dumps from a process (--pid), or run a scenario command ' +
        '(after --) and collect at each "heapgate:checkpoint <label>" it prints',
    )
    .argument('[command...]', 'scenario command and its arguments, after --')
    .option('-p, --pid <pid>', 'collect once from this running .NET process')
    .addOption(
      new Option('-k, --kind <kind>', 'what to collect')
        .choices(['gcdump', 'dump', 'both'])
        .default('gcdump'),
    )
    .addOption(new Option('--dump-type <type>', 'memory dump type').choices(['full', 'heap']).default('full'))
    .option('-o, --out <dir>', 'folder for the snapshots and heapgate-collect.json', 'heapgate-snapshots')
    .option('--checkpoints <labels>', '"all", or comma-separated checkpoint labels to collect at', 'all')
    .option('--timeout <duration>', 'longest wait for each checkpoint (e.g. 90s, 5m)', '120s')
    .option('--total-timeout <duration>', 'longest time for the whole scenario run')
    .option('--collect-timeout <duration>', 'longest time for one snapshot (default 120s gcdump, 10m dump)')
    .option(
      '--trace',
      'also record the allocations between checkpoints (dotnet-trace: GC AllocationTick events with stacks) as <label>.nettrace, for heapgate allocs',
    )
    .option('-f, --force', 'overwrite existing snapshot files')
    .option('-q, --quiet', "do not echo the scenario's own output (to stderr)")
    .addOption(scenarioEnvOption())
    .addHelpText(
      'after',
      `
Examples:
  heapgate collect --pid 4242 --kind both -o snaps
  heapgate collect -o snaps -- dotnet MyScenario.dll --rounds 5
  heapgate collect --checkpoints warmup,round-5 --timeout 5m -- ./run-soak.sh

Prints the path of every file written (snapshots, then the manifest) on stdout.`,
    )
    .action(async (command: string[], options: CollectCliOptions) => {
      const result = await runCollect(command, options);
      for (const snapshot of result.snapshots) process.stdout.write(`${snapshot.file}\n`);
      for (const trace of result.traces) process.stdout.write(`${trace.file}\n`);
      process.stdout.write(`${result.manifestFile}\n`);
    });
}

async function runCollect(command: string[], options: CollectCliOptions): Promise<CollectRunResult> {
  const kinds: SnapshotKind[] = options.kind === 'both' ? ['gcdump', 'dump'] : [options.kind];
  const collectMs =
    options.collectTimeout === undefined
      ? undefined
      : parseDuration(options.collectTimeout, '--collect-timeout');
  const common = {
    kinds,
    dumpType: options.dumpType,
    outDir: options.out,
    force: options.force === true,
    onSnapshot: (s: CollectedSnapshot) => process.stderr.write(`${collectedLine(s)}\n`),
    onToolOutput: (text: string) => process.stderr.write(`${text}\n`),
  };

  if (options.pid !== undefined) {
    if (command.length > 0)
      throw new UsageError('give either --pid or a scenario command after --, not both');
    if (options.trace)
      throw new UsageError('--trace records between checkpoints: give a scenario command after --');
    if (!/^\d+$/.test(options.pid)) throw new UsageError(`--pid expects a process id, got "${options.pid}"`);
    return collectFromPid({ ...common, pid: Number(options.pid), timeouts: { collectMs } });
  }
  if (command.length === 0) {
    throw new UsageError(
      'nothing to collect from: give --pid <pid>, or a scenario command after -- (heapgate collect -- dotnet app.dll)',
    );
  }
  const checkpoints = parseCheckpoints(options.checkpoints);
  return runAndCollect({
    ...common,
    command: command[0],
    args: command.slice(1),
    checkpoints,
    timeouts: {
      checkpointMs: parseDuration(options.timeout, '--timeout'),
      totalMs:
        options.totalTimeout === undefined
          ? undefined
          : parseDuration(options.totalTimeout, '--total-timeout'),
      collectMs,
    },
    onOutput: options.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
    scenarioEnv: options.scenarioEnv,
    protocol: protocolOf(options),
    trace: options.trace === true,
  });
}

function parseCheckpoints(text: string): string[] | 'all' {
  if (text.trim() === 'all') return 'all';
  const labels = text
    .split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '');
  if (labels.length === 0)
    throw new UsageError(`--checkpoints expects "all" or comma-separated labels, got "${text}"`);
  return labels;
}
