/**
 * Finding (and optionally installing) the .NET diagnostics tools heapgate drives.
 *
 * Search order: $HEAPGATE_TOOLS_DIR, `<heapgate install dir>/.tools` (where `.ci/run` puts them),
 * PATH, then `~/.dotnet/tools` (where `dotnet tool install --global` puts them, often not on PATH).
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../errors.js';
import { runCommand, tailLines } from './run.js';

export type DiagnosticTool = 'dotnet-gcdump' | 'dotnet-dump' | 'dotnet-trace';

export interface ToolLookupOptions {
  env?: NodeJS.ProcessEnv;
  /** Root of the heapgate package; defaults to the directory holding heapgate's package.json. */
  packageRoot?: string;
  homeDir?: string;
}

interface SearchPlace {
  dir: string;
  describe: string;
}

const isWindows = process.platform === 'win32';
let cachedRoot: string | undefined;

/** The heapgate package directory, found from this module's location (not the working directory). */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (isFile(manifest) && readPackageName(manifest) === 'heapgate') return (cachedRoot = dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Bundled builds (the Action) have no package.json above them: fall back to two levels up.
  return (cachedRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
}

/** The project-local tool folder `dotnet tool install --tool-path` should use. */
export function defaultToolsDir(options: ToolLookupOptions = {}): string {
  const env = options.env ?? process.env;
  return env.HEAPGATE_TOOLS_DIR || join(options.packageRoot ?? packageRoot(), '.tools');
}

/** Full path of `name`, or undefined when it is in none of the searched places. */
export function findTool(
  name: DiagnosticTool | 'dotnet',
  options: ToolLookupOptions = {},
): string | undefined {
  for (const place of searchPlaces(name, options)) {
    if (place.dir === '') continue;
    for (const candidate of executableNames(name)) {
      const path = join(place.dir, candidate);
      if (isExecutable(path)) return path;
    }
  }
  return undefined;
}

/** Like findTool, but a missing tool is a ToolError that says where heapgate looked and how to install it. */
export function requireTool(name: DiagnosticTool, options: ToolLookupOptions = {}): string {
  const found = findTool(name, options);
  if (found !== undefined) return found;
  // One line for all of PATH: the list of folders is long and rarely the interesting part.
  const described = searchPlaces(name, options).map((p) =>
    p.describe.startsWith('PATH entry') ? '$PATH' : p.describe,
  );
  const places = [...new Set(described)].map((d) => `  - ${d}`).join('\n');
  throw new ToolError(
    `${name} was not found. Looked in:\n${places}\n` +
      `Install it with:  dotnet tool install --global ${name}\n` +
      `(or into a folder: dotnet tool install --tool-path <dir> ${name}, then set HEAPGATE_TOOLS_DIR=<dir>)`,
  );
}

export interface EnsureToolOptions extends ToolLookupOptions {
  /** Allow running `dotnet tool install --tool-path <dir> <name>` when the tool is missing. */
  install: boolean;
  /** Where to install; default $HEAPGATE_TOOLS_DIR or `<heapgate>/.tools`. */
  toolsDir?: string;
  timeoutMs?: number;
}

/** Returns the tool's path, installing it project-locally first when missing and allowed. */
export async function ensureTool(name: DiagnosticTool, options: EnsureToolOptions): Promise<string> {
  const found = findTool(name, options);
  if (found !== undefined) return found;
  if (!options.install) return requireTool(name, options);

  const dotnet = findTool('dotnet', options);
  if (dotnet === undefined) {
    throw new ToolError(
      `${name} is missing and cannot be installed: the dotnet SDK was not found on PATH or in $DOTNET_ROOT. ` +
        `Install the .NET SDK (https://dot.net/download), then: dotnet tool install --global ${name}`,
    );
  }
  const toolsDir = options.toolsDir ?? defaultToolsDir(options);
  const result = await runCommand(dotnet, ['tool', 'install', '--tool-path', toolsDir, name], {
    env: options.env,
    timeoutMs: options.timeoutMs ?? 300_000,
  });
  const installed = findToolIn(name, toolsDir);
  if (installed === undefined) {
    const detail = tailLines(result.stderr + '\n' + result.stdout).join('\n');
    throw new ToolError(
      `installing ${name} with "dotnet tool install --tool-path ${toolsDir} ${name}" failed` +
        `${result.timedOut ? ' (timed out)' : ` (exit code ${result.code})`}:\n${detail}`,
    );
  }
  return installed;
}

function findToolIn(name: string, dir: string): string | undefined {
  return executableNames(name)
    .map((candidate) => join(dir, candidate))
    .find(isExecutable);
}

function searchPlaces(name: string, options: ToolLookupOptions): SearchPlace[] {
  const env = options.env ?? process.env;
  const places: SearchPlace[] = [];
  if (name === 'dotnet') {
    if (env.DOTNET_ROOT) places.push({ dir: env.DOTNET_ROOT, describe: `$DOTNET_ROOT (${env.DOTNET_ROOT})` });
  } else {
    places.push(
      env.HEAPGATE_TOOLS_DIR
        ? { dir: env.HEAPGATE_TOOLS_DIR, describe: `$HEAPGATE_TOOLS_DIR (${env.HEAPGATE_TOOLS_DIR})` }
        : { dir: '', describe: '$HEAPGATE_TOOLS_DIR (not set)' },
    );
    const local = join(options.packageRoot ?? packageRoot(), '.tools');
    places.push({ dir: local, describe: `heapgate's project-local tools (${local})` });
  }
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (dir !== '') places.push({ dir, describe: `PATH entry ${dir}` });
  }
  if (name !== 'dotnet') {
    const global = join(options.homeDir ?? homedir(), '.dotnet', 'tools');
    places.push({ dir: global, describe: `global .NET tools (${global})` });
  }
  // Keep the "not set" line for the message, but never search the current directory through it.
  return places.filter((p) => p.dir !== '' || p.describe.endsWith('(not set)'));
}

function executableNames(name: string): string[] {
  return isWindows ? [`${name}.exe`, `${name}.cmd`, name] : [name];
}

function isExecutable(path: string): boolean {
  if (!path || !isFile(path)) return false;
  try {
    accessSync(path, isWindows ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readPackageName(manifest: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'name' in parsed &&
      typeof parsed.name === 'string'
    ) {
      return parsed.name;
    }
  } catch {
    // Not our package.json; keep walking up.
  }
  return undefined;
}
