/**
 * Runs dotnet/Heapgate.DumpReader (ClrMD) on a full dump and reads the graph it writes.
 *
 * The helper is found at $HEAPGATE_DUMP_READER (the path of Heapgate.DumpReader.dll; `off`
 * turns the ClrMD path off), else where scripts/build-dotnet.sh builds it inside the heapgate
 * package. Without it, or without `dotnet`, dumps are read through dotnet-dump as before.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError } from '../../errors.js';
import { findTool, packageRoot } from '../../tools/discovery.js';
import { runCommand, tailLines } from '../../tools/run.js';
import type { TypeTotalsContent } from '../../model/content.js';
import { readClrmdGraph, type ClrmdGraph, type ClrmdGraphOptions } from './clrmdGraph.js';
import { readClrmdStats } from './clrmdStats.js';

export const DUMP_READER_RELATIVE = join(
  'dotnet',
  'Heapgate.DumpReader',
  'bin',
  'Release',
  'net10.0',
  'Heapgate.DumpReader.dll',
);

export interface DumpReaderLocation {
  dotnet: string;
  dll: string;
}

/** Where the helper and `dotnet` are, or why the ClrMD path cannot be used. */
export function findDumpReader(
  env: NodeJS.ProcessEnv = process.env,
): DumpReaderLocation | { missing: string } {
  const configured = env.HEAPGATE_DUMP_READER;
  if (configured === 'off') return { missing: 'HEAPGATE_DUMP_READER=off' };
  const dll = configured || join(packageRoot(), DUMP_READER_RELATIVE);
  if (!existsSync(dll)) {
    return {
      missing: configured
        ? `HEAPGATE_DUMP_READER names ${configured}, which does not exist`
        : `the ClrMD dump reader is not built (${DUMP_READER_RELATIVE}; scripts/build-dotnet.sh builds it)`,
    };
  }
  const dotnet = findTool('dotnet', { env });
  if (dotnet === undefined) return { missing: 'the .NET SDK or runtime (dotnet) is not on PATH' };
  return { dotnet, dll };
}

export interface ClrmdReadOptions extends ClrmdGraphOptions {
  timeoutMs?: number;
  location?: DumpReaderLocation;
}

/** Walks the dump with the helper and reads its graph; a ToolError says why when the helper fails. */
export async function readDumpWithClrmd(
  file: string,
  kind: 'elf-core' | 'minidump',
  opts: ClrmdReadOptions = {},
): Promise<ClrmdGraph> {
  return readClrmdGraph(await runDumpReader(file, [], opts), file, kind, opts);
}

/**
 * Per-type totals only: the helper marks live objects itself and writes a few bytes per type,
 * which is what `stat` and a gate's rules need (about half the time of carrying the graph).
 */
export async function readDumpStatsWithClrmd(
  file: string,
  kind: 'elf-core' | 'minidump',
  opts: ClrmdReadOptions = {},
): Promise<TypeTotalsContent> {
  return readClrmdStats(await runDumpReader(file, ['--stats'], opts), file, kind, opts);
}

async function runDumpReader(file: string, args: string[], opts: ClrmdReadOptions): Promise<Buffer> {
  const found = opts.location ?? findDumpReader();
  if ('missing' in found) throw new ToolError(`cannot read ${file} with ClrMD: ${found.missing}`);
  const dir = mkdtempSync(join(tmpdir(), 'heapgate-clrmd-'));
  try {
    const out = join(dir, 'graph.bin');
    const res = await runCommand(found.dotnet, [found.dll, file, '--out', out, ...args], {
      timeoutMs: opts.timeoutMs ?? 15 * 60 * 1000,
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    if (res.timedOut) {
      throw new ToolError(
        `Heapgate.DumpReader did not finish within ${Math.round((opts.timeoutMs ?? 0) / 1000)} s on ${file}`,
      );
    }
    if (res.code !== 0) {
      const why = tailLines(res.stderr, 5).join('\n') || `exit code ${res.code}`;
      throw new ToolError(`Heapgate.DumpReader could not read ${file}: ${why}`);
    }
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
