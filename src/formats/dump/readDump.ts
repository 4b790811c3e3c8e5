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
  // With -live, the plain walk runs first in the same session (it is fast next to -live): what
  // the live walk leaves unreached is then known per type (see missedByLiveWalk).
  const run = (suffix: string): Promise<string> =>
    analyzeDumpText(
      file,
      liveOnly ? [`dumpheap -stat -noprogress${suffix}`, `${base}${suffix}`] : [`${base}${suffix}`],
      options,
    );
  let command = base;
  let text = await run('');
  const reasons: string[] = [];
  if (NOT_WALKABLE.test(text)) {
    // The process was stopped in the middle of a GC; SOS can still walk, with less certainty.
    command = `${base} -ignoreGCState`;
    text = await run(' -ignoreGCState');
    reasons.push(
      'the dump was taken while a garbage collection was running; the heap was walked with -ignoreGCState',
    );
  }
  const [allText, liveText] = liveOnly ? splitAfterFirstTable(text) : [undefined, text];
  const table = parseDumpHeapStat(liveText, file);
  const missed =
    allText === undefined ? undefined : missedByLiveWalk(parseDumpHeapStat(allText, file), table);
  table.partialReasons.unshift(...reasons);
  table.pointerSize ??= info.pointerSize;
  table.notes.unshift(
    `${kind === 'elf-core' ? 'Linux core dump' : 'Windows minidump'}, read with dotnet-dump analyze '${command}'` +
      (liveOnly
        ? ' (live objects only, as in a .gcdump)'
        : ' (all objects, including garbage not yet collected)'),
  );
  const snapshot = dumpHeapTableToSnapshot(table, file, 'dump', 'dotnet-dump analyze');
  if (missed) {
    snapshot.meta.uncertainTypes = missed;
    snapshot.meta.notes.push(`warning: ${missed.reason}`);
  }
  return snapshot;
}

/** A type is suspect when the live walk leaves at least this many of its objects unreached... */
export const MISSED_MIN_OBJECTS = 1000;
/** ...and at least this share of them. */
export const MISSED_MIN_SHARE = 0.5;

/**
 * The text of two `dumpheap -stat` commands run in one session, split after the first table's
 * `Total N objects` line; [undefined, text] when there is no such line (the first walk failed).
 */
export function splitAfterFirstTable(text: string): [string | undefined, string] {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => /^\s*Total\s+[\d,]+\s+objects/i.test(l));
  if (end < 0) return [undefined, text];
  return [lines.slice(0, end + 1).join('\n'), lines.slice(end + 1).join('\n')];
}

/**
 * Compares the plain heap walk with the live walk, per method table. Garbage the GC has not
 * collected yet is expected; but when the live walk leaves most instances of a type unreached
 * (at least MISSED_MIN_OBJECTS objects and MISSED_MIN_SHARE of the type), the likelier cause is a
 * root the walk did not see — dotnet-dump 10 does not follow .NET 10 thread-static roots — and
 * then a leak can be missing from the live counts. Returns those types (canonical names) and why,
 * or undefined: rules that cover them are then inconclusive.
 */
export function missedByLiveWalk(
  all: DumpHeapTable,
  live: DumpHeapTable,
): { names: string[]; reason: string } | undefined {
  const liveByMt = new Map<string, number>();
  for (const r of live.rows)
    liveByMt.set(r.mt.toLowerCase(), (liveByMt.get(r.mt.toLowerCase()) ?? 0) + r.count);
  const suspects: { name: string; dead: number; total: number; bytes: number }[] = [];
  for (const r of all.rows) {
    if (r.name === 'Free') continue;
    const dead = r.count - (liveByMt.get(r.mt.toLowerCase()) ?? 0);
    if (dead >= MISSED_MIN_OBJECTS && dead >= MISSED_MIN_SHARE * r.count) {
      suspects.push({ name: r.name, dead, total: r.count, bytes: Math.round((r.bytes * dead) / r.count) });
    }
  }
  if (suspects.length === 0) return undefined;
  suspects.sort((a, b) => b.dead - a.dead || a.name.localeCompare(b.name));
  const n = (v: number): string => v.toLocaleString('en-US');
  const listed = suspects
    .slice(0, 5)
    .map((s) => `${JSON.stringify(s.name)} ${n(s.dead)} of ${n(s.total)}`)
    .join(', ');
  const more = suspects.length > 5 ? ` and ${suspects.length - 5} more types` : '';
  const reason =
    `dotnet-dump's live walk left most objects of ${suspects.length === 1 ? 'a type' : `${suspects.length} types`} unreached ` +
    `(${listed}${more}; threshold: ${n(MISSED_MIN_OBJECTS)} objects and ${MISSED_MIN_SHARE * 100}% of the type): ` +
    'either garbage or objects held by roots the walk does not see (dotnet-dump 10 misses .NET 10 thread-static roots), ' +
    'so live counts of these types may be too low; read the dump with the ClrMD reader (scripts/build-dotnet.sh) for a conclusive verdict';
  return { names: [...new Set(suspects.map((x) => canonicalTypeName(x.name, 'sos')))], reason };
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
