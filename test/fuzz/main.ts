/**
 * `npm run fuzz -- [--time <seconds>] [--target <name,...>] [--seed <n>] [--out <dir>]`
 *
 * Fuzzes heapgate's readers for a while and saves every crash, slow input (> 5 s of CPU), hang and
 * allocation over budget (> 4x the input + 64 MiB) to `<out>/<target>/`, from where
 * test/fuzz/corpus.test.ts replays them. Exits 1 when it found anything, 0 otherwise.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MAX_INPUT_BYTES } from './mutate.js';
import {
  HEADER_BYTES,
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
import { repoRoot, TARGET_NAMES, type TargetName } from './targets.js';

interface Args {
  timeSeconds: number;
  targets: TargetName[];
  seed: number;
  out: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    timeSeconds: 60,
    targets: [...TARGET_NAMES],
    seed: Date.now() % 2_147_483_647,
    out: join(repoRoot, 'test', 'fuzz', 'corpus'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) usage(`${flag} needs a value`);
    i++;
    if (flag === '--time') args.timeSeconds = positive(flag, value);
    else if (flag === '--seed') args.seed = positive(flag, value);
    else if (flag === '--out') args.out = value;
    else if (flag === '--target') {
      const names = value.split(',');
      for (const n of names)
        if (!(TARGET_NAMES as readonly string[]).includes(n))
          usage(`unknown target '${n}' (one of ${TARGET_NAMES.join(', ')})`);
      args.targets = names as TargetName[];
    } else usage(`unknown option ${flag}`);
  }
  return args;
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) usage(`${flag} takes a number, not '${value}'`);
  return n;
}

function usage(message: string): never {
  process.stderr.write(
    `fuzz: ${message}\nusage: npm run fuzz -- [--time <seconds>] [--target <${TARGET_NAMES.join('|')}>,...] [--seed <n>] [--out <dir>]\n`,
  );
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const shared = new SharedArrayBuffer(HEADER_BYTES + MAX_INPUT_BYTES);
const header = new Int32Array(shared, 0, STATS_OFFSET / 4);
const stats = new Float64Array(shared, STATS_OFFSET, STATS_SLOTS);
const data = new Uint8Array(shared, HEADER_BYTES, MAX_INPUT_BYTES);

const saved: string[] = [];
const signatures = new Map<string, number>();

/**
 * One saved reproducer per target, kind and error shape: the message without numbers or quoted
 * text, and the source file of the throwing frame (not its line or function: a stack overflow
 * ends in a different function of the same recursion each time).
 */
