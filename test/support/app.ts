/** Where the test .NET apps live and how to bring their builds up to date. */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, tailLines } from '../../src/tools/run.js';
import { findTool } from '../../src/tools/discovery.js';
import { withDirLock } from './lock.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Folder of the LeakScenarios project. */
export const scenarioAppDir = resolve(here, '..', 'apps', 'LeakScenarios');

/** Path of the built LeakScenarios.dll (run it with `dotnet <dll> <scenario> ...`). */
export function scenarioAppDll(): string {
  return join(scenarioAppDir, 'bin', 'Release', 'net10.0', 'LeakScenarios.dll');
}

/** A .NET project under test/apps: its folder, project file and built dll. */
export interface DotnetApp {
  dir: string;
  project: string;
  dll: string;
}

/** The LeakScenarios app. */
export function scenarioApp(): DotnetApp {
  return {
    dir: scenarioAppDir,
    project: join(scenarioAppDir, 'LeakScenarios.csproj'),
    dll: scenarioAppDll(),
  };
}

/** Builds the LeakScenarios app unless it is up to date. */
export function buildScenarioApp(): Promise<void> {
  return buildDotnetApp(scenarioApp());
}

/**
 * Builds an app with `dotnet build -c Release` (restoring its NuGet packages) unless the dll is
 * newer than every source file.
 */
export async function buildDotnetApp(app: DotnetApp): Promise<void> {
  const isUpToDate = () => upToDate(app);
  if (isUpToDate()) return;
  const dotnet = findTool('dotnet');
  if (dotnet === undefined) {
    throw new Error(
      'The tests need the .NET 10 SDK: `dotnet` was not found on PATH (see https://dot.net/download).',
    );
  }
  const objDir = join(app.dir, 'obj');
  mkdirSync(objDir, { recursive: true });
  await withDirLock(join(objDir, '.heapgate-build.lock'), async () => {
    if (isUpToDate()) return;
    const result = await runCommand(
      dotnet,
      [
        'build',
        app.project,
        '-c',
        'Release',
        '--nologo',
        '-v',
        'q',
        '--disable-build-servers',
        '-nodeReuse:false',
      ],
      {
        cwd: app.dir,
        timeoutMs: 600_000,
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
      },
    );
    if (result.code !== 0 || !isUpToDate()) {
      const output = tailLines(result.stdout + '\n' + result.stderr, 30).join('\n');
      throw new Error(
        `Building ${app.project} failed (dotnet build exit code ${result.code}${result.timedOut ? ', timed out' : ''}):\n${output}`,
      );
    }
  });
}

function upToDate(app: DotnetApp): boolean {
  let built: number;
  try {
    built = statSync(app.dll).mtimeMs;
  } catch {
    return false;
  }
  return newestSource(app.dir) <= built;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== 'bin' && entry.name !== 'obj' && !entry.name.startsWith('.'))
        newest = Math.max(newest, newestSource(join(dir, entry.name)));
    } else if (/\.(cs|csproj|props|targets)$/.test(entry.name)) {
      newest = Math.max(newest, statSync(join(dir, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** The Heapgate.Testing library and its example suites (dotnet/). */
export const dotnetDir = resolve(here, '..', '..', 'dotnet');

/** The example test suites, each with a clean and a leaking memory test. */
export const EXAMPLE_SUITES = ['CartService.Tests', 'Inventory.NUnitTests', 'Billing.MSTestTests'] as const;
export type ExampleSuite = (typeof EXAMPLE_SUITES)[number];

export function exampleSuiteDir(suite: ExampleSuite): string {
  return join(dotnetDir, 'examples', suite);
}

function exampleDll(suite: ExampleSuite): string {
  return join(exampleSuiteDir(suite), 'bin', 'Release', 'net10.0', `${suite}.dll`);
}

/**
 * Packs Heapgate.Testing and builds the example suites against the package
 * (scripts/build-dotnet.sh, as CI does) unless every suite is newer than every source under dotnet/.
 */
export async function buildDotnetExamples(): Promise<void> {
  const isUpToDate = () => {
    const newest = newestSource(dotnetDir);
    return EXAMPLE_SUITES.every((s) => {
      try {
        return statSync(exampleDll(s)).mtimeMs >= newest;
      } catch {
        return false;
      }
    });
  };
  if (isUpToDate()) return;
  const lockDir = join(dotnetDir, 'obj');
  mkdirSync(lockDir, { recursive: true });
  await withDirLock(join(lockDir, '.heapgate-build.lock'), async () => {
    if (isUpToDate()) return;
    const result = await runCommand(join(dotnetDir, '..', 'scripts', 'build-dotnet.sh'), [], {
      timeoutMs: 900_000,
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    });
    if (result.code !== 0 || !isUpToDate()) {
      const output = tailLines(result.stdout + '\n' + result.stderr, 30).join('\n');
      throw new Error(`scripts/build-dotnet.sh failed (exit code ${result.code}):\n${output}`);
    }
  });
}
