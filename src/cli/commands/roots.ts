import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { findNodeByAddress, formatAddress, parseAddress } from '../../graph/addresses.js';
import { graphAnalysis } from '../../graph/analysis.js';
import { buildTypeEvidence } from '../../graph/evidence.js';
import { toRetentionPath } from '../../graph/retentionPath.js';
import { allRootPaths, pathTo } from '../../graph/rootPaths.js';
import { renderRetentionPath, renderTypeEvidence } from '../../graph/text.js';
import { findGroup, type TypeGroups } from '../../graph/typeGroups.js';
import type { HeapSnapshot } from '../../model/snapshot.js';
import { typeFilter } from '../../model/typeMatch.js';
import { stripSizeBucket } from '../../model/typeNames.js';
import { detectFile, type DetectedFile } from '../../formats/registry.js';
import type { RootQuery, SampleRoots } from '../../formats/source.js';
import { parseCount } from '../options.js';
import { withInputFile } from '../inputFile.js';
import { readSnapshot } from '../readSnapshot.js';
import { jsonDocument } from '../jsonOutput.js';

interface RootsOptions {
  type?: string;
  address?: string;
  all?: boolean;
  limit: number;
  maxClusters: number;
  samples: number;
  json?: boolean;
}

export function registerRoots(program: Command): void {
  program
    .command('roots')
    .description('why objects are alive, like SOS !GCRoot: root paths for one object or clustered for a type')
    .argument(
      '<file>',
      'a .gcdump, a full memory dump (through dotnet-dump gcroot), or saved SOS gcroot output',
    )
    .option(
      '--type <name>',
      'cluster every instance of this type (name, substring or glob, as stat --type) by the shape of its root path',
    )
    .option(
      '--address <addr>',
      'show the root path of the object at this address (0x7f12..., as SOS prints it)',
    )
    .option('--all', 'with --address: one shortest path per distinct root, not only the preferred one')
    .option('--limit <n>', 'with --all: stop after this many paths', parseCount, 20)
    .option('--max-clusters <n>', 'with --type: clusters to show', parseCount, 10)
    .option('--samples <n>', 'full dumps with --type: objects to run gcroot on', parseCount, 3)
    .option('--json', 'print JSON (RetentionPath / TypeEvidence objects)')
    .action((file: string, opts: RootsOptions) =>
      // `-`, /dev/stdin and named pipes are read from a temporary copy; messages name `file`.
      withInputFile(file, (input) => runRoots(file, input.path, opts)),
    );
}

async function runRoots(file: string, path: string, opts: RootsOptions): Promise<void> {
  const input = await detectFile(path);
  const saved = await input.source.savedRootPaths?.(input);
  if (saved) {
    process.stdout.write(opts.json ? jsonDocument('roots', saved) : renderSamples([saved]));
    return;
  }
  if ((opts.type === undefined) === (opts.address === undefined)) {
    throw new UsageError('roots needs exactly one of --type <name> or --address <addr>');
  }
  if (input.source.rootPaths && input.source.hasGraph?.(input) !== true) {
    process.stdout.write(await rootsFromTool(input, input.source.rootPaths.bind(input.source), opts));
    return;
  }
  const snapshot = await readSnapshot(file);
  const out =
    opts.type !== undefined ? rootsOfType(snapshot, opts.type, opts) : rootsOfAddress(snapshot, opts);
  process.stdout.write(out);
}

/** Sources without a graph in memory (full dumps): root paths of sample objects, or of the one address. */
async function rootsFromTool(
  input: DetectedFile,
  rootPaths: (file: DetectedFile, query: RootQuery) => Promise<SampleRoots[]>,
  opts: RootsOptions,
): Promise<string> {
  const query: RootQuery =
    opts.type !== undefined
      ? { type: opts.type, samples: opts.samples }
      : { address: opts.address as string };
  const samples = await rootPaths(input, query);
  if (opts.type !== undefined && samples.length === 0) {
    throw new UsageError(`${input.path}: no instances of type '${opts.type}' in the ${input.source.name}`);
  }
  if (opts.json) return jsonDocument('roots', { samples });
  return renderSamples(samples);
}

function renderSamples(samples: readonly SampleRoots[]): string {
  const lines: string[] = [];
  for (const s of samples) {
    lines.push(`${s.address}: ${s.paths.length} root path${s.paths.length === 1 ? '' : 's'}`);
    for (const p of s.paths) lines.push(...renderRetentionPath(p, '  '));
    lines.push('');
  }
  return lines.join('\n');
}

function rootsOfType(snapshot: HeapSnapshot, query: string, opts: RootsOptions): string {
  const type = resolveType(snapshot, graphAnalysis(snapshot).groups(), query);
  const [evidence] = buildTypeEvidence(snapshot, [type], { maxClusters: opts.maxClusters });
  if (opts.json) return jsonDocument('roots', evidence);
  return renderTypeEvidence(evidence).join('\n') + '\n';
}

/**
 * `--type` as `stat --type` reads it: an exact name first, then a substring or glob. When several
 * types match, the one whose simple name is the text (`CacheEntry` → `App.CacheEntry`) wins;
 * otherwise the candidates are listed.
 */
function resolveType(snapshot: HeapSnapshot, groups: TypeGroups, query: string): string {
  if (findGroup(groups, query) >= 0) return query;
  const candidates = groups.names.filter(typeFilter(stripSizeBucket(query)));
  const wanted = `.${query.trim().toLowerCase()}`;
  const named = candidates.filter((name) => name.toLowerCase().endsWith(wanted));
  if (candidates.length === 1) return candidates[0];
  if (named.length === 1) return named[0];
  const source = snapshot.meta.source;
  if (candidates.length === 0) throw new UsageError(`${source}: no instances of type '${query}'`);
  const shown = candidates.slice(0, 10).join(', ');
  const more = candidates.length > 10 ? `, … (${candidates.length - 10} more)` : '';
  throw new UsageError(
    `${source}: '${query}' matches ${candidates.length} types: ${shown}${more}; pass the one you mean to --type`,
  );
}

function rootsOfAddress(snapshot: HeapSnapshot, opts: RootsOptions): string {
  const analysis = graphAnalysis(snapshot);
  const address = parseAddress(opts.address as string);
  const node = findNodeByAddress(analysis.graph, address);
  if (node < 0) {
    throw new UsageError(
      `${snapshot.meta.source}: no object at ${formatAddress(address)} (run 'heapgate roots --type <name>' to see sample addresses)`,
    );
  }
  const tree = analysis.tree();
  const nodes = opts.all
    ? allRootPaths(snapshot, tree, analysis.reverse(), node, { limit: opts.limit })
    : [pathTo(tree, analysis.graph.root, node)].filter((p): p is number[] => p !== null);
  const paths = nodes.map((p) => toRetentionPath(snapshot, p));
  const type = stripSizeBucket(snapshot.types.names[analysis.graph.nodeType[node]]);
  if (opts.json) return jsonDocument('roots', { address: formatAddress(address), type, paths });
  if (paths.length === 0) return `${formatAddress(address)} ${type} is not reachable from any root.\n`;
  const lines: string[] = [];
  for (const p of paths) lines.push(...renderRetentionPath(p), '');
  const limited = opts.all && paths.length >= opts.limit ? ` (stopped at --limit ${opts.limit})` : '';
  lines.push(`Found ${paths.length} root path${paths.length === 1 ? '' : 's'}${limited}.`);
  return lines.join('\n') + '\n';
}
