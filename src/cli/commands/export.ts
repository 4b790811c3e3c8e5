/** `heapgate export` — a snapshot's object graph in another tool's format (Chrome DevTools' .heapsnapshot). */
import { Option, type Command } from 'commander';
import { exportHeapSnapshot } from '../../export/heapSnapshot.js';
import { readSnapshot } from '../readSnapshot.js';
import { writeChunksToFile, writeChunksToStdout } from '../writeChunks.js';

interface ExportOptions {
  format: 'heapsnapshot';
  output?: string;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'write the object graph of a .gcdump as a Chrome DevTools heap snapshot (Memory tab → Load): Summary, Comparison and Retainers on .NET heaps',
    )
    .argument('<file>', 'a .gcdump (or another input with an object graph)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['heapsnapshot']).default('heapsnapshot'),
    )
    .option('--output <file>', 'write to this file (e.g. heap.heapsnapshot) instead of stdout')
    .action(async (file: string, opts: ExportOptions) => {
      const snapshot = await readSnapshot(file);
      const out = exportHeapSnapshot(snapshot);
      const bytes = opts.output
        ? await writeChunksToFile(opts.output, out.chunks())
        : await writeChunksToStdout(out.chunks());
      const notes: string[] = [];
      if (snapshot.meta.estimated) {
        notes.push(
          `the snapshot is an estimate (${snapshot.meta.estimateReasons.join('; ')}); DevTools shows the objects it holds, unscaled`,
        );
      }
      if (!out.idsFromAddresses) {
        notes.push('object ids are positions, not addresses: Comparison matches no object between snapshots');
      }
      if (out.clampedSizes > 0) {
        notes.push(
          `${out.clampedSizes} objects of 4 GiB or more are written as 4 GiB - 1 byte (DevTools' limit)`,
        );
      }
      const where = opts.output ?? 'stdout';
      process.stderr.write(
        `heapgate export: ${where} (${bytes.toLocaleString('en-US')} bytes, ${snapshot.totals.objects.toLocaleString('en-US')} objects)\n`,
      );
      for (const note of notes) process.stderr.write(`heapgate export: note: ${note}\n`);
    });
}
