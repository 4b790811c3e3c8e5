#!/usr/bin/env node
// Part of `npm run bench`: records a trace of more than a million events from the scenario app
// (the `events` scenario, with GC AllocationTick events and stacks), then times `heapgate allocs`
// against TraceEvent's EventPipeEventSource reading the same file (dotnet/tests/TraceOracle
// --read-only), interleaved, wall time and peak RSS, and prints the ratio.
//
// Env: BENCH_EVENTS (default 1200000), BENCH_RUNS (default 3), BENCH_REUSE=1 (keep an existing trace).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { requireTool } from '../build/tools/discovery.js';
import { log, measure, median, requireGnuTime } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const events = Number(process.env.BENCH_EVENTS ?? 1_200_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const outDir = join(root, 'bench', 'out', `trace-${events}`);
const file = join(outDir, 'events.nettrace');

requireGnuTime();

async function record() {
  if (process.env.BENCH_REUSE === '1' && existsSync(file)) return;
  const project = join(root, 'test', 'apps', 'LeakScenarios');
  execFileSync('dotnet', ['build', project, '-c', 'Release', '--nologo', '-v', 'q'], { stdio: 'inherit' });
  mkdirSync(outDir, { recursive: true });
  const dll = join(project, 'bin', 'Release', 'net10.0', 'LeakScenarios.dll');
  const app = spawn('dotnet', [dll, 'events', '--rounds', '1', '--per-round', String(events)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  let trace;
  let n = 0;
  for await (const line of readline.createInterface({ input: app.stdout })) {
    if (!line.startsWith('heapgate:checkpoint')) continue;
    if (++n === 1) {
      log(`recording ${events.toLocaleString('en-US')} events`);
      trace = spawn(
        requireTool('dotnet-trace'),
        [
          'collect',
          '-p',
          String(app.pid),
          '-o',
          partial,
          '--buffersize',
          '1024',
          '--providers',
          'Heapgate-Scenarios,Microsoft-Windows-DotNETRuntime:0x19:5',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      await new Promise((res) =>
        trace.stdout.on('data', (d) => (out += d) && /Output File/.test(out) && res()),
      );
      app.stdin.write('continue\n');
    } else {
      trace.kill('SIGINT');
      await new Promise((res) => trace.on('exit', res));
      app.stdin.write('exit\n');
    }
  }
  renameSync(partial, file);
}

await record();
const oracleDll = join(
  root,
  'dotnet',
  'tests',
  'TraceOracle',
  'bin',
  'Release',
  'net10.0',
  'TraceOracle.dll',
);
execFileSync(
  'dotnet',
  ['build', join(root, 'dotnet', 'tests', 'TraceOracle'), '-c', 'Release', '--nologo', '-v', 'q'],
  {
    stdio: 'inherit',
  },
);
const ours = [];
const theirs = [];
let counts;
for (let i = 0; i < runs; i++) {
  const a = measure(process.execPath, [
    join(root, 'bin', 'heapgate.js'),
    'allocs',
    file,
    '--json',
    '--top',
    '5',
  ]);
  const b = measure('dotnet', [oracleDll, '--read-only', file]);
  ours.push(a);
  theirs.push(b);
  const doc = JSON.parse(a.stdout);
  const ref = JSON.parse(b.stdout);
  if (doc.ticks !== ref.sourceTicks)
    throw new Error(`tick counts differ: heapgate ${doc.ticks}, TraceEvent ${ref.sourceTicks}`);
  counts = ref;
}
const w1 = median(ours.map((r) => r.wall));
const w2 = median(theirs.map((r) => r.wall));
const m1 = median(ours.map((r) => r.rssMiB));
const m2 = median(theirs.map((r) => r.rssMiB));
console.log(
  `trace reading (${counts.events.toLocaleString('en-US')} events, ${counts.sourceTicks.toLocaleString('en-US')} allocation ticks), median of ${runs}:`,
);
console.log(`  heapgate allocs:             ${w1.toFixed(2)} s, ${m1.toFixed(0)} MiB peak`);
console.log(
  `  TraceEvent (EventPipeEventSource pass): ${w2.toFixed(2)} s, ${m2.toFixed(0)} MiB peak (its own timer: ${Math.round(counts.sourceMs)} ms)`,
);
console.log(`  ratio heapgate/TraceEvent: ${(w1 / w2).toFixed(2)} wall, ${(m1 / m2).toFixed(2)} memory`);
