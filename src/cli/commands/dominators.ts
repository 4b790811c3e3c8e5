import type { Command } from 'commander';
import { formatAddress } from '../../graph/addresses.js';
import { graphAnalysis } from '../../graph/analysis.js';
import { topRetainers } from '../../graph/retained.js';
import { formatCount, renderTable } from '../../graph/text.js';
import { stripSizeBucket } from '../../model/typeNames.js';
import { parseCount } from '../options.js';
import { readSnapshot } from '../readSnapshot.js';
import { jsonDocument } from '../jsonOutput.js';

interface DominatorsOptions {
  top: number;
  json?: boolean;
}

export function registerDominators(program: Command): void {
  program
    .command('dominators')
    .description(
      'the objects that keep the most memory alive (retained size from the dominator tree; a run of same-type objects such as a linked list is listed once, by its head)',
    )
    .argument('<file>', 'a .gcdump (an object graph is needed)')
    .option('--top <n>', 'how many objects to list', parseCount, 20)
    .option('--json', 'print JSON')
    .action(async (file: string, opts: DominatorsOptions) => {
      const snapshot = await readSnapshot(file);
      const analysis = graphAnalysis(snapshot);
      const { graph } = analysis;
      const retained = analysis.retained();
      const rows = topRetainers(graph, analysis.dominators(), retained, opts.top).map(({ node }) => ({
        address: formatAddress(graph.nodeAddress.of(node)),
        type: stripSizeBucket(snapshot.types.names[graph.nodeType[node]]),
        shallow: graph.nodeSize[node],
        retained: retained[node],
      }));
      const reachableBytes = retained[graph.root];
      if (opts.json) {
        process.stdout.write(jsonDocument('dominators', { reachableBytes, dominators: rows }));
        return;
      }
      const pct = (x: number) => (reachableBytes > 0 ? `${((100 * x) / reachableBytes).toFixed(1)}%` : '-');
      const lines = renderTable(
        ['Retained', '%', 'Shallow', 'Address', 'Type'],
        rows.map((r) => [
          formatCount(r.retained),
          pct(r.retained),
          formatCount(r.shallow),
          r.address,
          r.type,
        ]),
      );
      lines.push('', `${formatCount(reachableBytes)} bytes reachable from the roots.`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
