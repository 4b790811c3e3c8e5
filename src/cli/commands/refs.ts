import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { findNodeByAddress, formatAddress, parseAddress } from '../../graph/addresses.js';
import { graphAnalysis, type GraphAnalysis } from '../../graph/analysis.js';
import { classifyRootName } from '../../graph/rootKinds.js';
import { formatCount, renderTable } from '../../graph/text.js';
import { NodeFlag } from '../../model/snapshot.js';
import { stripSizeBucket } from '../../model/typeNames.js';
import { parseCount } from '../options.js';
import { readSnapshot } from '../readSnapshot.js';
import { jsonDocument } from '../jsonOutput.js';

interface RefsOptions {
  address: string;
  limit: number;
  json?: boolean;
}

interface RefEntry {
  /** Absent for root pseudo-nodes. */
  address?: string;
  type: string;
  size: number;
  /** For root pseudo-nodes: the root kind in plain words. */
  root?: string;
}

export function registerRefs(program: Command): void {
  program
    .command('refs')
    .description('who references an object and what it references (with type and size)')
    .argument('<file>', 'a .gcdump (an object graph is needed)')
    .requiredOption('--address <addr>', 'object address (0x7f12..., as SOS prints it)')
    .option('--limit <n>', 'list at most this many of each', parseCount, 50)
    .option('--json', 'print JSON')
    .action(async (file: string, opts: RefsOptions) => {
      const snapshot = await readSnapshot(file);
      const analysis = graphAnalysis(snapshot);
      const address = parseAddress(opts.address);
      const node = findNodeByAddress(analysis.graph, address);
      if (node < 0) throw new UsageError(`${file}: no object at ${formatAddress(address)}`);
      const { firstRef, source } = analysis.reverse();
      const { firstEdge, edgeTarget } = analysis.graph;
      const referrers = distinct(source.subarray(firstRef[node], firstRef[node + 1])).map((v) =>
        entry(analysis, v),
      );
      const references = distinct(edgeTarget.subarray(firstEdge[node], firstEdge[node + 1])).map((v) =>
        entry(analysis, v),
      );
      const self = { ...entry(analysis, node), retained: analysis.retained()[node] };
      if (opts.json) {
        process.stdout.write(jsonDocument('refs', { object: self, referrers, references }));
        return;
      }
      const lines = [
        `${self.address} ${self.type} (${formatCount(self.size)} bytes, retained ${formatCount(self.retained)} bytes)`,
        '',
        `Referenced by (${referrers.length}):`,
        ...table(referrers, opts.limit),
        '',
        `References (${references.length}):`,
        ...table(references, opts.limit),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

/** Node indices in first-seen order without duplicates (gcdump keeps duplicate edges). */
function distinct(nodes: Uint32Array): number[] {
  return [...new Set(nodes)];
}

function entry(analysis: GraphAnalysis, v: number): RefEntry {
  const { graph, snapshot } = analysis;
  const name = snapshot.types.names[graph.nodeType[v]];
  if ((graph.nodeFlags[v] & NodeFlag.Pseudo) !== 0 || v === graph.root) {
    return { type: name, size: 0, root: classifyRootName(name).kind };
  }
  const e: RefEntry = { type: stripSizeBucket(name), size: graph.nodeSize[v] };
  if (graph.nodeAddress.of(v) !== 0) e.address = formatAddress(graph.nodeAddress.of(v));
  return e;
}

function table(entries: RefEntry[], limit: number): string[] {
  if (entries.length === 0) return ['  (none)'];
  const rows = entries
    .slice(0, limit)
    .map((e) => [e.address ?? '(root)', formatCount(e.size), e.root ? `${e.type} (${e.root})` : e.type]);
  const lines = renderTable(['Address', 'Bytes', 'Type'], rows).map((l) => `  ${l}`);
  if (entries.length > limit) lines.push(`  … ${entries.length - limit} more (raise --limit)`);
  return lines;
}
