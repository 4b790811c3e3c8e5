/**
 * Full memory dumps (Linux core files, Windows minidumps) read through `dotnet-dump analyze`:
 * `dumpheap -stat` for per-type statistics, `dumpheap -mt <MT> -short` for sample objects and
 * `gcroot <address>` for evidence. The dump itself never passes through this process.
 */
import type { HeapSnapshot } from '../../model/snapshot.js';
import { canonicalTypeName } from '../../model/typeNames.js';
import { dumpHeapTableToSnapshot, parseDumpHeapStat, type DumpHeapTable } from '../sos/dumpheapStat.js';
import { parseGcRoot } from '../sos/gcroot.js';
import { normalizeAddress } from '../sos/text.js';
import { analyzeDump, analyzeDumpText, type AnalyzeOptions } from '../../tools/dotnetDump.js';
import type { SampleRoots } from '../source.js';
import { checkDumpFile, type DumpFileInfo } from './dumpFile.js';

export interface ReadDumpOptions extends AnalyzeOptions {
  /**
   * Count only objects reachable from roots (`dumpheap -live`), as a .gcdump does; default true.
   * A dump also holds garbage the GC has not collected yet, which varies from run to run.
   */
  liveOnly?: boolean;
}

const NOT_WALKABLE = /not in a valid state for traversal/i;

/** Per-type statistics of a full dump. `kind` comes from the caller's content sniffing. */
export async function readDump(
  file: string,
  kind: DumpFileInfo['kind'],
  options: ReadDumpOptions = {},
): Promise<HeapSnapshot> {
  const info = await checkDumpFile(file, kind);
  const liveOnly = options.liveOnly ?? true;
  const base = `dumpheap -stat${liveOnly ? ' -live' : ''} -noprogress`;
  let command = base;
  let text = await analyzeDumpText(file, [command], options);
  const reasons: string[] = [];
  if (NOT_WALKABLE.test(text)) {
    // The process was stopped in the middle of a GC; SOS can still walk, with less certainty.
    command = `${base} -ignoreGCState`;
    text = await analyzeDumpText(file, [command], options);
    reasons.push(
      'the dump was taken while a garbage collection was running; the heap was walked with -ignoreGCState',
    );
  }
  const table = parseDumpHeapStat(text, file);
  table.partialReasons.unshift(...reasons);
  table.pointerSize ??= info.pointerSize;
  table.notes.unshift(
    `${kind === 'elf-core' ? 'Linux core dump' : 'Windows minidump'}, read with dotnet-dump analyze '${command}'` +
      (liveOnly
        ? ' (live objects only, as in a .gcdump)'
        : ' (all objects, including garbage not yet collected)'),
  );
  return dumpHeapTableToSnapshot(table, file, 'dump', 'dotnet-dump analyze');
}

export interface DumpRootOptions extends ReadDumpOptions {
  /** Objects of the type to run gcroot on (default 3). */
  samples?: number;
}

/**
 * GC-root evidence for a type of a full dump: the method tables whose canonical name is
 * `typeName`, the first `samples` instances, and `gcroot` on each.
 */
export async function dumpRootPaths(
  file: string,
  kind: DumpFileInfo['kind'],
  typeName: string,
  options: DumpRootOptions = {},
): Promise<SampleRoots[]> {
  await checkDumpFile(file, kind);
  const live = (options.liveOnly ?? true) ? ' -live' : '';
  const wanted = canonicalTypeName(typeName);
  // Method tables do not depend on liveness: the plain walk is several times faster than -live.
  const table: DumpHeapTable = parseDumpHeapStat(
    await analyzeDumpText(file, ['dumpheap -stat -noprogress'], options),
    file,
  );
  const mts = table.rows
    .filter((r) => r.name !== 'Free' && canonicalTypeName(r.name, 'sos') === wanted)
    .map((r) => r.mt);
  if (mts.length === 0) return [];

  const limit = options.samples ?? 3;
  const addresses: string[] = [];
  for (const mt of mts) {
    if (addresses.length >= limit) break;
    await analyzeDump(
      file,
      [`dumpheap -mt ${mt} -short${live}`],
      (line) => {
        const t = line.trim();
        if (/^(?:0x)?[0-9a-f]{6,16}$/i.test(t)) addresses.push(t);
        return addresses.length >= limit ? 'stop' : undefined;
      },
      options,
    );
  }
  const picked = addresses.slice(0, limit);
  if (picked.length === 0) return [];
  const text = await analyzeDumpText(
    file,
    picked.map((a) => `gcroot ${a}`),
    options,
  );
  return splitGcRootOutputs(text, picked).map((chunk, i) => ({
    address: normalizeAddress(picked[i]),
    paths: parseGcRoot(chunk).paths,
  }));
}

/** `gcroot` on one object of a full dump (`heapgate roots <dump> --address A`). */
export async function dumpRootPathsOfAddress(
  file: string,
  kind: DumpFileInfo['kind'],
  address: string,
  options: AnalyzeOptions = {},
): Promise<SampleRoots> {
  await checkDumpFile(file, kind);
  const normalized = normalizeAddress(address);
  const text = await analyzeDumpText(file, [`gcroot ${normalized}`], options);
  return { address: normalized, paths: parseGcRoot(text).paths };
}

/** One gcroot output per address: each ends with its `Found N unique roots.` trailer. */
function splitGcRootOutputs(text: string, addresses: string[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    current.push(line);
    if (/^\s*Found\s+[\d,]+\s+(?:unique\s+)?roots?\b/i.test(line)) {
      chunks.push(current.join('\n'));
      current = [];
    }
  }
  while (chunks.length < addresses.length) chunks.push('');
  return chunks.slice(0, addresses.length);
}
