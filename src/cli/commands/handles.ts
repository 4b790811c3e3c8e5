import type { Command } from 'commander';
import { decodeHandles, summarizeHandles } from '../../dumpinfo/handles.js';
import { renderHandlesText } from '../../dumpinfo/handlesText.js';
import { queryDump } from '../../formats/dump/dumpQuery.js';
import { jsonDocument } from '../jsonOutput.js';
import { parseCount } from '../options.js';

interface HandlesOptions {
  top: number;
  all?: boolean;
  json?: boolean;
}

export function registerHandles(program: Command): void {
  program
    .command('handles')
    .description(
      'GC handles of a full dump by kind and by target type, the ones keeping objects alive or pinned first (SOS !GCHandles -stat, SOSEX !gch)',
    )
    .argument('<dump>', 'a full memory dump (dotnet-dump collect, createdump, procdump -ma)')
    .option('--top <n>', 'how many kind/type rows to list', parseCount, 30)
    .option('--all', 'list weak and dependent handles too')
    .option('--json', 'print one JSON document (every handle)')
    .action(async (file: string, opts: HandlesOptions) => {
      const handles = decodeHandles(await queryDump(file, 'handles', [], { what: 'heapgate handles' }));
      const summary = summarizeHandles(handles);
      if (opts.json) {
        process.stdout.write(jsonDocument('handles', { source: file, ...summary, list: handles }));
        return;
      }
      process.stdout.write(renderHandlesText(summary, { top: opts.top, all: opts.all === true }));
    });
}
