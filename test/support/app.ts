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

/** Folder of the LeakScenarios.Net8 project: the same sources, built for .NET 8. */
export const net8ScenarioAppDir = resolve(here, '..', 'apps', 'LeakScenarios.Net8');

/**
 * Where scripts/build-dotnet.sh publishes the .NET 8 build, self-contained for linux-x64: the
 * apphost `LeakScenarios` next to the .NET 8 runtime (and its libmscordaccore.so).
 */
export const net8ScenarioPublishDir = join(net8ScenarioAppDir, 'bin', 'linux-x64');

/** The published .NET 8 apphost (run it as `<apphost> <scenario> ...`, no `dotnet`). */
export function net8ScenarioAppHost(): string {
  return join(net8ScenarioPublishDir, 'LeakScenarios');
}

/** Restore errors that mean the .NET 8 runtime pack cannot be had here (no package, no feed). */
const UNRESTORABLE = /\b(NU1100|NU1101|NU1102|NU1103|NU1301|NETSDK1083|NETSDK1084|NETSDK1112)\b/;

/**
 * The .NET 8 build of the scenario app, published (self-contained, linux-x64) unless it is newer
 * than every source; `{ missing }` with the reason when it cannot run here: not linux-x64, or
 * the .NET 8 runtime pack cannot be restored (scripts/build-dotnet.sh then skips it too).
 */
export async function net8ScenarioApp(): Promise<{ apphost: string } | { missing: string }> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return {
      missing: `the .NET 8 build is published for linux-x64 only, not ${process.platform}-${process.arch}`,
    };
  const apphost = net8ScenarioAppHost();
  const dll = join(net8ScenarioPublishDir, 'LeakScenarios.dll');
  const isUpToDate = () => {
    try {
      statSync(apphost);
      return (
        Math.max(newestSource(scenarioAppDir), newestSource(net8ScenarioAppDir)) <= statSync(dll).mtimeMs
      );
    } catch {
      return false;
    }
  };
  if (isUpToDate()) return { apphost };
  const dotnet = findTool('dotnet');
  if (dotnet === undefined) return { missing: 'the .NET SDK (dotnet) is not on PATH' };
  const objDir = join(net8ScenarioAppDir, 'obj');
  mkdirSync(objDir, { recursive: true });
  return withDirLock(join(objDir, '.heapgate-build.lock'), async () => {
    if (isUpToDate()) return { apphost };
    const result = await runCommand(
      dotnet,
      [...NET8_PUBLISH_ARGS, '--disable-build-servers', '-nodeReuse:false'],
      {
        cwd: net8ScenarioAppDir,
        timeoutMs: 600_000,
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
      },
    );
    const output = tailLines(result.stdout + '\n' + result.stderr, 30).join('\n');
    if (result.code !== 0 && UNRESTORABLE.test(output))
      return { missing: `the .NET 8 runtime pack cannot be restored:\n${output}` };
    if (result.code !== 0 || !isUpToDate())
      throw new Error(
        `Publishing ${net8ScenarioAppDir} failed (dotnet publish exit code ${result.code}${result.timedOut ? ', timed out' : ''}):\n${output}`,
      );
    return { apphost };
  });
}

/** `dotnet publish` arguments of the .NET 8 build, as scripts/build-dotnet.sh passes them. */
const NET8_PUBLISH_ARGS = [
  'publish',
  join(net8ScenarioAppDir, 'LeakScenarios.Net8.csproj'),
  '-c',
  'Release',
  '-r',
  'linux-x64',
  '--self-contained',
  '-o',
  net8ScenarioPublishDir,
  '--nologo',
  '-v',
  'q',
];

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
