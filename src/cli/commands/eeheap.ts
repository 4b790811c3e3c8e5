import type { Command } from 'commander';
import { decodeEEHeap, summarizeEEHeap } from '../../dumpinfo/eeheap.js';
import { renderEEHeapText } from '../../dumpinfo/eeheapText.js';
import { queryDump } from '../../formats/dump/dumpQuery.js';
import { jsonDocument } from '../jsonOutput.js';

interface EEHeapOptions {
  segments?: boolean;
  json?: boolean;
}

export function registerEEHeap(program: Command): void {
  program
    .command('eeheap')
    .description(
      'GC heap layout of a full dump: per-generation allocated, committed and free bytes and fragmentation, LOH/POH, and each segment (SOS !EEHeap -gc, !HeapStat)',
    )
    .argument('<dump>', 'a full memory dump (dotnet-dump collect, createdump, procdump -ma)')
    .option('--segments', 'list every segment (region) too, as !EEHeap -gc does')
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: EEHeapOptions) => {
      const heap = decodeEEHeap(await queryDump(file, 'eeheap', [], { what: 'heapgate eeheap' }));
      const summary = summarizeEEHeap(heap);
      if (opts.json) {
        process.stdout.write(
          jsonDocument('eeheap', {
            source: file,
            server: summary.server,
            heapCount: summary.heapCount,
            regions: summary.regions,
            generations: summary.areas,
            total: summary.total,
            segments: heap.segments,
          }),
        );
        return;
      }
      process.stdout.write(renderEEHeapText(heap, summary, { segments: opts.segments === true }));
    });
}
