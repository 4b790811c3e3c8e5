/**
 * The fuzz worker thread: generates inputs with fast-check, runs them through the targets and
 * reports crashes, slow inputs and allocations over budget. Before each input it publishes the
 * input in shared memory, so the supervisor can save it if this thread hangs or runs out of memory.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { applyCase, caseArb, MAX_INPUT_BYTES, type FuzzCase } from './mutate.js';
import {
  HEADER_BYTES,
  memoryLimit,
  Slot,
  TIME_LIMIT_MS,
  Stat,
  STATS_OFFSET,
  STATS_SLOTS,
  TARGET_SLOTS,
  type Finding,
  type WorkerMessage,
  type WorkerOptions,
} from './protocol.js';
import { readSeed, runTarget, TARGETS, type FuzzTarget } from './targets.js';

const opts = workerData as WorkerOptions;
const header = new Int32Array(opts.shared, 0, STATS_OFFSET / 4);
const stats = new Float64Array(opts.shared, STATS_OFFSET, STATS_SLOTS);
const data = new Uint8Array(opts.shared, HEADER_BYTES, MAX_INPUT_BYTES);
const encoder = new TextEncoder();

interface Prepared {
  index: number;
  target: FuzzTarget;
  seeds: Uint8Array[];
  tokens: Uint8Array[];
  arb: fc.Arbitrary<FuzzCase>;
}

const prepared: Prepared[] = opts.targets.map((name, index) => {
  const target = TARGETS[name];
  const seeds = target.seedFiles.map(readSeed);
  const tokens = target.tokens.map((t) =>
    name === 'gcdump' ? Uint8Array.from(t, (c) => c.charCodeAt(0)) : encoder.encode(t),
  );
  return { index, target, seeds, tokens, arb: caseArb(tokens.length, seeds.length) };
});

const gc = (globalThis as { gc?: () => void }).gc;

function post(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

function report(kind: Finding['kind'], p: Prepared, detail: string, bytes: Uint8Array): void {
  post({ type: 'finding', finding: { kind, target: p.target.name, detail, bytes: bytes.slice() } });
}

function runOne(p: Prepared, bytes: Uint8Array): void {
  data.set(bytes, 0);
  Atomics.store(header, Slot.Length, bytes.length);
  Atomics.store(header, Slot.Target, p.index);
  Atomics.store(header, Slot.Running, 1);
  Atomics.add(header, Slot.Counter, 1);

  const rssBefore = process.memoryUsage.rss();
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const outcome = runTarget(p.target, bytes);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  Atomics.store(header, Slot.Running, 0);

  stats[Stat.PerTarget + p.index]++;
  stats[Stat.PerTarget + TARGET_SLOTS + p.index] += wall;
  stats[Stat.Bytes] += bytes.length;
  if (outcome.kind === 'crash') report('crash', p, outcome.error, bytes);
  else if (outcome.kind === 'input-error') stats[Stat.InputErrors]++;
  else stats[Stat.Accepted]++;

  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (cpuMs > TIME_LIMIT_MS)
    report('slow', p, `${Math.round(cpuMs)} ms of CPU (${Math.round(wall)} ms wall)`, bytes);
  // A new peak of the process RSS that lies more than the budget above the RSS before the input.
  const grew = peakAfter - rssBefore;
  if (peakAfter > peakBefore && grew > memoryLimit(bytes.length)) {
    report('memory', p, `RSS rose ${Math.round(grew / 1048576)} MiB for a ${bytes.length}-byte input`, bytes);
  }
}

const BATCH = 64;
let batch = 0;
for (;;) {
  for (const p of prepared) {
    const cases = fc.sample(p.arb, { numRuns: BATCH, seed: (opts.seed + batch * 7919 + p.index) | 0 });
    for (const c of cases) runOne(p, applyCase(c, p.seeds, p.tokens));
    // Seeds themselves and a few plain truncations per batch keep the known-good paths exercised.
    const seed = p.seeds[batch % p.seeds.length];
    runOne(p, seed);
    runOne(p, seed.subarray(0, (batch * 7 + 13) % (seed.length + 1)));
    gc?.();
  }
  batch++;
}
