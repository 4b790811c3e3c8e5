/**
 * `heapgate convert <dump> <out.gcdump>` — a full dump's live object graph as a .gcdump, like
 * PerfView's HeapSnapshotFromProcessDump: `dotnet-gcdump report`, PerfView and heapgate open it.
 */
import { link, lstat, rename, rm, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { exportGcdump } from '../../export/gcdump.js';
import { readSnapshot } from '../readSnapshot.js';

interface ConvertOptions {
  force?: boolean;
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description(
      "write a full dump's live object graph as a .gcdump that dotnet-gcdump report and PerfView open (PerfView's HeapSnapshotFromProcessDump)",
    )
    .argument('<dump>', 'a full memory dump (or another input with an object graph, e.g. a .gcdump)')
    .argument('<out>', 'the .gcdump to write')
    .option('--force', 'overwrite <out> if it exists')
    .action(async (file: string, out: string, opts: ConvertOptions) => {
      const existing = await lstat(out).catch(() => undefined);
      if (existing?.isDirectory()) throw new UsageError(`${out}: is a directory`);
      if (existing && opts.force !== true)
        throw new UsageError(`${out}: already exists; pass --force to overwrite it`);

      const snapshot = await readSnapshot(file, { graph: true });
      if (!snapshot.graph) {
        throw new UsageError(
          `${file}: read as per-type statistics only (${snapshot.meta.notes.slice(0, 2).join('; ')}); convert needs the object graph the ClrMD dump reader gives (scripts/build-dotnet.sh builds it)`,
        );
      }
      const result = exportGcdump(snapshot);

      // Written beside the target and moved into place when complete; without --force a file
      // that appeared meanwhile is not replaced (link fails when the name exists).
      const partial = `${out}.partial-${process.pid}`;
      try {
        await writeFile(partial, result.bytes);
        if (opts.force === true) await rename(partial, out);
        else {
          try {
            await link(partial, out);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === 'EEXIST')
              throw new UsageError(`${out}: already exists; pass --force to overwrite it`);
            throw e;
          }
        }
      } finally {
        await rm(partial, { force: true });
      }
      process.stderr.write(
        `heapgate convert: ${out} (${result.bytes.length.toLocaleString('en-US')} bytes, ` +
          `${result.objects.toLocaleString('en-US')} objects, ${result.nodes.toLocaleString('en-US')} nodes with the root pseudo-nodes)\n`,
      );
      if (snapshot.meta.estimated) {
        process.stderr.write(
          `heapgate convert: note: the source is an estimate (${snapshot.meta.estimateReasons.join('; ')})\n`,
        );
      }
      if (result.clampedSizes > 0) {
        process.stderr.write(
          `heapgate convert: note: ${result.clampedSizes} objects of 2 GiB or more are written as 2 GiB - 1 byte (the format's limit)\n`,
        );
      }
    });
}
