#!/usr/bin/env node
// `npm run bench`: collects a big real snapshot from the scenario app, then times heapgate against
// the reference tool on the same file in the same run (wall time and peak RSS, several runs each,
// interleaved so machine noise hits both alike) and prints the ratios.
//
// Env: BENCH_OBJECTS (default 5000000), BENCH_RUNS (default 3), BENCH_REUSE=1 (keep an existing snapshot).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAndCollect } from '../build/collect/session.js';
import { requireTool } from '../build/tools/discovery.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const objects = Number(process.env.BENCH_OBJECTS ?? 5_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const outDir = join(root, 'bench', 'out', `big-${objects}`);
const TIME = '/usr/bin/time';

if (!existsSync(TIME)) {
  console.error('bench: GNU time (/usr/bin/time) is needed to measure peak memory: apt-get install time');
  process.exit(2);
}

function log(msg) {
  process.stderr.write(`bench: ${msg}\n`);
}

async function snapshot() {
  const previous = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.gcdump')) : [];
  if (process.env.BENCH_REUSE === '1' && previous.length > 0) return join(outDir, previous[0]);
  const project = join(root, 'test', 'apps', 'LeakScenarios');
  log('building the scenario app');
  execFileSync('dotnet', ['build', project, '-c', 'Release', '--nologo', '-v', 'q'], { stdio: 'inherit' });
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

/** Runs a command under GNU time; returns wall seconds and peak RSS in MiB. */
function measure(cmd, args) {
  const r = spawnSync(TIME, ['-f', 'HEAPGATE_BENCH %e %M', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const m = /HEAPGATE_BENCH ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return { wall: Number(m[1]), rssMiB: Number(m[2]) / 1024, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const file = await snapshot();
const sizeMiB = statSync(file).size / 2 ** 20;
const gcdumpTool = requireTool('dotnet-gcdump');
const heapgate = [process.execPath, join(root, 'bin', 'heapgate.js')];

const results = { heapgate: [], reference: [] };
let last;
for (let i = 0; i < runs; i++) {
  const h = measure(heapgate[0], [heapgate[1], 'stat', file, '--json']);
  const ref = measure(gcdumpTool, ['report', file]);
  results.heapgate.push(h);
  results.reference.push(ref);
  last = { h, ref };
  log(
    `run ${i + 1}/${runs}: heapgate ${h.wall}s ${h.rssMiB.toFixed(0)} MiB, dotnet-gcdump report ${ref.wall}s ${ref.rssMiB.toFixed(0)} MiB`,
  );
}

// Sanity: both tools saw the same heap (the report's second line counts every node, heapgate counts objects).
const json = JSON.parse(last.h.stdout);
const refBytes = Number(/([\d,]+)\s+GC Heap bytes/.exec(last.ref.stdout)[1].replace(/,/g, ''));
if (refBytes !== json.totals.bytes)
  throw new Error(`heap bytes differ: heapgate ${json.totals.bytes}, reference ${refBytes}`);

const hw = median(results.heapgate.map((r) => r.wall));
const rw = median(results.reference.map((r) => r.wall));
const hm = median(results.heapgate.map((r) => r.rssMiB));
const rm = median(results.reference.map((r) => r.rssMiB));
console.log(
  `\nsnapshot: ${file} (${sizeMiB.toFixed(1)} MiB, ${json.totals.objects.toLocaleString('en-US')} objects)`,
);
console.log(`runs: ${runs} each, medians\n`);
console.log('tool                      wall (s)   peak RSS (MiB)');
console.log(`heapgate stat             ${hw.toFixed(2).padStart(8)}   ${hm.toFixed(0).padStart(14)}`);
console.log(`dotnet-gcdump report      ${rw.toFixed(2).padStart(8)}   ${rm.toFixed(0).padStart(14)}`);
console.log(
  `\nspeed-up: ${(rw / hw).toFixed(2)}x faster   memory: ${(hm / rm).toFixed(2)}x of the reference's peak`,
);

const evidence = join(root, 'bench', 'evidence.mjs');
if (existsSync(evidence)) {
  console.log('\nevidence (paths, clusters, dominators):');
  const r = spawnSync(process.execPath, [evidence, file], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
