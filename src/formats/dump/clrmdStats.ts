/**
 * Per-type totals of a full dump as dotnet/Heapgate.DumpReader writes them with `--stats`: the
 * helper walks the heap, marks what the roots reach and sums live and dead objects per type, so
 * `dumpheap -stat [-live]` figures arrive without the object graph.
 */
import type { TypeTotalsContent } from '../../model/content.js';
import { clrmdMeta, Cursor, readStreamHeader } from './clrmdStream.js';

const STATS_MAGIC = 'HGCLRMS\0';
const TRAILER_MAGIC = 'HGCLRMS.';

export interface ClrmdStatsOptions {
  /** Count only objects some root reaches, as `dumpheap -live` and a .gcdump do (default true). */
  liveOnly?: boolean;
}

export function readClrmdStats(
  bytes: Uint8Array,
  file: string,
  dumpKind: 'elf-core' | 'minidump',
  opts: ClrmdStatsOptions = {},
): TypeTotalsContent {
  const c = new Cursor(bytes, `${file} (statistics stream of Heapgate.DumpReader)`, 'statistics');
  const header = readStreamHeader(c, STATS_MAGIC, 'statistics');
  const types = header.names.length;
  const liveOnly = opts.liveOnly ?? true;
  const count = new Float64Array(types);
  const bytesOf = new Float64Array(types);
  let objects = 0;
  let unreachableObjects = 0;
  let unreachableBytes = 0;
  c.need(32 * types, 'the per-type totals');
  for (let t = 0; t < types; t++) {
    const liveCount = c.u64(`the live count of type ${t}`);
    const liveBytes = c.u64(`the live bytes of type ${t}`);
    const deadCount = c.u64(`the dead count of type ${t}`);
    const deadBytes = c.u64(`the dead bytes of type ${t}`);
    objects += liveCount + deadCount;
    unreachableObjects += deadCount;
    unreachableBytes += deadBytes;
    count[t] = liveOnly ? liveCount : liveCount + deadCount;
    bytesOf[t] = liveOnly ? liveBytes : liveBytes + deadBytes;
  }
  const trailerAt = c.pos;
  if (c.ascii(8, 'the trailer') !== TRAILER_MAGIC)
    c.fail(trailerAt, 'the trailer magic is missing: the stream is corrupt');
  const walked = c.u64('the trailer object count');
  c.u32('the trailer root count');
  if (walked !== objects) {
    c.fail(trailerAt, `the trailer says ${walked} objects, the per-type totals add up to ${objects}`);
  }
  if (c.remaining !== 0) c.fail(c.pos, `${c.remaining} bytes follow the trailer`);
  return {
    kind: 'type-totals',
    meta: clrmdMeta(
      file,
      dumpKind,
      header,
      { objects, unreachableObjects, unreachableBytes, liveOnly },
      'per-type totals of the whole heap',
    ),
    types: { names: header.names, modules: header.modules },
    count,
    bytes: bytesOf,
    // Counted above only when garbage is included, as a graph read says.
    unreachableObjects: liveOnly ? 0 : unreachableObjects,
    unreachableBytes: liveOnly ? 0 : unreachableBytes,
  };
}
