import type { Command } from 'commander';
import { selectStats } from '../../stats/selectStats.js';
import { renderStatText } from '../../report/statText.js';
import { statJson } from '../../report/statJson.js';
import { parseByteSize, parseCount } from '../options.js';
import { readSnapshot } from '../readSnapshot.js';
import { computeTypeStats, type ObjectSizeRange } from '../../stats/typeStats.js';
import type { HeapSnapshot, TypeStat } from '../../model/snapshot.js';
import { UsageError } from '../../errors.js';
import { formatInt } from '../../report/format.js';
import { reachableFromRoot } from '../../graph/reachable.js';

interface StatOptions {
  minObject?: number;
  maxObject?: number;
  top?: number;
  type?: string;
  minBytes?: number;
  json?: boolean;
  retained?: boolean;
  unreachable?: boolean;
  strings?: boolean;
  collections?: boolean;
  live?: boolean;
  dead?: boolean;
  mt?: string;
}

export function registerStat(program: Command): void {
  program
    .command('stat')
    .description('per-type instance count and total bytes, like SOS !DumpHeap -stat (sorted by bytes)')
    .argument('<file>', 'a .gcdump, a full memory dump, or SOS/dotnet-gcdump text output')
    .option('--top <n>', 'show only the N biggest types', parseCount)
    .option('--type <pattern>', 'only types whose name contains this text, or matches this glob (* and ?)')
    .option(
      '--min-bytes <size>',
      'only types with at least this many bytes in total (e.g. 4096, 1MB)',
      parseByteSize,
    )
    .option(
      '--min-object <size>',
      'count only objects at least this big each, like SOS !DumpHeap -min (a .gcdump or a full dump; e.g. 85000)',
      parseByteSize,
    )
    .option(
      '--max-object <size>',
      'count only objects at most this big each, like SOS !DumpHeap -max (a .gcdump or a full dump)',
      parseByteSize,
    )
    .option(
      '--unreachable',
      'also count objects no root reaches (a .gcdump: a reachability pass, slower than the plain streaming read)',
    )
    .option(
      '--strings',
      'duplicate strings of a full dump: copies, wasted bytes and the fields holding them, like SOS !DumpHeap -strings',
    )
    .option(
      '--collections',
      'empty collections keeping storage and sparse reference arrays of a full dump, by holding field and by type (what max-empty-collections and max-sparse-array-waste judge)',
    )
    .option(
      '--mt <methodtable>',
      'only the type with this method table (hex, as SOS prints it), like SOS !DumpHeap -mt (a full dump)',
    )
    .option('--live', 'only objects reachable from a root (the default without --unreachable)')
    .option(
      '--dead',
      'only objects no root reaches: garbage a full dump still holds, like SOS !DumpHeap -dead (thread-static roots count as roots)',
    )
    .option('--retained', 'add retained bytes per type (dominator tree; needs an object graph, slower)')
    .option('--json', 'print one JSON document (schema in README)')
    .action(async (file: string, opts: StatOptions) => {
      if (opts.strings && opts.collections)
        throw new UsageError('--strings and --collections exclude each other');
      if (opts.strings) {
        await statStrings(file, opts);
        return;
      }
      if (opts.collections) {
        await statCollections(file, opts);
        return;
      }
      if ([opts.live, opts.dead, opts.unreachable].filter(Boolean).length > 1)
        throw new UsageError('--live, --dead and --unreachable exclude each other');
      const bySize = opts.minObject !== undefined || opts.maxObject !== undefined;
      const snap = await readSnapshot(file, {
        graph: opts.retained === true || bySize || opts.dead === true,
        unreachable: opts.unreachable === true,
        // A full dump holds garbage too: counted with --unreachable, alone with --dead.
        liveOnly: opts.dead !== true && opts.unreachable !== true,
      });
      // The method table names a type of this dump only: ask the dump, then keep that type's row.
      const mtType = opts.mt === undefined ? undefined : await typeOfMethodTable(file, opts.mt);
      let stats = snap.stats;
      if (opts.dead) stats = deadStats(snap, file, { min: opts.minObject, max: opts.maxObject });
      else if (bySize) stats = statsByObjectSize(snap, file, { min: opts.minObject, max: opts.maxObject });
      if (mtType !== undefined) {
        stats = stats.filter((s) => s.name === mtType.name);
        snap.meta.notes.push(
          `only method table ${mtType.methodTable} (${mtType.name}), as SOS !DumpHeap -mt`,
        );
      }
      if (opts.retained) {
        // The graph passes are loaded only when asked for: plain `stat` stays a lean read.
        const { requireGraph } = await import('../../graph/requireGraph.js');
        const { retainedByType } = await import('../../graph/evidence.js');
        requireGraph(snap);
        const retained = retainedByType(snap);
        stats = stats.map((s) => ({ ...s, retained: retained.get(s.name) ?? 0 }));
      }
      const sel = selectStats(stats, {
        type: opts.type,
        minBytes: opts.minBytes,
        top: opts.top,
        byRetained: opts.retained,
      });
      if (opts.json) {
        const range = bySize
          ? {
              ...(opts.minObject !== undefined ? { min: opts.minObject } : {}),
              ...(opts.maxObject !== undefined ? { max: opts.maxObject } : {}),
            }
          : undefined;
        process.stdout.write(JSON.stringify(statJson(snap, sel, range), null, 2) + '\n');
      } else {
        process.stdout.write(renderStatText(snap, sel, { retained: opts.retained }));
      }
    });
}

