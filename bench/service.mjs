#!/usr/bin/env node
// `npm run bench:service` (and the end of `npm run bench`): the gate on the ASP.NET Core example
// service under load with a production-sized heap. Measures the collection pause at each checkpoint
// (the service waits while dotnet-gcdump walks its heap) and the time of the whole gate: a 5-round
// run under load, its collections, and `heapgate check` against a baseline recorded from an earlier
// run.
//
// Env: BENCH_CATALOG_MB (default 200: about 200 MB of heap with the service's own), BENCH_ROUNDS (5),
// BENCH_REQUESTS (500 per round).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runAndCollect } from '../build/collect/session.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const catalogMb = process.env.BENCH_CATALOG_MB ?? '200';
const rounds = process.env.BENCH_ROUNDS ?? '5';
const requests = process.env.BENCH_REQUESTS ?? '500';
const heapgate = [process.execPath, join(root, 'bin', 'heapgate.js')];
const scratch = mkdtempSync(join(tmpdir(), 'heapgate-bench-service-'));
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

log('building the orders service');
execFileSync(
  'dotnet',
  ['build', join(root, 'test', 'apps', 'OrdersService'), '-c', 'Release', '--nologo', '-v', 'q'],
  {
    stdio: 'inherit',
  },
);

async function run(name) {
  const started = performance.now();
  const result = await runAndCollect({
    command: process.execPath,
    args: [
      join(root, 'test', 'apps', 'OrdersService', 'drive.mjs'),
      '--rounds',
      rounds,
      '--requests',
      requests,
      '--catalog-mb',
      catalogMb,
    ],
    kinds: ['gcdump'],
    outDir: join(scratch, name),
    checkpoints: 'all',
    timeouts: { checkpointMs: 300_000, collectMs: 300_000 },
  });
  return { snapshots: result.snapshots, seconds: (performance.now() - started) / 1000 };
}

function heapgateRun(args) {
  const started = performance.now();
  const r = spawnSync(heapgate[0], [heapgate[1], ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`heapgate ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { seconds: (performance.now() - started) / 1000, stdout: r.stdout };
}

log(`baseline run: ${rounds} rounds of ${requests} requests, catalog ${catalogMb} MB`);
const base = await run('base');
const baseline = join(scratch, 'baseline.json');
heapgateRun(['baseline', 'record', base.snapshots.at(-1).file, '--scenario', 'orders', '--out', baseline]);

log('gated run');
const head = await run('head');
const check = heapgateRun(['check', head.snapshots.at(-1).file, '--baseline', baseline, '--format', 'json']);
const report = JSON.parse(check.stdout);
const stat = JSON.parse(heapgateRun(['stat', head.snapshots.at(-1).file, '--json']).stdout);

const pauses = head.snapshots.map((s) => s.pauseMs);
console.log(`\norders service under load, catalog ${catalogMb} MB, ${rounds} rounds of ${requests} requests`);
console.log(
  `heap at the last checkpoint: ${(stat.totals.bytes / 2 ** 20).toFixed(0)} MiB in ${stat.totals.objects.toLocaleString('en-US')} objects`,
);
console.log('\ncheckpoint     pause (s)   gcdump (MiB)');
for (const s of head.snapshots)
  console.log(
    `${s.label.padEnd(14)} ${(s.pauseMs / 1000).toFixed(2).padStart(9)}   ${(s.bytes / 2 ** 20).toFixed(1).padStart(12)}`,
  );
console.log(
  `\ncollection pause: median ${(median(pauses) / 1000).toFixed(2)} s, max ${(Math.max(...pauses) / 1000).toFixed(2)} s`,
);
console.log(
  `gate: run + collections ${head.seconds.toFixed(1)} s, heapgate check ${check.seconds.toFixed(1)} s (verdict ${report.verdict}), total ${(head.seconds + check.seconds).toFixed(1)} s`,
);
rmSync(scratch, { recursive: true, force: true });
