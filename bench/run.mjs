#!/usr/bin/env node
// `npm run bench`: collects real snapshots of the scenario app at several sizes, then, at each size,
// times heapgate against the reference tool on the same file in the same run (wall time and peak
// RSS, interleaved so machine noise hits both alike, medians) and prints the ratios:
//
// - `heapgate stat` against `dotnet-gcdump report`, and the floor: Node's start plus reading the
//   file once through a reused 1 MiB buffer;
// - `heapgate check` on a passing gate (a baseline recorded from the same file) against `stat`;
// - evidence: `roots --type`, `dominators --top 20`, `stat --retained`.
//
// It ends with the per-million cost of each command (least squares over the sizes), so a change
// in the slope shows. The largest default size, 9.8M objects, stays under dotnet-gcdump's
// 10M-node cap: a capped snapshot loses its roots, and its evidence is then trivially cheap.
//
// Env: BENCH_SIZES (default 1000000,5000000,9800000), BENCH_RUNS (default 5), BENCH_EVIDENCE_RUNS
// (default 3), BENCH_REUSE=1 (keep existing snapshots).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAndCollect } from '../build/collect/session.js';
import { requireTool } from '../build/tools/discovery.js';
import { interleaved, log, measure, median, requireGnuTime } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '1000000,5000000,9800000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const evidenceRuns = Number(process.env.BENCH_EVIDENCE_RUNS ?? 3);
const EVIDENCE_TYPE = 'HeapgateScenarios.Big.OrderLine';

requireGnuTime();

let built = false;
async function snapshot(objects) {
  const outDir = join(root, 'bench', 'out', `big-${objects}`);
  const previous = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.gcdump')) : [];
  if (process.env.BENCH_REUSE === '1' && previous.length > 0) return join(outDir, previous[0]);
  const project = join(root, 'test', 'apps', 'LeakScenarios');
  if (!built) {
    log('building the scenario app');
    execFileSync('dotnet', ['build', project, '-c', 'Release', '--nologo', '-v', 'q'], { stdio: 'inherit' });
    built = true;
  }
  const dll = join(project, 'bin', 'Release', 'net10.0', 'LeakScenarios.dll');
  mkdirSync(outDir, { recursive: true });
  log(`collecting a snapshot of the 'big' scenario (${objects.toLocaleString('en-US')} objects)`);
  const res = await runAndCollect({
    command: 'dotnet',
    args: [dll, 'big', '--objects', String(objects)],
    kinds: ['gcdump'],
    outDir,
    force: true,
    checkpoints: 'all',
    timeouts: { checkpointMs: 300_000, collectMs: 600_000, totalMs: 900_000 },
  });
  return res.snapshots[0].file;
}

const node = process.execPath;
const heapgate = join(root, 'bin', 'heapgate.js');
const gcdumpTool = requireTool('dotnet-gcdump');
const readAll = `const fs=require('fs');const fd=fs.openSync(process.argv[1],'r');const b=Buffer.alloc(1<<20);while(fs.readSync(fd,b,0,b.length,null)>0);`;
const scratch = join(root, 'bench', 'out');

const rows = [];
for (const objects of sizes) {
  const file = await snapshot(objects);
  const sizeMiB = statSync(file).size / 2 ** 20;
  const baseline = join(scratch, `baseline-${objects}.json`);
  execFileSync(
    node,
    [heapgate, 'baseline', 'record', file, '--scenario', 'bench', '--out', baseline, '--force'],
    {
      stdio: 'ignore',
    },
  );
  log(
    `${objects.toLocaleString('en-US')} objects: stat, dotnet-gcdump report, floor, passing check (${runs} runs each)`,
  );
  const r = interleaved(runs, {
    stat: () => measure(node, [heapgate, 'stat', file, '--json']),
    report: () => measure(gcdumpTool, ['report', file]),
    start: () => measure(node, ['-e', '0']),
    read: () => measure(node, ['-e', readAll, file]),
    check: () => measure(node, [heapgate, 'check', file, '--baseline', baseline, '--format', 'json'], [0]),
  });
  // Both tools saw the same heap (the report's first line is the heap bytes).
  const json = JSON.parse(r.stat.last.stdout);
  const refBytes = Number(/([\d,]+)\s+GC Heap bytes/.exec(r.report.last.stdout)[1].replace(/,/g, ''));
  if (refBytes !== json.totals.bytes)
    throw new Error(`heap bytes differ: heapgate ${json.totals.bytes}, reference ${refBytes}`);
  log(`${objects.toLocaleString('en-US')} objects: evidence (${evidenceRuns} runs each)`);
  const e = interleaved(evidenceRuns, {
    roots: () => measure(node, [heapgate, 'roots', file, '--type', EVIDENCE_TYPE]),
    dominators: () => measure(node, [heapgate, 'dominators', file, '--top', '20']),
    retained: () => measure(node, [heapgate, 'stat', file, '--retained']),
  });
  rows.push({ objects: json.totals.objects, sizeMiB, ...r, ...e });
}

