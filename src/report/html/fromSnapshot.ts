/** The HTML report of one snapshot (`heapgate report --html`): where the memory is and what holds it. */
import { graphAnalysis } from '../../graph/analysis.js';
import { retainedByType } from '../../graph/evidence.js';
import { rootLabel, toRetentionPath } from '../../graph/retentionPath.js';
import { topRetainers } from '../../graph/retained.js';
import { pathTo } from '../../graph/rootPaths.js';
import { NodeFlag, type HeapSnapshot } from '../../model/snapshot.js';
import { stripSizeBucket } from '../../model/typeNames.js';
import { htmlStep } from './findings.js';
import { stepFactsForNodes } from './graphFacts.js';
import {
  HTML_LIMITS,
  HTML_REPORT_SCHEMA_VERSION,
  type HtmlPath,
  type HtmlReport,
  type HtmlTable,
} from './model.js';
import { buildTreemap } from './treemap.js';

export interface SnapshotHtmlOptions {
  tool: string;
  generatedAt: string;
}

export function snapshotHtmlReport(snapshot: HeapSnapshot, opts: SnapshotHtmlOptions): HtmlReport {
  const { meta, totals } = snapshot;
  const notes = meta.estimated ? meta.estimateReasons.map((r) => `estimated: ${r}`) : [];
  const retainedOf = snapshot.graph ? retainedByType(snapshot) : undefined;
  const table = statsTable(snapshot, retainedOf);
  if (table.totalRows > table.rows.length)
    notes.push(
      `The type table holds the ${table.rows.length.toLocaleString('en-US')} biggest of ${table.totalRows.toLocaleString('en-US')} types (by bytes), to keep this page small; heapgate stat --json lists them all.`,
    );
  const facts = [
    { label: 'File', value: meta.source },
    { label: 'Format', value: meta.format + (meta.creationTool ? ` (${meta.creationTool})` : '') },
    ...(meta.processName || meta.processId
      ? [
          {
            label: 'Process',
            value: [meta.processName, meta.processId ? `pid ${meta.processId}` : '']
              .filter(Boolean)
              .join(', '),
          },
        ]
      : []),
    ...(meta.collectedAt ? [{ label: 'Collected', value: meta.collectedAt }] : []),
    ...(meta.pointerSize ? [{ label: 'Pointer size', value: `${meta.pointerSize} bytes` }] : []),
    {
      label: 'Heap',
      value: `${totals.objects.toLocaleString('en-US')} objects, ${totals.bytes.toLocaleString('en-US')} bytes, ${snapshot.stats.length.toLocaleString('en-US')} types`,
    },
    ...(totals.unreachableObjects !== undefined
      ? [
          {
            label: 'Unreachable',
            value: `${totals.unreachableObjects.toLocaleString('en-US')} objects, ${(totals.unreachableBytes ?? 0).toLocaleString('en-US')} bytes (garbage the snapshot still held)`,
          },
        ]
      : []),
  ];
  const out: HtmlReport = {
    schemaVersion: HTML_REPORT_SCHEMA_VERSION,
    kind: 'snapshot',
    title: `heapgate — ${meta.source}`,
    tool: opts.tool,
    generatedAt: opts.generatedAt,
    headline: snapshot.graph
      ? 'Where the memory is, and what keeps it alive.'
      : 'Per-type statistics (this input has no object graph, so no retained sizes or root paths).',
    facts,
    notes,
    table,
  };
  if (snapshot.graph) {
    out.retainers = retainerPaths(snapshot);
    out.treemap = dominatorTreemap(snapshot);
  } else {
    out.treemap = buildTreemap(
      snapshot.stats.map((s) => ({ name: s.name, value: s.bytes })),
      { title: 'Where the heap is', measure: 'shallow bytes of all instances, by namespace and type' },
    );
  }
  return out;
}

function statsTable(snapshot: HeapSnapshot, retained: Map<string, number> | undefined): HtmlTable {
  const all = snapshot.stats;
  const kept = all.slice(0, HTML_LIMITS.tableRows);
  return {
    title: 'Types',
    columns: [
      { key: 'type', label: 'Type', kind: 'text' },
      { key: 'count', label: 'Count', kind: 'count' },
      { key: 'bytes', label: 'Bytes', kind: 'bytes' },
      ...(retained ? [{ key: 'retained', label: 'Retained', kind: 'bytes' as const }] : []),
      { key: 'average', label: 'Average size', kind: 'bytes' },
    ],
    rows: kept.map((s) => [
      s.name,
      s.count,
      s.bytes,
      ...(retained ? [retained.get(s.name) ?? 0] : []),
      s.count > 0 ? Math.round(s.bytes / s.count) : null,
    ]),
    totalRows: all.length,
    sort: { column: 2, descending: true },
  };
}

/**
 * Treemap of the dominator tree's top level: each object whose immediate dominator is a root
 * (not another object) with everything it keeps alive, summed per type. Those subtrees partition
 * the reachable heap, so the cells add up to it exactly.
 */
function dominatorTreemap(snapshot: HeapSnapshot) {
  const analysis = graphAnalysis(snapshot);
  const { graph } = analysis;
  const dom = analysis.dominators();
  const retained = analysis.retained();
  const names = snapshot.types.names;
  const byType = new Map<string, number>();
  const skip = NodeFlag.Pseudo | NodeFlag.Undefined;
  for (let i = 0; i < dom.reachable; i++) {
    const v = dom.order[i];
    if (v === graph.root || (graph.nodeFlags[v] & skip) !== 0) continue;
    const d = dom.idom[v];
    if (d !== graph.root && (graph.nodeFlags[d] & NodeFlag.Pseudo) === 0) continue;
    const name = stripSizeBucket(names[graph.nodeType[v]]);
    byType.set(name, (byType.get(name) ?? 0) + retained[v]);
  }
  return buildTreemap(
    [...byType].map(([name, value]) => ({ name, value })),
    {
      title: 'What keeps the heap alive',
      measure:
        'retained bytes of the objects held directly by a root (dominator subtrees), by namespace and type',
    },
  );
}

function retainerPaths(snapshot: HeapSnapshot): HtmlPath[] {
  const analysis = graphAnalysis(snapshot);
  const { graph } = analysis;
  const retained = analysis.retained();
  const tops = topRetainers(graph, analysis.dominators(), retained, HTML_LIMITS.retainers);
  const tree = analysis.tree();
  const paths: HtmlPath[] = [];
  const onPaths: number[] = [];
  const nodePaths = tops.map(({ node }) => pathTo(tree, graph.root, node));
  for (const p of nodePaths) if (p) onPaths.push(...p);
  const facts = stepFactsForNodes(snapshot, onPaths);
  tops.forEach(({ node }, i) => {
    const nodes = nodePaths[i];
    if (!nodes) return;
    const path = toRetentionPath(snapshot, nodes);
    const type = stripSizeBucket(snapshot.types.names[graph.nodeType[node]]);
    paths.push({
      title: type,
      root: rootLabel(path.rootKind, path.rootName),
      bytes: graph.nodeSize[node],
      retained: retained[node],
      steps: path.steps.map((s) => htmlStep(s, facts)),
    });
  });
  return paths;
}
