import type { Command } from 'commander';
import { decodeFinalizer } from '../../dumpinfo/finalizer.js';
import { renderFinalizerText } from '../../dumpinfo/finalizerText.js';
import { queryDump } from '../../formats/dump/dumpQuery.js';
import { jsonDocument } from '../jsonOutput.js';
import { parseCount } from '../options.js';

interface FinalizeQueueOptions {
  top: number;
  json?: boolean;
}

export function registerFinalizeQueue(program: Command): void {
  program
    .command('finalizequeue')
    .description(
      'objects of a full dump ready for finalization, by type, and the finalizer the finalizer thread is running (SOS !FinalizeQueue -allReady -stat)',
    )
    .argument('<dump>', 'a full memory dump (dotnet-dump collect, createdump, procdump -ma)')
    .option('--top <n>', 'how many types to list', parseCount, 30)
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: FinalizeQueueOptions) => {
      const queue = decodeFinalizer(
        await queryDump(file, 'finalizer', ['--top', String(opts.top)], { what: 'heapgate finalizequeue' }),
      );
      if (opts.json) {
        process.stdout.write(jsonDocument('finalizequeue', { source: file, ...queue }));
        return;
      }
      process.stdout.write(renderFinalizerText(queue, file));
    });
}