function signature(target: string, kind: string, detail: string): string {
  const frame = / \(at (?:[^\s()]+ \()?([^()]*?)(?::\d+:\d+)?\)?\)$/.exec(detail);
  const message = (frame ? detail.slice(0, frame.index) : detail)
    .replace(/(["'`]).*?\1/g, 'Q')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
  const file = frame?.[1].replace(/^.*\/(node_modules|src|test)\//, '$1/');
  return `${target} ${kind} ${message}${file ? ` in ${file}` : ''}`;
}

/** Problems already known and kept in test/fuzz/open/ (`<kind>: <detail>` in each .txt). */
function openSignatures(): Set<string> {
  const known = new Set<string>();
  const dir = join(repoRoot, 'test', 'fuzz', 'open');
  for (const target of existsSync(dir) ? readdirSync(dir) : []) {
    for (const file of readdirSync(join(dir, target)).filter((f) => f.endsWith('.txt'))) {
      const line = readFileSync(join(dir, target, file), 'utf8').split('\n')[0];
      const colon = line.indexOf(': ');
      if (colon > 0) known.add(signature(target, line.slice(0, colon), line.slice(colon + 2)));
    }
  }
  return known;
}

const knownOpen = openSignatures();
const knownSeen = new Map<string, number>();

function save(f: Finding): void {
  const sig = signature(f.target, f.kind, f.detail);
  if (knownOpen.has(sig)) {
    knownSeen.set(sig, (knownSeen.get(sig) ?? 0) + 1);
    return;
  }
  signatures.set(sig, (signatures.get(sig) ?? 0) + 1);
  if ((signatures.get(sig) ?? 0) > 1) return;
  const dir = join(args.out, f.target);
  mkdirSync(dir, { recursive: true });
  const name = `${f.kind}-${createHash('sha1').update(f.bytes).digest('hex').slice(0, 12)}`;
  writeFileSync(join(dir, `${name}.bin`), f.bytes);
  writeFileSync(join(dir, `${name}.txt`), `${f.kind}: ${f.detail}\n`);
  saved.push(
    `${relative(process.cwd(), join(dir, `${name}.bin`))} (${f.bytes.length} bytes): ${f.kind}: ${f.detail}`,
  );
  process.stderr.write(`fuzz: ${f.target}: ${f.kind}: ${f.detail.slice(0, 240)} -> ${name}.bin\n`);
}

function currentInput(targets: readonly TargetName[]): { target: TargetName; bytes: Uint8Array } {
  const length = Atomics.load(header, Slot.Length);
  return { target: targets[Atomics.load(header, Slot.Target)], bytes: data.slice(0, length) };
}

const started = Date.now();
const deadline = started + args.timeSeconds * 1000;
let restarts = 0;

function startWorker(): Promise<void> {
  return new Promise((resolve) => {
    const workerOpts: WorkerOptions = {
      targets: args.targets,
      seed: (args.seed + restarts * 104729) | 0,
      shared,
    };
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: workerOpts,
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
    let counter = -1;
    let cpuAtStart = process.cpuUsage();
    let wallAtStart = Date.now();
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      resolve();
    };
    const watchdog = setInterval(() => {
      const now = Atomics.load(header, Slot.Counter);
      if (now !== counter) {
        counter = now;
        cpuAtStart = process.cpuUsage();
        wallAtStart = Date.now();
      } else if (Atomics.load(header, Slot.Running) === 1) {
        const cpu = process.cpuUsage(cpuAtStart);
        const cpuMs = (cpu.user + cpu.system) / 1000;
        const wallMs = Date.now() - wallAtStart;
        // CPU time, not wall time, so a loaded machine does not turn slow inputs into hangs.
        if (cpuMs > 2 * TIME_LIMIT_MS || wallMs > 60_000) {
          const { target, bytes } = currentInput(args.targets);
          save({
            kind: 'hang',
            target,
            detail: `no result after ${Math.round(cpuMs)} ms of CPU (${wallMs} ms wall)`,
            bytes,
          });
          restarts++;
          void worker.terminate().then(finish);
          return;
        }
      }
      if (Date.now() >= deadline) void worker.terminate().then(finish);
    }, 250);
    worker.on('message', (m: WorkerMessage) => save(m.finding));
    worker.on('error', (err) => {
      if (Atomics.load(header, Slot.Running) === 1) {
        const { target, bytes } = currentInput(args.targets);
        const kind = /out of memory/i.test(err.message) ? 'out-of-memory' : 'crash';
        save({ kind, target, detail: `${err.name}: ${err.message}`, bytes });
      } else process.stderr.write(`fuzz: worker failed outside an input: ${err.stack ?? err.message}\n`);
      restarts++;
    });
    worker.on('exit', finish);
  });
}

process.stderr.write(`fuzz: ${args.targets.join(', ')} for ${args.timeSeconds} s, seed ${args.seed}\n`);
while (Date.now() < deadline) await startWorker();

const seconds = (Date.now() - started) / 1000;
const perTarget = args.targets.map((name, index) => ({ name, index, count: stats[Stat.PerTarget + index] }));
const count = perTarget.reduce((a, t) => a + t.count, 0);
const accepted = stats[Stat.Accepted];
const inputErrors = stats[Stat.InputErrors];
const inputBytes = stats[Stat.Bytes];
process.stdout.write(
  `fuzz: ${count.toLocaleString('en-US')} inputs in ${seconds.toFixed(1)} s (${Math.round(count / seconds)}/s, ` +
    `${(inputBytes / 1048576).toFixed(0)} MiB); ${accepted} read, ${inputErrors} rejected with an input error; seed ${args.seed}\n`,
);
for (const t of perTarget) {
  const ms = stats[Stat.PerTarget + TARGET_SLOTS + t.index];
  process.stdout.write(
    `  ${t.name}: ${t.count.toLocaleString('en-US')} inputs, ${(ms / 1000).toFixed(1)} s (${(ms / Math.max(1, t.count)).toFixed(2)} ms each)\n`,
  );
}
for (const [sig, n] of knownOpen.size ? knownSeen : [])
  process.stdout.write(`fuzz: known open problem (test/fuzz/open/), seen ${n} x: ${sig}\n`);
if (signatures.size === 0) {
  process.stdout.write('fuzz: no new crash, hang, slow input or allocation over budget\n');
} else {
  process.stdout.write(
    `fuzz: ${signatures.size} distinct problem(s), ${[...signatures.values()].reduce((a, b) => a + b, 0)} input(s):\n`,
  );
  for (const [sig, n] of signatures) process.stdout.write(`  ${n} x ${sig}\n`);
  if (saved.length) process.stdout.write(`saved:\n${saved.map((s) => `  ${s}`).join('\n')}\n`);
  const dirs = existsSync(args.out) ? readdirSync(args.out) : [];
  process.stdout.write(
    `reproducers are in ${relative(process.cwd(), args.out)}/ (${dirs.join(', ')}); npx vitest run test/fuzz replays them\n`,
  );
  process.exitCode = 1;
}