/** Per-type statistics of the objects no root reaches (within a size range). */
function deadStats(snap: HeapSnapshot, file: string, range: ObjectSizeRange): TypeStat[] {
  if (!snap.graph)
    throw new UsageError(
      `--dead needs the object graph to tell garbage from live objects, and ${file} (${snap.meta.format}) has per-type totals only; ` +
        `give a full dump read with ClrMD, or run SOS itself: dumpheap -stat -dead`,
    );
  const live = reachableFromRoot(snap.graph);
  const dead = live.map((x) => (x === 0 ? 1 : 0));
  checkRange(range);
  snap.meta.notes.push(
    snap.meta.format === 'gcdump'
      ? 'only objects no root reaches: a .gcdump is written after a full GC, so at most a few'
      : 'only objects no root reaches (garbage not yet collected), as SOS !DumpHeap -dead',
  );
  if (range.min !== undefined || range.max !== undefined) snap.meta.notes.push(rangeNote(range));
  return computeTypeStats(snap.types, snap.graph, range, dead);
}

function checkRange(range: ObjectSizeRange): void {
  if (range.min !== undefined && range.max !== undefined && range.min > range.max)
    throw new UsageError(`--min-object (${range.min}) is larger than --max-object (${range.max})`);
}

function rangeNote(range: ObjectSizeRange): string {
  const words = [
    range.min !== undefined ? `at least ${formatInt(range.min)}` : '',
    range.max !== undefined ? `at most ${formatInt(range.max)}` : '',
  ].filter(Boolean);
  return `only objects of ${words.join(' and ')} bytes each (as SOS !DumpHeap -min/-max)`;
}

/** The type (canonical name) of a method table of a full dump. */
async function typeOfMethodTable(file: string, mt: string): Promise<{ methodTable: string; name: string }> {
  const { queryDump } = await import('../../formats/dump/dumpQuery.js');
  const { parseAddress } = await import('../../dumpinfo/inspect.js');
  const { record, text } = await import('../../dumpinfo/answer.js');
  const { canonicalTypeName } = await import('../../model/typeNames.js');
  let hex: string;
  try {
    hex = parseAddress(mt);
  } catch {
    throw new UsageError(`--mt: '${mt}' is not a method table (hex, as SOS prints it, e.g. 7f3ddb27dd58)`);
  }
  const answer = record(await queryDump(file, 'type', ['--mt', hex], { what: 'heapgate stat --mt' }), 'type');
  return {
    methodTable: text(answer, 'methodTable', 'type'),
    name: canonicalTypeName(text(answer, 'name', 'type'), 'sos'),
  };
}

/** `stat --strings`: asks the ClrMD reader for duplicate strings of a full dump. */
async function statStrings(file: string, opts: StatOptions): Promise<void> {
  const { queryDump } = await import('../../formats/dump/dumpQuery.js');
  const { decodeStrings } = await import('../../dumpinfo/strings.js');
  const { renderStringsText } = await import('../../dumpinfo/stringsText.js');
  const { jsonDocument } = await import('../jsonOutput.js');
  const report = decodeStrings(
    await queryDump(file, 'strings', ['--top', String(opts.top ?? 20)], { what: 'heapgate stat --strings' }),
  );
  process.stdout.write(
    opts.json ? jsonDocument('stat', { source: file, strings: report }) : renderStringsText(report, file),
  );
}

/** `stat --collections`: asks the ClrMD reader for a full dump's empty collections and sparse arrays. */
async function statCollections(file: string, opts: StatOptions): Promise<void> {
  const { queryDump } = await import('../../formats/dump/dumpQuery.js');
  const { decodeCollections } = await import('../../dumpinfo/collections.js');
  const { renderCollectionsText } = await import('../../dumpinfo/collectionsText.js');
  const { jsonDocument } = await import('../jsonOutput.js');
  const report = decodeCollections(
    await queryDump(file, 'collections', ['--top', String(opts.top ?? 20)], {
      what: 'heapgate stat --collections',
    }),
  );
  process.stdout.write(
    opts.json
      ? jsonDocument('stat', { source: file, collections: report })
      : renderCollectionsText(report, file),
  );
}

/**
 * Per-type statistics of the objects within a size range. Per-object sizes come from the object
 * graph: text output of SOS or dotnet-gcdump has per-type totals only.
 */
function statsByObjectSize(snap: HeapSnapshot, file: string, range: ObjectSizeRange): TypeStat[] {
  checkRange(range);
  if (!snap.graph)
    throw new UsageError(
      `--min-object/--max-object filter single objects by size, and ${file} (${snap.meta.format}) has per-type totals only; ` +
        `give a .gcdump, or run SOS itself: dumpheap -stat -min <bytes> -max <bytes>`,
    );
  const stats = computeTypeStats(snap.types, snap.graph, range);
  snap.meta.notes.push(rangeNote(range));
  return stats;
}
