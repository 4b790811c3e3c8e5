import type { Command } from 'commander';
import { analyseAllocations } from '../../allocs/analyse.js';
import { allocsJson, renderAllocsText } from '../../allocs/render.js';
import { typeFilter } from '../../model/typeMatch.js';
import { parseCount } from '../options.js';
import { readTraceFile } from '../readTrace.js';
import { jsonDocument } from '../jsonOutput.js';

interface AllocsOptions {
  type?: string;
  top?: number;
  stacks?: number;
  json?: boolean;
}

export function registerAllocs(program: Command): void {
  program
    .command('allocs')
    .description(
      'top allocating types and their allocation stacks from the GC AllocationTick events of an EventPipe trace (.nettrace)',
    )
    .argument(
      '<trace>',
      'a .nettrace recorded with the GC keyword at verbose level (heapgate collect --trace, dotnet-trace)',
    )
    .option('--type <pattern>', 'only types whose name contains this text, or matches this glob (* and ?)')
    .option('--top <n>', 'show only the N types with most estimated bytes (default 10)', parseCount)
    .option('--stacks <n>', 'stacks shown per type (default 3)', parseCount)
    .option('--json', 'print one JSON document')
    .action(async (arg: string, opts: AllocsOptions) => {
      const trace = await readTraceFile(arg);
      const report = analyseAllocations(trace, {
        type: opts.type === undefined ? undefined : typeFilter(opts.type),
        top: opts.top ?? 10,
        topStacks: opts.stacks ?? 3,
      });
      process.stdout.write(opts.json ? jsonDocument('allocs', allocsJson(report)) : renderAllocsText(report));
    });
}
