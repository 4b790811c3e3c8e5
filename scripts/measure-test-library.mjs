#!/usr/bin/env node
// Measures Heapgate.Testing under `heapgate test`, for the figures README and release notes quote:
//   1. checkpoint cost on a large test-host heap (dotnet/bench/LargeHeap.Tests, --mb MB, default
//      100): collection, reading and assertion time per run, medians over --runs runs (default 5);
//   2. stability: each example suite's clean tests rerun --reruns times (default 20) — any failure
//      is a false alarm;
//   3. each example suite's leaking test, --leak-runs times (default 3): it must fail naming its
//      type and holder.
// Needs `npm run build` and `scripts/build-dotnet.sh` first. Prints markdown.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cli = join(root, 'bin', 'heapgate.js');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = opt('runs', 5);
const mb = opt('mb', 100);
const reruns = opt('reruns', 20);
const leakRuns = opt('leak-runs', 3);

const SUITES = [
  {
    dir: 'examples/CartService.Tests',
    clean: 'heapgate!=leaking-example',
    leak: 'heapgate=leaking-example',
    type: 'CartService.Cart',
    holder: "CartService.PriceFeed's EventHandler<Decimal> field",
  },
  {
    dir: 'examples/Inventory.NUnitTests',
    clean: 'TestCategory!=leaking-example',
    leak: 'TestCategory=leaking-example',
    type: 'Inventory.StockWatcher',
    holder: 'List<Inventory.StockWatcher>._items',
  },
  {
    dir: 'examples/Billing.MSTestTests',
    clean: 'TestCategory!=leaking-example',
    leak: 'TestCategory=leaking-example',
    type: 'Billing.InvoiceTemplate',
    holder: 'ConcurrentDictionary<String,Billing.InvoiceTemplate>._tables',
  },
];

function heapgateTest(project, filter, env = {}) {
  const out = mkdtempSync(join(tmpdir(), 'heapgate-measure-'));
  const started = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [
      cli,
      'test',
      '--out',
      out,
      '--quiet',
      '--',
      'dotnet',
      'test',
      join(root, 'dotnet', project),
      '-c',
      'Release',
      '--no-build',
      ...(filter ? ['--filter', filter] : []),
    ],
    { encoding: 'utf8', env: { ...process.env, ...env } },
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  let result;
  try {
    result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
  } catch {
    result = undefined;
  }
  rmSync(out, { recursive: true, force: true });
  return { code: r.status, result, wallMs, output: r.stdout + r.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

console.log(`## Heapgate.Testing under heapgate test\n`);
console.log(`### Checkpoint cost, ${mb} MB order book (${runs} runs, medians)\n`);
const rows = [];
for (let i = 0; i < runs; i++) {
  const r = heapgateTest('bench/LargeHeap.Tests', undefined, { HEAPGATE_BENCH_MB: String(mb) });
  if (r.code !== 0 || !r.result)
    throw new Error(`large-heap run failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
  for (const c of r.result.checkpoints) rows.push({ run: i, ...c });
  rows.push({ run: i, assertMs: r.result.assertions[0].durationMs });
}
const cps = rows.filter((r) => r.collectMs !== undefined);
const heap = cps.at(-1);
console.log(
  `test-host heap: ${(heap.bytes / 2 ** 20).toFixed(1)} MiB live, ${heap.objects.toLocaleString('en-US')} objects\n`,
);
console.log('| | median | min | max |\n|---|---:|---:|---:|');
for (const [label, values] of [
  ['collect (dotnet-gcdump, forced GC)', cps.map((c) => c.collectMs)],
  ['read (heapgate)', cps.map((c) => c.readMs)],
  ['checkpoint total', cps.map((c) => c.collectMs + c.readMs)],
  [
    'assertion (two checkpoints, evidence)',
    rows.filter((r) => r.assertMs !== undefined).map((r) => r.assertMs),
  ],
])
  console.log(
    `| ${label} | ${fmt(median(values))} | ${fmt(Math.min(...values))} | ${fmt(Math.max(...values))} |`,
  );

console.log(`\n### Clean tests, ${reruns} reruns per suite\n`);
if (reruns > 0)
  console.log(
    '| suite | runs | failures | assertions per run | median wall time |\n|---|---:|---:|---:|---:|',
  );
else console.log('(skipped: --reruns 0)');
for (const s of reruns > 0 ? SUITES : []) {
  let failures = 0;
  const walls = [];
  let assertions = 0;
  for (let i = 0; i < reruns; i++) {
    const r = heapgateTest(s.dir, s.clean);
    walls.push(r.wallMs);
    assertions = r.result?.assertions.length ?? 0;
    if (r.code !== 0 || r.result?.verdict !== 'pass') {
      failures++;
      console.error(`false alarm in ${s.dir} run ${i + 1}:\n${r.output.slice(-2000)}`);
    }
  }
  console.log(`| ${s.dir} | ${reruns} | ${failures} | ${assertions} | ${fmt(median(walls))} |`);
}

console.log(`\n### Leaking tests, ${leakRuns} runs per suite\n`);
console.log('| suite | runs | failed with type and holder |\n|---|---:|---:|');
for (const s of SUITES) {
  let right = 0;
  for (let i = 0; i < leakRuns; i++) {
    const r = heapgateTest(s.dir, s.leak);
    const failed = r.result?.assertions.find((a) => a.outcome && !a.outcome.passed);
    if (r.code === 1 && failed?.outcome.message.includes(`x ${s.type} held by ${s.holder}`)) right++;
    else
      console.error(
        `leak not named in ${s.dir} run ${i + 1}:\n${failed?.outcome?.message ?? r.output.slice(-2000)}`,
      );
  }
  console.log(`| ${s.dir} | ${leakRuns} | ${right} |`);
}
