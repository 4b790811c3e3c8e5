#!/usr/bin/env node
// Measures heapgate's gate on the OrdersService scenario (test/apps/OrdersService) under load:
// records a baseline from --baseline-runs clean runs, calibrates it, checks --clean-runs further
// clean runs (false alarms with builtin:default + builtin:dotnet-leak-patterns, with and without the
// calibrated rules) and one run per leak switch (detected? which types?), and prints the figures
// as markdown. Needs `npm run build` and `dotnet build -c Release test/apps/OrdersService`.
//
//   node scripts/measure-service-gate.mjs [--baseline-runs 5] [--clean-runs 20] [--parallel 2]
//        [--requests 500] [--rounds 3] [--out dir] [--no-leaks]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'heapgate.js');
const driver = join(root, 'test', 'apps', 'OrdersService', 'drive.mjs');
const LEAKS = [
  'event-subscriber',
  'cache-unbounded',
  'httpclient-per-request',
  'static-request-list',
  'captive-scoped',
];

const { values: opts } = parseArgs({
  options: {
    'baseline-runs': { type: 'string', default: '5' },
    'clean-runs': { type: 'string', default: '20' },
    parallel: { type: 'string', default: '2' },
    requests: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string', default: join(tmpdir(), `heapgate-service-gate-${Date.now()}`) },
    'no-leaks': { type: 'boolean', default: false },
  },
});
const baselineRuns = Number(opts['baseline-runs']);
const cleanRuns = Number(opts['clean-runs']);
const parallel = Number(opts.parallel);
const last = `round-${opts.rounds}`;
mkdirSync(opts.out, { recursive: true });

function heapgate(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function collect(name, leak) {
  const started = Date.now();
  const args = ['--rounds', opts.rounds, '--requests', opts.requests];
  if (leak) args.push('--leak', leak);
  const out = join(opts.out, name);
  const r = await heapgate([
    'collect',
    '-q',
    '-o',
    out,
    '--checkpoints',
    `warmup,${last}`,
    '--timeout',
    '5m',
    '--',
    process.execPath,
    driver,
    ...args,
  ]);
  if (r.code !== 0) throw new Error(`collect ${name} failed (${r.code}): ${r.stderr}`);
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(`${name}: ${seconds.toFixed(0)} s\n`);
  return { name, leak, file: join(out, `${last}.gcdump`), seconds };
}

async function pool(jobs) {
  const results = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]();
      }
    }),
  );
  return results;
}

const RULES = ['--rules', 'builtin:default', '--rules', 'builtin:dotnet-leak-patterns'];
async function check(file, baseline, extraRules = []) {
  const started = Date.now();
  const r = await heapgate([
    'check',
    file,
    '--baseline',
    baseline,
    ...RULES,
    ...extraRules,
    '--format',
    'json',
  ]);
  const report = JSON.parse(r.stdout);
  const errors = report.findings.filter((f) => f.status === 'fail');
  return { code: r.code, errors, seconds: (Date.now() - started) / 1000 };
}

const started = Date.now();
const runs = await pool([
  ...Array.from({ length: baselineRuns + cleanRuns }, (_, i) => () => collect(`clean-${i + 1}`)),
  ...(opts['no-leaks'] ? [] : LEAKS.map((leak) => () => collect(leak, leak))),
]);
const clean = runs.filter((r) => !r.leak);
const baseline = join(opts.out, 'orders.json');
const rec = await heapgate([
  'baseline',
  'record',
  ...clean.slice(0, baselineRuns).map((r) => r.file),
  '--scenario',
  'orders',
  '--out',
  baseline,
]);
if (rec.code !== 0) throw new Error(rec.stderr);
const calibratedRules = join(opts.out, 'calibrated.yml');
const cal = await heapgate(['calibrate', baseline, '--json', '--rules-out', calibratedRules]);
if (cal.code !== 0) throw new Error(cal.stderr);
const calibration = JSON.parse(cal.stdout);

const lines = [];
const say = (s = '') => lines.push(s);
say(`# OrdersService gate measurement (${new Date().toISOString()})`);
say();
say(
  `Each run: ${Number(opts.requests)} warm-up requests + ${opts.rounds} rounds of ${opts.requests}; snapshots at warmup and ${last}; ${parallel} runs at a time.`,
);
say(
  `Baseline: ${baselineRuns} clean runs. Calibration: ${calibration.moving.length} moving types, ${calibration.steadyTypes} steady; ` +
    `${readFileSync(calibratedRules, 'utf8').includes('calibrated-1') ? 'some' : 'no'} type noisier than builtin:default.`,
);
say();
let alarms = 0;
let alarmsCalibrated = 0;
say('| clean run | errors (default + leak patterns) | errors (+ calibrated) | check s |');
say('|---|---|---|---|');
for (const run of clean.slice(baselineRuns)) {
  const a = await check(run.file, baseline);
  const b = await check(run.file, baseline, ['--rules', calibratedRules]);
  if (a.errors.length > 0) alarms++;
  if (b.errors.length > 0) alarmsCalibrated++;
  say(
    `| ${run.name} | ${a.errors.map((f) => `${f.subject} (${f.base ?? 0}→${f.head})`).join(', ') || 0} | ${b.errors.length} | ${a.seconds.toFixed(1)} |`,
  );
}
say();
say(`False alarms: ${alarms} of ${cleanRuns} clean runs (${alarmsCalibrated} with the calibrated rules).`);
say();
if (!opts['no-leaks']) {
  say('| leak | gate | error findings | leaked type found | check s |');
  say('|---|---|---|---|---|');
  const expected = {
    'event-subscriber': 'OrdersService.Pricing.OrderPriceWatcher',
    'cache-unbounded': 'OrdersService.Orders.OrderReceipt',
    'httpclient-per-request': 'System.Net.Http.HttpClient',
    'static-request-list': 'OrdersService.Diagnostics.RequestAudit',
    'captive-scoped': 'OrdersService.Orders.OrderUnitOfWork',
  };
  for (const run of runs.filter((r) => r.leak)) {
    const a = await check(run.file, baseline);
    const hit = a.errors.find((f) => f.subject === expected[run.leak]);
    say(
      `| ${run.leak} | ${a.code === 1 ? 'FAIL' : 'pass'} | ${a.errors.length} | ${hit ? `${hit.subject} ${hit.base ?? 0}→${hit.head}` : 'no'} | ${a.seconds.toFixed(1)} |`,
    );
  }
  say();
}
const secs = runs.map((r) => r.seconds).sort((x, y) => x - y);
say(
  `Run time per scenario run (collect): median ${secs[Math.floor(secs.length / 2)].toFixed(0)} s, max ${secs[secs.length - 1].toFixed(0)} s; whole measurement ${((Date.now() - started) / 60000).toFixed(1)} min.`,
);
const text = lines.join('\n') + '\n';
writeFileSync(join(opts.out, 'summary.md'), text);
process.stdout.write(text);
