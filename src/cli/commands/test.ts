/**
 * `heapgate test -- dotnet test …`: memory assertions inside an existing test suite (the
 * Heapgate.Testing library), collected and judged by heapgate, reported for the whole run.
 */
import { Option, type Command } from 'commander';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { runTests } from '../../testrun/runTests.js';
import { renderTestJson, renderTestMarkdown, renderTestText } from '../../testrun/testReport.js';
import { VERSION } from '../../version.js';
import { parseDuration } from '../../collect/duration.js';
import { exists } from '../inputs.js';
import { ExitCode, type ExitStatus } from '../exitCodes.js';

interface TestCliOptions {
  out: string;
  format: 'text' | 'md' | 'json';
  name: string;
  force?: boolean;
  quiet?: boolean;
  collectTimeout: string;
}

export function registerTest(program: Command, exit: ExitStatus): void {
  program
    .command('test')
    .description(
      'run a test command (after --) whose tests use Heapgate.Testing: take their heap checkpoints, judge their memory assertions, report the run (exit 0 pass, 1 an assertion or the command failed, 2 usage error)',
    )
    .argument('<command...>', 'the test command and its arguments, after --')
    .option(
      '-o, --out <dir>',
      'folder for checkpoints, assertion reports, report.md and result.json',
      'heapgate-test',
    )
    .addOption(
      new Option('--format <format>', 'report on stdout').choices(['text', 'md', 'json']).default('text'),
    )
    .option('--name <name>', 'names this run in the PR comment marker and job summary', 'tests')
    .option('--collect-timeout <duration>', 'longest time for one checkpoint', '120s')
    .option('-f, --force', 'replace the report of an earlier run in --out')
    .option('-q, --quiet', "do not echo the test command's own output")
    .addHelpText(
      'after',
      `
Example:
  heapgate test -- dotnet test tests/MyApp.Tests

The test command runs with HEAPGATE_CHANNEL set; Heapgate.Testing's HeapCheckpoint.TakeAsync asks
heapgate for a .gcdump of the test host over it, and each HeapAssert is judged by heapgate's rules
engine. In GitHub Actions the markdown report is also added to the job summary.`,
    )
    .action(async (command: string[], opts: TestCliOptions) => {
      exit.code = await test(command, opts);
    });
}

async function test(command: string[], opts: TestCliOptions): Promise<number> {
  const [cmd, ...args] = command;
  if (cmd === undefined)
    throw new UsageError('test needs a command after --, e.g. heapgate test -- dotnet test');
  const resultFile = join(opts.out, 'result.json');
  if (!opts.force && (await exists(resultFile)))
    throw new UsageError(
      `${resultFile} exists from an earlier run; pass --force to replace it, or another --out`,
    );
  const report = await runTests({
    command: cmd,
    args,
    outDir: opts.out,
    tool: `heapgate ${VERSION}`,
    collectTimeoutMs: parseDuration(opts.collectTimeout, '--collect-timeout'),
    ...(opts.quiet ? { quiet: true } : {}),
  });
  const markdown = renderTestMarkdown(report, { name: opts.name, artifact: resultFile });
  await mkdir(opts.out, { recursive: true });
  await writeFile(resultFile, renderTestJson(report));
  await writeFile(join(opts.out, 'report.md'), markdown);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) await appendFile(summary, markdown);
  process.stdout.write(
    opts.format === 'json'
      ? renderTestJson(report)
      : opts.format === 'md'
        ? markdown
        : renderTestText(report),
  );
  return report.verdict === 'fail' ? ExitCode.gateFailed : ExitCode.ok;
}
