#!/usr/bin/env node
// Measures how stable leak fingerprints are: each leaking scenario of the scenario app
// (test/apps/LeakScenarios) is run --runs times with a different amount leaked each run (and, with
// --rebuilt <dll>, as many times more from another build of the app), checked against its own
// warm-up snapshot, and the fingerprint of its leaked type is collected. Prints, per scenario, the
// distinct fingerprints seen (1 is the goal) as markdown. Needs `npm run build` and the app built.
//
//   node scripts/measure-fingerprints.mjs [--runs 20] [--rebuilt path/to/LeakScenarios.dll] [--out dir]
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'heapgate.js');
const appDll = join(root, 'test', 'apps', 'LeakScenarios', 'bin', 'Release', 'net10.0', 'LeakScenarios.dll');
const LEAKED = {
  'static-list': 'HeapgateScenarios.Leaks.LeakedOrder',
  'event-handler': 'HeapgateScenarios.Leaks.Subscriber',
  timer: 'HeapgateScenarios.Leaks.TimerPayload',
  cache: 'HeapgateScenarios.Leaks.CacheEntry',
  'slow-leak': 'HeapgateScenarios.Leaks.SlowLeakItem',
};

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    rebuilt: { type: 'string' },
    out: { type: 'string', default: join(tmpdir(), `heapgate-fingerprints-${Date.now()}`) },
  },
});
const runs = Number(opts.runs);
mkdirSync(opts.out, { recursive: true });
const rules = join(opts.out, 'rules.yml');
writeFileSync(
  rules,
  "version: 1\nrules:\n  - id: leaks\n    match: 'HeapgateScenarios.Leaks.*'\n    max-growth: { count: 2 }\n    evidence: 1\n",
);

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

async function fingerprint(dll, scenario, perRound, tag) {
  const out = join(opts.out, `${scenario}-${tag}`);
  const c = await heapgate([
    'collect',
    '-o',
    out,
    '-q',
    '--force',
    '--checkpoints',
    'warmup,round-2',
    '--',
    'dotnet',
    dll,
    scenario,
    '--rounds',
    '2',
    '--per-round',
    String(perRound),
  ]);
  if (c.code !== 0) throw new Error(`collect ${scenario} ${tag}: ${c.stderr}`);
  const r = await heapgate([
    'check',
    join(out, 'round-2.gcdump'),
    '--baseline',
    join(out, 'warmup.gcdump'),
    '--rules',
    rules,
    '--json',
  ]);
  const finding = JSON.parse(r.stdout).findings.find((f) => f.subject === LEAKED[scenario]);
  return finding?.fingerprint?.id ?? '(none)';
}

const rows = [];
for (const scenario of Object.keys(LEAKED)) {
  const seen = new Map();
  const base = scenario === 'slow-leak' ? 3 : 40;
  const dlls = [[appDll, 'build'], ...(opts.rebuilt ? [[opts.rebuilt, 'rebuilt']] : [])];
  for (const [dll, tag] of dlls)
    for (let i = 0; i < runs; i++) {
      const id = await fingerprint(dll, scenario, base + i * 3, `${tag}-${i}`);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      process.stderr.write('.');
    }
  rows.push({ scenario, seen });
}
process.stderr.write('\n');
const total = runs * (opts.rebuilt ? 2 : 1);
console.log(`| scenario | runs | distinct fingerprints | fingerprint (runs) |`);
console.log(`| --- | ---: | ---: | --- |`);
for (const { scenario, seen } of rows)
  console.log(
    `| ${scenario} | ${total} | ${seen.size} | ${[...seen].map(([id, n]) => `${id} (${n})`).join(', ')} |`,
  );
const all = rows.map((r) => [...r.seen.keys()][0]);
console.log(`\n${new Set(all).size} distinct fingerprints over ${rows.length} leaks.`);
