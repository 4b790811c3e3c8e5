import type { Command } from 'commander';
import { selectStats } from '../../stats/selectStats.js';
import { renderStatText } from '../../report/statText.js';
import { statJson } from '../../report/statJson.js';
import { parseByteSize, parseCount } from '../options.js';
import { readSnapshot } from '../readSnapshot.js';

interface StatOptions {
  top?: number;
  type?: string;
  minBytes?: number;
  json?: boolean;
  retained?: boolean;
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
    .option('--retained', 'add retained bytes per type (dominator tree; needs an object graph, slower)')
    .option('--json', 'print one JSON document (schema in README)')
    .action(async (file: string, opts: StatOptions) => {
      const snap = await readSnapshot(file, { graph: opts.retained === true });
      let stats = snap.stats;
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
        process.stdout.write(JSON.stringify(statJson(snap, sel), null, 2) + '\n');
      } else {
        process.stdout.write(renderStatText(snap, sel, { retained: opts.retained }));
      }
    });
}
