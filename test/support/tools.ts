/** The reference .NET tools, run on snapshot files, as independent oracles for tests. */
import { runCommand, tailLines } from '../../src/tools/run.js';
import { requireTool } from '../../src/tools/discovery.js';

/** Raw stdout of `dotnet-gcdump report <file>` (heap stats: count and one-instance size per type). */
export async function gcdumpReport(file: string): Promise<string> {
  return runTool(requireTool('dotnet-gcdump'), ['report', file], 'dotnet-gcdump report');
}

/** Raw stdout of `dotnet-dump analyze <dumpFile> -c "<cmd>" ... -c exit`. */
export async function dumpAnalyze(dumpFile: string, commands: readonly string[]): Promise<string> {
  const args = ['analyze', dumpFile, ...commands.flatMap((cmd) => ['-c', cmd]), '-c', 'exit'];
  return runTool(requireTool('dotnet-dump'), args, 'dotnet-dump analyze');
}

async function runTool(tool: string, args: string[], what: string): Promise<string> {
  const result = await runCommand(tool, args, { timeoutMs: 600_000 });
  if (result.code !== 0 || result.timedOut) {
    const output = tailLines(result.stderr + '\n' + result.stdout, 20).join('\n');
    throw new Error(
      `${what} failed (exit code ${result.code}${result.signal ? `, signal ${result.signal}` : ''}${result.timedOut ? ', timed out' : ''}):\n${output}`,
    );
  }
  return result.stdout;
}
