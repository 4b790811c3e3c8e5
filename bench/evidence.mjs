#!/usr/bin/env node
// Times GC-root evidence on one snapshot: loading, then each graph pass (referrers, root-path
// tree, dominators, retained sizes, path signatures, clusters for the top types by bytes), and
// prints wall time per phase and the process's peak RSS.
//
//   node bench/evidence.mjs <file.gcdump> [--top N]      (run `npm run build` first)
import { performance } from 'node:perf_hooks';
import { loadSnapshot } from '../build/snapshot/load.js';
import { graphAnalysis } from '../build/graph/analysis.js';
import { buildTypeEvidence, retainedByType } from '../build/graph/evidence.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 5;
if (!file) {
  console.error('usage: node bench/evidence.mjs <file.gcdump> [--top N]');
  process.exit(2);
}

const phases = [];
async function phase(name, fn) {
  const start = performance.now();
  const value = await fn();
  phases.push([name, performance.now() - start]);
  return value;
}

const snapshot = await phase('load', () => loadSnapshot(file));
const analysis = graphAnalysis(snapshot);
await phase('referrers', () => analysis.reverse());
await phase('root-path tree', () => analysis.tree());
await phase('dominators', () => analysis.dominators());
await phase('retained sizes', () => analysis.retained());
await phase('retained by type', () => retainedByType(snapshot));
await phase('path signatures', () => analysis.signatures());
const types = snapshot.stats.slice(0, top).map((s) => s.name);
const evidence = await phase(`clusters (top ${types.length} types)`, () =>
  buildTypeEvidence(snapshot, types, { maxClusters: 3, accumulation: false }),
);
// The same evidence with accumulation points (search, merged clusters, preferred paths): the
// difference to the phase above is what the accumulation points cost.
const withPoints = await phase(`evidence + accumulation`, () =>
  buildTypeEvidence(snapshot, types, { maxClusters: 3 }),
);
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const total = phases.reduce((s, [, ms]) => s + ms, 0);
const graphTotal = total - phases[0][1];
const accumulationMs = phases[phases.length - 1][1] - phases[phases.length - 2][1];
const peakMiB = process.resourceUsage().maxRSS / 1024;
const nodes = snapshot.graph.nodeCount;
const edges = snapshot.graph.firstEdge[nodes];
console.log(`${file}: ${nodes.toLocaleString('en-US')} nodes, ${edges.toLocaleString('en-US')} edges`);
for (const [name, ms] of phases) console.log(`  ${name.padEnd(26)} ${fmt(ms).padStart(9)}`);
console.log(`  ${'graph analysis'.padEnd(26)} ${fmt(graphTotal).padStart(9)}`);
console.log(`  ${'total'.padEnd(26)} ${fmt(total).padStart(9)}`);
const withoutMs = graphTotal - phases[phases.length - 1][1];
console.log(
  `  ${'accumulation points add'.padEnd(26)} ${fmt(accumulationMs).padStart(9)} = ${((100 * accumulationMs) / withoutMs).toFixed(1)}% of ${fmt(withoutMs)} evidence time without them`,
);
console.log(`  ${'peak RSS'.padEnd(26)} ${`${peakMiB.toFixed(0)} MiB`.padStart(9)}`);
for (const ev of withPoints) {
  const point = ev.accumulation?.[0];
  if (point) console.log(`  ${ev.type}: ${point.count.toLocaleString('en-US')} ${point.summary}`);
}
for (const ev of evidence) {
  const first = ev.clusters[0];
  console.log(
    `  ${ev.type}: ${ev.instances.toLocaleString('en-US')} instances; ${first ? first.signature : '-'}`,
  );
}