const s = (x) => x.toFixed(2);
const m = (x) => x.toFixed(0);
const t = (x) => x.toFixed(3);
console.log(
  `\nNode ${process.version}; medians of ${runs} interleaved runs (evidence: ${evidenceRuns}); wall s / peak RSS MiB\n`,
);
console.log(
  'objects      file MiB | stat           | gcdump report   | speed-up  RSS ratio | floor  stat/floor | passing check  check/stat',
);
for (const x of rows) {
  const floor = x.read.wall;
  console.log(
    [
      `${(x.objects / 1e6).toFixed(1)}M`.padEnd(8),
      m(x.sizeMiB).padStart(9),
      '|',
      `${t(x.stat.wall)} / ${m(x.stat.rssMiB)}`.padEnd(14),
      '|',
      `${t(x.report.wall)} / ${m(x.report.rssMiB)}`.padEnd(15),
      '|',
      `${s(x.report.wall / x.stat.wall)}x`.padStart(7),
      `${s(x.stat.rssMiB / x.report.rssMiB)}`.padStart(10),
      '|',
      t(floor).padStart(5),
      `${s(x.stat.wall / floor)}x`.padStart(11),
      '|',
      `${t(x.check.wall)} / ${m(x.check.rssMiB)}`.padStart(13),
      `${s(x.check.wall / x.stat.wall)}x`.padStart(11),
    ].join(' '),
  );
}
console.log(
  `\n(floor: Node's start, ${t(median(rows.map((x) => x.start.wall)))} s, plus reading the file once through a 1 MiB buffer)`,
);
console.log('\nevidence             roots --type     dominators --top 20   stat --retained');
for (const x of rows) {
  console.log(
    [
      `${(x.objects / 1e6).toFixed(1)}M`.padEnd(20),
      `${s(x.roots.wall)} s ${m(x.roots.rssMiB)} MiB`.padStart(16),
      `${s(x.dominators.wall)} s ${m(x.dominators.rssMiB)} MiB`.padStart(21),
      `${s(x.retained.wall)} s ${m(x.retained.rssMiB)} MiB`.padStart(18),
    ].join(' '),
  );
}

/** Least-squares slope and intercept of y over x. */
function fit(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}
if (rows.length >= 2) {
  const millions = rows.map((x) => x.objects / 1e6);
  console.log('\nper million objects (least squares over the sizes): wall s + fixed s, peak MiB');
  for (const [name, label] of [
    ['stat', 'heapgate stat'],
    ['report', 'dotnet-gcdump report'],
    ['check', 'passing check'],
    ['roots', 'roots --type'],
    ['dominators', 'dominators --top 20'],
    ['retained', 'stat --retained'],
  ]) {
    const t = fit(
      millions,
      rows.map((x) => x[name].wall),
    );
    const r = fit(
      millions,
      rows.map((x) => x[name].rssMiB),
    );
    console.log(
      `  ${label.padEnd(22)} ${t.slope.toFixed(3)} s/M + ${t.intercept.toFixed(2)} s   ${r.slope.toFixed(1)} MiB/M + ${r.intercept.toFixed(0)} MiB`,
    );
  }
}
