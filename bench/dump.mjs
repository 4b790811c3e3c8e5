#!/usr/bin/env node
// Part of `npm run bench`: takes a heap dump (`dotnet-dump collect --type Heap`) of the scenario
// app's `big` scenario, then times heapgate against SOS on the same file, interleaved, wall time
// and peak RSS, medians:
//
// - `heapgate stat <dump>` against `dotnet-dump analyze -c "dumpheap -stat -live"` (both count
//   the live objects per type; the totals are compared, so both read the same heap);
// - a passing `heapgate check` (a baseline recorded from the same dump);
// - evidence: `roots --type` and `dominators --top 20` on the dump.
//
// Env: BENCH_DUMP_OBJECTS (default 5000000), BENCH_RUNS (default 3), BENCH_EVIDENCE_RUNS
// (default 3), BENCH_REUSE=1 (keep an existing dump).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAndCollect } from '../build/collect/session.js';
import { findDumpReader } from '../build/formats/dump/clrmdReader.js';
import { requireTool } from '../build/tools/discovery.js';
import { interleaved, log, measure, requireGnuTime } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const objects = Number(process.env.BENCH_DUMP_OBJECTS ?? 5_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const evidenceRuns = Number(process.env.BENCH_EVIDENCE_RUNS ?? 3);
const EVIDENCE_TYPE = 'HeapgateScenarios.Big.OrderLine';

requireGnuTime();
const reader = findDumpReader();
if ('missing' in reader) {
  console.error(`bench: ${reader.missing}`);
  process.exit(2);
}

async function dump() {
  const outDir = join(root, 'bench', 'out', `dump-${objects}`);
  const previous = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.dmp')) : [];
  if (process.env.BENCH_REUSE === '1' && previous.length > 0) return join(outDir, previous[0]);
  const project = join(root, 'test', 'apps', 'LeakScenarios');
  execFileSync('dotnet', ['build', project, '-c', 'Release', '--nologo', '-v', 'q'], { stdio: 'inherit' });
  mkdirSync(outDir, { recursive: true });
  log(`taking a heap dump of the 'big' scenario (${objects.toLocaleString('en-US')} objects)`);
  const res = await runAndCollect({
    command: 'dotnet',
    args: [
      join(project, 'bin', 'Release', 'net10.0', 'LeakScenarios.dll'),
      'big',
      '--objects',
      String(objects),
    ],
    kinds: ['dump'],
    dumpType: 'heap',
    outDir,
    force: true,
    checkpoints: 'all',
    timeouts: { checkpointMs: 300_000, collectMs: 600_000, totalMs: 900_000 },
  });
  return res.snapshots[0].file;
}

const file = await dump();
const node = process.execPath;
const heapgate = join(root, 'bin', 'heapgate.js');
const dotnetDump = requireTool('dotnet-dump');
const baseline = join(root, 'bench', 'out', `baseline-dump-${objects}.json`);
execFileSync(
  node,
  [heapgate, 'baseline', 'record', file, '--scenario', 'bench', '--out', baseline, '--force'],
  {
    stdio: 'ignore',
  },
);

log(`stat, dumpheap -stat -live, passing check (${runs} runs each)`);
const r = interleaved(runs, {
  stat: () => measure(node, [heapgate, 'stat', file, '--json']),
  sos: () => measure(dotnetDump, ['analyze', file, '-c', 'dumpheap -stat -live', '-c', 'exit']),
  check: () => measure(node, [heapgate, 'check', file, '--baseline', baseline, '--format', 'json']),
});
// Both read the same heap: SOS's total line ("Total N objects, B bytes") against heapgate's totals.
// SOS 10's live walk does not follow thread-static roots, so heapgate may count a few more.
const json = JSON.parse(r.stat.last.stdout);
const total = /Total ([\d,]+) objects, ([\d,]+) bytes/.exec(r.sos.last.stdout);
if (!total) throw new Error(`no total line in dumpheap -stat -live:\n${r.sos.last.stdout.slice(-500)}`);
const sosObjects = Number(total[1].replace(/,/g, ''));
const missing = json.totals.objects - sosObjects;
if (missing < 0 || missing > json.totals.objects * 0.001)
  throw new Error(
    `object counts differ: heapgate ${json.totals.objects}, dumpheap -stat -live ${sosObjects}`,
  );

log(`evidence (${evidenceRuns} runs each)`);
const e = interleaved(evidenceRuns, {
  roots: () => measure(node, [heapgate, 'roots', file, '--type', EVIDENCE_TYPE]),
  dominators: () => measure(node, [heapgate, 'dominators', file, '--top', '20']),
});

const s = (x) => x.toFixed(2);
const m = (x) => x.toFixed(0);
const sizeMiB = statSync(file).size / 2 ** 20;
console.log(
  `\nheap dump of ${json.totals.objects.toLocaleString('en-US')} live objects (${m(sizeMiB)} MiB); medians of ${runs} interleaved runs (evidence: ${evidenceRuns}); wall s / peak RSS MiB\n`,
);
console.log(`  heapgate stat               ${s(r.stat.wall)} / ${m(r.stat.rssMiB)}`);
console.log(
  `  dumpheap -stat -live (SOS)  ${s(r.sos.wall)} / ${m(r.sos.rssMiB)}   (${sosObjects.toLocaleString('en-US')} objects)`,
);
console.log(`  speed-up ${s(r.sos.wall / r.stat.wall)}x, RSS ratio ${s(r.stat.rssMiB / r.sos.rssMiB)}`);
console.log(
  `  passing check               ${s(r.check.wall)} / ${m(r.check.rssMiB)}   (${s(r.check.wall / r.stat.wall)}x stat)`,
);
console.log(`  roots --type                ${s(e.roots.wall)} / ${m(e.roots.rssMiB)}`);
console.log(`  dominators --top 20         ${s(e.dominators.wall)} / ${m(e.dominators.rssMiB)}`);
