#!/usr/bin/env node
// Times GC-root evidence on one snapshot: loading, then each graph pass (referrers, root-path
// tree, dominators, retained sizes, path signatures, clusters for the top types by bytes, the
// accumulation-point search), and prints wall time per phase and the process's peak RSS.
//
// Then measures what accumulation points cost on top of evidence, with --runs R (default 5):
// - paired: R child processes, each loading the snapshot, timing the evidence for the top types
//   without points as `check` builds it (every graph pass from scratch), then the accumulation
//   search in the same process, as `check` runs it next (its first run there). The median of the
//   per-process ratios is the cost; pairing in one process keeps machine noise out of the ratio.
// - cold: 2R child processes, alternating which goes first (off, on, on, off, ...), each timing the
//   whole evidence with `accumulation: false` or `true` (end to end, but noisy on a busy machine);
// - warm: in this process, with the graph passes done, R pairs of evidence off/on in alternating
//   order; the median of the pairs' differences is the accumulation points' cost.
// Medians are printed.
//
// With --baseline <base.gcdump> it also times the evidence against that baseline's graph (each
// accumulation point's growth since; the baseline's load is a phase of its own): once with the
// baseline's graph passes, and in R warm runs after them (median).
//
//   node bench/evidence.mjs <file.gcdump> [--top N] [--runs R] [--baseline <base.gcdump>]
//   (run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadSnapshot } from '../build/snapshot/load.js';
import { graphAnalysis } from '../build/graph/analysis.js';
import { findAccumulationPoints, toAccumulationEvidence } from '../build/graph/accumulation.js';
import { buildTypeEvidence, retainedByType } from '../build/graph/evidence.js';
import { findGroup } from '../build/graph/typeGroups.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const file = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
const top = Number(option('--top', 5));
const runs = Number(option('--runs', 5));
const child = option('--child', undefined);
const baseFile = option('--baseline', undefined);
if (!file) {
  console.error('usage: node bench/evidence.mjs <file.gcdump> [--top N] [--runs R]');
  process.exit(2);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const topTypes = (snapshot) => snapshot.stats.slice(0, top).map((s) => s.name);

/** The accumulation search and its evidence form, as buildTypeEvidence runs them. */
function search(snapshot, types) {
  const analysis = graphAnalysis(snapshot);
  const groups = analysis.groups();
  const tree = analysis.tree();
  const reverse = analysis.reverse();
  const points = findAccumulationPoints(
    snapshot,
    { tree, groups, reverse, signatures: analysis.signatures() },
    types.map((t) => findGroup(groups, t)),
  );
  return points.map((ps) => ps.map((p) => toAccumulationEvidence(snapshot, tree, p, p.count, reverse)));
}

if (child === 'paired') {
  const snapshot = await loadSnapshot(file);
  const types = topTypes(snapshot);
  let start = performance.now();
  buildTypeEvidence(snapshot, types, { maxClusters: 3, accumulation: false });
  const evidence = performance.now() - start;
  start = performance.now();
  search(snapshot, types);
  console.log(JSON.stringify({ evidence, search: performance.now() - start }));
  process.exit(0);
}
if (child !== undefined) {
  // One cold measurement: the evidence `check` would build, every graph pass included.
  const snapshot = await loadSnapshot(file);
  const types = topTypes(snapshot);
  const start = performance.now();
  buildTypeEvidence(snapshot, types, { maxClusters: 3, accumulation: child === 'on' });
  console.log(JSON.stringify({ ms: performance.now() - start }));
  process.exit(0);
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
const types = topTypes(snapshot);
const evidence = await phase(`clusters (top ${types.length} types)`, () =>
  buildTypeEvidence(snapshot, types, { maxClusters: 3, accumulation: false }),
);
const withoutMs = phases.slice(1).reduce((s, [, ms]) => s + ms, 0);
await phase(`accumulation search`, () => search(snapshot, types));
const withPoints = await phase(`evidence + accumulation`, () =>
  buildTypeEvidence(snapshot, types, { maxClusters: 3 }),
);
let base;
if (baseFile !== undefined) {
  base = await phase('load baseline', () => loadSnapshot(baseFile, { graph: true }));
  await phase('evidence vs baseline graph', () =>
    buildTypeEvidence(snapshot, types, { maxClusters: 3, baselineGraph: base }),
  );
}
const total = phases.reduce((s, [, ms]) => s + ms, 0);
const peakMiB = process.resourceUsage().maxRSS / 1024;
const nodes = snapshot.graph.nodeCount;
const edges = snapshot.graph.firstEdge[nodes];
const share = types.reduce((s, t) => s + (snapshot.stats.find((x) => x.name === t)?.count ?? 0), 0);
console.log(`${file}: ${nodes.toLocaleString('en-US')} nodes, ${edges.toLocaleString('en-US')} edges`);
console.log(
  `top ${types.length} types by bytes: ${((100 * share) / snapshot.totals.objects).toFixed(0)}% of the objects`,
);
for (const [name, ms] of phases) console.log(`  ${name.padEnd(26)} ${fmt(ms).padStart(9)}`);
console.log(
  `  ${'evidence without points'.padEnd(26)} ${fmt(withoutMs).padStart(9)}   (referrers .. clusters)`,
);
console.log(`  ${'total'.padEnd(26)} ${fmt(total).padStart(9)}`);
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
if (runs <= 0) process.exit(0);

// Warm pairs in this process: the graph passes are cached, so each pair differs only by the points.
const warm = { off: [], on: [], diff: [] };
for (let r = 0; r < runs; r++) {
  const pair = {};
  for (const on of r % 2 === 0 ? [false, true] : [true, false]) {
    const start = performance.now();
    buildTypeEvidence(snapshot, types, { maxClusters: 3, accumulation: on });
    pair[on ? 'on' : 'off'] = performance.now() - start;
  }
  warm.off.push(pair.off);
  warm.on.push(pair.on);
  warm.diff.push(pair.on - pair.off);
}

const vsBase = [];
for (let r = 0; base !== undefined && r < runs; r++) {
  const start = performance.now();
  buildTypeEvidence(snapshot, types, { maxClusters: 3, baselineGraph: base });
  vsBase.push(performance.now() - start);
}

// Paired runs: evidence without points, then the search, in each of R child processes.
const self = fileURLToPath(import.meta.url);
const paired = { evidence: [], search: [], ratio: [] };
for (let r = 0; r < runs; r++) {
  const res = spawnSync(process.execPath, [self, file, '--top', String(top), '--child', 'paired'], {
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`paired child failed: ${res.stderr}`);
  const m = JSON.parse(res.stdout.trim().split('\n').pop());
  paired.evidence.push(m.evidence);
  paired.search.push(m.search);
  paired.ratio.push(m.search / m.evidence);
}

// Cold runs in child processes, interleaved so machine noise hits both alike.
const cold = { off: [], on: [] };
for (let r = 0; r < runs; r++) {
  for (const mode of r % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
    const res = spawnSync(process.execPath, [self, file, '--top', String(top), '--child', mode], {
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(`child ${mode} failed: ${res.stderr}`);
    cold[mode].push(JSON.parse(res.stdout.trim().split('\n').pop()).ms);
  }
}
const list = (xs) => xs.map((x) => (x / 1000).toFixed(2)).join(' ');
const coldOff = median(cold.off);
const coldOn = median(cold.on);
const warmCost = median(warm.diff);
console.log(`\naccumulation points, ${runs} runs each (medians):`);
console.log(
  `  paired: evidence without   ${fmt(median(paired.evidence)).padStart(9)}   [${list(paired.evidence)}]`,
);
console.log(
  `  paired: search after it    ${fmt(median(paired.search)).padStart(9)}   [${list(paired.search)}]`,
);
console.log(
  `  paired: search / evidence  ${`${(100 * median(paired.ratio)).toFixed(1)}%`.padStart(9)}   [${paired.ratio.map((x) => `${(100 * x).toFixed(0)}%`).join(' ')}]`,
);
console.log(`  cold evidence, points off  ${fmt(coldOff).padStart(9)}   [${list(cold.off)}]`);
console.log(`  cold evidence, points on   ${fmt(coldOn).padStart(9)}   [${list(cold.on)}]`);
console.log(
  `  cold difference            ${fmt(coldOn - coldOff).padStart(9)} = ${((100 * (coldOn - coldOff)) / coldOff).toFixed(1)}%`,
);
console.log(`  warm evidence, points off  ${fmt(median(warm.off)).padStart(9)}   [${list(warm.off)}]`);
console.log(`  warm evidence, points on   ${fmt(median(warm.on)).padStart(9)}   [${list(warm.on)}]`);
console.log(
  `  points cost (warm pairs)   ${fmt(warmCost).padStart(9)} = ${((100 * warmCost) / coldOff).toFixed(1)}% of the cold evidence time without them`,
);
if (base !== undefined)
  console.log(
    `  warm evidence vs baseline  ${fmt(median(vsBase)).padStart(9)}   [${list(vsBase)}] (the baseline's graph passes done)`,
  );
