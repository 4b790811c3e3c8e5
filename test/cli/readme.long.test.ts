/**
 * Every command in README.md's shell blocks runs here, with the real built CLI, and exits as the
 * README says it does. A README that lies fails.
 *
 * Each `sh` block is split into commands (comments dropped, `\` continuations joined). Every
 * command must be listed in COMMANDS below, keyed by its exact text: either how it runs (the
 * placeholders it uses replaced by real files, a real process id or address, or the LeakScenarios
 * app for "your scenario"; the exit code it must give) or why it does not run here. A command
 * the README gains, or one this table lists that the README no longer has, fails the test.
 *
 * Commands run through `sh -c` in a fresh folder holding copies of examples/ and baselines/, a
 * `bin` link to the repository's bin/, the placeholder files the README names (snap.gcdump,
 * head.gcdump, snaps/run1.gcdump, …) and a `heapgate` on PATH that runs bin/heapgate.js.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { cliPath, repoRoot, runCli } from '../support/cli.js';
import { run } from '../support/run.js';
import { scenarioAppDll, withScenario } from '../support/scenario.js';

interface Runs {
  /** Exit code the README promises (0 pass, 1 gate failed, …). */
  exit: 0 | 1;
  /** Placeholder text → what stands in for it here. `$DLL` is the LeakScenarios app's dll. */
  replace?: [string, string][];
  /** Run while a LeakScenarios process waits at a checkpoint; `$PID` is its process id. */
  withProcess?: boolean;
  /** Prepared files it reads (recorded baselines, a collected series), copied in before it runs. */
  uses?: ('baselines/checkout.json' | 'baselines/orders.json' | 'heapgate-soak')[];
  /** Commands to run first in the same folder (each must exit 0 or 1, a gate's two verdicts). */
  before?: string[];
  /** Files (relative to the folder) the command must have written. */
  writes?: string[];
  /** Text the output must contain (e.g. the README's sample output). */
  prints?: string[];
}
interface Skipped {
  skip: string;
  /** For `npm run <script>` lines: the scripts package.json must define. */
  npmScripts?: string[];
}
interface Synopsis {
  /** A usage line: every option it lists must be in `heapgate <command> --help`. */
  synopsisOf: string;
}
type Spec = Runs | Skipped | Synopsis;

const ADDRESS = '0x7f12a4c0b3f0';

/** A line with its runs of spaces made one: column widths are not what the README promises. */
const squeeze = (line: string) => line.trim().replace(/\s+/g, ' ');

/** The sample output the README shows for its first command (lines without "…"). */
function readmeSampleOutput(readme: string): string[] {
  const m = /\n```\n(heapgate check: FAIL[\s\S]*?)```/.exec(readme);
  if (m === null) throw new Error('README: the sample output of the first check is gone');
  return m[1]
    .split('\n')
    .map(squeeze)
    .filter((l) => l !== '' && l !== '…');
}

/** A scenario run with allocation traces, for the `heapgate allocs` lines. */
const TRACED_RUN = `heapgate collect --trace -q -o snaps -- dotnet "${scenarioAppDll()}" static-list --rounds 2 --per-round 20000 > /dev/null`;

const COMMANDS: Record<string, Spec> = {
  // Quick start
  'npm ci': { skip: 'installs from the npm registry (network); the suite runs after it' },
  'node bin/heapgate.js check examples/leaky-cache.gcdump --baseline baselines/example.json --format text': {
    exit: 1,
    prints: ['$SAMPLE_OUTPUT'],
  },
  'npm test': { skip: 'runs this very suite', npmScripts: ['test'] },
  'node bin/heapgate.js stat examples/leaky-cache.gcdump --top 10': { exit: 0 },
  'node bin/heapgate.js diff examples/steady.gcdump examples/leaky-cache.gcdump': { exit: 0 },
  'node bin/heapgate.js roots examples/leaky-cache.gcdump --type CacheEntry': {
    exit: 0,
    prints: ['static field s_entries'],
  },
  'heapgate stat <file> [--top N] [--type <text|glob>] [--min-bytes <size>] [--min-object <size>] [--max-object <size>] [--unreachable|--live|--dead] [--mt <methodtable>] [--strings] [--collections] [--retained] [--json]':
    { synopsisOf: 'stat' },

  // Collecting
  'heapgate collect --pid 4242 --kind both -o snaps': {
    exit: 0,
    replace: [['4242', '$PID']],
    withProcess: true,
    writes: ['snaps/heapgate-collect.json'],
  },
  'heapgate collect -o snaps -- dotnet MyScenario.dll --rounds 5': {
    exit: 0,
    replace: [['MyScenario.dll', '$DLL static-list --per-round 100']],
    writes: ['snaps/warmup.gcdump', 'snaps/round-5.gcdump', 'snaps/heapgate-collect.json'],
  },
  'heapgate collect --checkpoints warmup,round-5 --timeout 5m -- ./run-soak.sh': {
    exit: 0,
    writes: ['heapgate-snapshots/warmup.gcdump', 'heapgate-snapshots/round-5.gcdump'],
  },
  "heapgate soak --rounds 5 --checkpoint-pattern 'ROUND (\\d+) complete' --continue-with go -- ./my-load-test":
    {
      exit: 0,
    },

  // Baselines, diffs and the gate
  'heapgate baseline record snaps/run1.gcdump snaps/run2.gcdump snaps/run3.gcdump --scenario checkout': {
    exit: 0,
    writes: ['baselines/checkout.json'],
  },
  'heapgate baseline show baselines/checkout.json': { exit: 0, uses: ['baselines/checkout.json'] },
  'heapgate diff baselines/checkout.json head.gcdump --top 20': {
    exit: 0,
    uses: ['baselines/checkout.json'],
  },
  'heapgate check head.gcdump --baseline baselines/checkout.json --rules builtin:default --rules builtin:dotnet-leak-patterns --format md --output report.md':
    { exit: 1, uses: ['baselines/checkout.json'], writes: ['report.md'] },
  'heapgate baseline record clean-*/round-3.gcdump --scenario orders': {
    exit: 0,
    writes: ['baselines/orders.json'],
  },
  'heapgate check head.gcdump --scenario orders': { exit: 1, uses: ['baselines/orders.json'] },
  'heapgate check head.gcdump --baseline baselines/orders.json --json > result.json': {
    exit: 1,
    uses: ['baselines/orders.json'],
    writes: ['result.json'],
  },
  'heapgate baseline record head.gcdump --scenario orders --force --leaks-from result.json': {
    exit: 0,
    uses: ['baselines/orders.json'],
    before: ['heapgate check head.gcdump --baseline baselines/orders.json --json > result.json'],
  },
  'heapgate calibrate baselines/orders.json': { exit: 0, uses: ['baselines/orders.json'] },
  // Two recorded versions of the baseline in a fresh repository, the second from the leaky example.
  'heapgate history baselines/orders.json --format md': {
    exit: 0,
    uses: ['baselines/orders.json'],
    before: [
      'git init -q && git add baselines/orders.json && git -c user.name=a -c user.email=a@example.com commit -qm one',
      'heapgate baseline record examples/leaky-cache.gcdump --scenario orders --force && git -c user.name=a -c user.email=a@example.com commit -qam two',
    ],
    prints: ['| Type | Objects per commit | Level change | Where it began |'],
  },
  'heapgate ab --runs 3 --checkpoint round-3 --base "dotnet base/bin/Release/net10.0/Scenarios.dll checkout --rounds 3" --head "dotnet head/bin/Release/net10.0/Scenarios.dll checkout --rounds 3" --rules builtin:default --format md --output ab.md':
    {
      exit: 1,
      replace: [
        ['base/bin/Release/net10.0/Scenarios.dll checkout', '$DLL steady'],
        ['head/bin/Release/net10.0/Scenarios.dll checkout', '$DLL static-list --per-round 2000'],
      ],
      writes: ['ab.md'],
    },

  // Soak
  'heapgate soak --rounds 6 -- dotnet MyScenario.dll --rounds 100': {
    exit: 0,
    replace: [['MyScenario.dll', '$DLL steady']],
  },
  'heapgate soak --duration 30m --format md --output soak.md --svg charts -- ./run-soak.sh': {
    // run-soak.sh here ends after 5 rounds, which ends the soak well before 30 minutes.
    exit: 0,
    writes: ['soak.md'],
  },
  'heapgate soak --snapshots heapgate-soak/heapgate-collect.json --format json': {
    exit: 0,
    uses: ['heapgate-soak'],
  },

  // HTML and export
  'heapgate report --html examples/leaky-cache.gcdump --output heap.html': { exit: 0, writes: ['heap.html'] },
  'heapgate check head.gcdump --baseline baselines/checkout.json --format html --output check.html': {
    exit: 1,
    uses: ['baselines/checkout.json'],
    writes: ['check.html'],
  },
  'heapgate soak --snapshots heapgate-soak/heapgate-collect.json --format html --output soak.html': {
    exit: 0,
    uses: ['heapgate-soak'],
    writes: ['soak.html'],
  },
  'heapgate export --format heapsnapshot snap.gcdump --output snap.heapsnapshot': {
    exit: 0,
    writes: ['snap.heapsnapshot'],
  },
  'heapgate convert app.dmp app.gcdump': {
    skip: 'needs a full dump of a running process; test/dump/convert.test.ts converts real dumps and checks them against dotnet-gcdump report',
  },

  // Allocation sites
  'heapgate collect --trace -o snaps -- dotnet MyScenario.dll --rounds 3': {
    exit: 0,
    replace: [['MyScenario.dll', '$DLL static-list --per-round 20000']],
    writes: ['snaps/round-2.nettrace', 'snaps/round-3.nettrace', 'snaps/heapgate-collect.json'],
  },
  'heapgate allocs snaps/round-2.nettrace --top 3 --stacks 1': {
    exit: 0,
    before: [TRACED_RUN],
    prints: [
      "A tick fires about every 100 KB allocated per heap; bytes are the sum of the ticks' amounts (± 1/sqrt(ticks)).",
      'HeapgateScenarios.Leaks.StaticListScenario.RunRound',
    ],
  },
  'heapgate allocs snaps/round-2.nettrace --type MyApp.Order --json': {
    exit: 0,
    replace: [['MyApp.Order', 'LeakedOrder']],
    before: [TRACED_RUN],
    prints: ['"command": "allocs",'],
  },

  // Root paths
  'heapgate roots snap.gcdump --type MyApp.Order': {
    exit: 0,
    replace: [['MyApp.Order', 'HeapgateScenarios.Leaks.CacheEntry']],
  },
  [`heapgate roots snap.gcdump --address ${ADDRESS}`]: { exit: 0, replace: [[ADDRESS, '$ADDRESS']] },
  [`heapgate roots snap.gcdump --address ${ADDRESS} --all --limit 20`]: {
    exit: 0,
    replace: [[ADDRESS, '$ADDRESS']],
  },
  [`heapgate refs snap.gcdump --address ${ADDRESS}`]: { exit: 0, replace: [[ADDRESS, '$ADDRESS']] },
  'heapgate dominators snap.gcdump --top 20': { exit: 0 },

  // Development
  'npm run lint && npm run typecheck': {
    skip: 'CI runs lint and typecheck as steps of their own',
    npmScripts: ['lint', 'typecheck'],
  },
  'npm run bench': { skip: 'minutes: collects 1M to 9.8M-object snapshots', npmScripts: ['bench'] },
  'npm run bench:service': { skip: 'minutes: a service under load', npmScripts: ['bench:service'] },
  'npm run build:action && npm run check:dist': {
    skip: 'CI runs check:dist; build:action rewrites the committed bundle',
    npmScripts: ['build:action', 'check:dist'],
  },
  'npm run build:wasm && npm run check:wasm': {
    skip: 'CI runs check:wasm; build:wasm rewrites the committed module',
    npmScripts: ['build:wasm', 'check:wasm'],
  },
  'npm run fuzz -- --time 60': {
    skip: 'a minute of fuzzing, not a check of the README',
    npmScripts: ['fuzz'],
  },
  // Memory assertions in your tests
  'heapgate test -- dotnet test tests/MyApp.Tests': {
    skip: 'tests/MyApp.Tests stands for your suite; test/testing/heapgateTest.long.test.ts runs the example suites this way',
  },
  'heapgate test --format md -o heapgate-test -- dotnet test': {
    skip: 'a suite in the current folder; test/testing/heapgateTest.long.test.ts runs the example suites this way',
  },
  'heapgate assert request.json --report a1.json': {
    skip: 'Heapgate.Testing writes request.json; test/testing/heapgateTest.long.test.ts runs this path for real',
  },
  'scripts/build-dotnet.sh': {
    skip: '.ci/run runs it before the tests, and the long tests whenever dotnet/ changed',
  },
  'heapgate test -- dotnet test dotnet/examples/CartService.Tests -c Release': {
    skip: 'test/testing/heapgateTest.long.test.ts runs it and checks the failure against dotnet-gcdump report',
  },
  'node scripts/measure-test-library.mjs': { skip: 'minutes of measurement (dozens of test runs)' },
};

/** Fenced blocks of the README: info string and body. */
function fencedBlocks(markdown: string): { lang: string; body: string; line: number }[] {
  const blocks: { lang: string; body: string; line: number }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    blocks.push({ lang: open[1], body: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

/** Commands of an `sh` block: comment lines dropped, trailing comments cut, `\` lines joined. */
function shellCommands(body: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of body.split('\n')) {
    const line = raw.replace(/\s+#\s.*$/, '').trimEnd();
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    out.push((pending + line.trim()).replace(/\s+/g, ' '));
    pending = '';
  }
  return out;
}

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const blocks = fencedBlocks(readme);
const commands = blocks.filter((b) => b.lang === 'sh').flatMap((b) => shellCommands(b.body));

describe('README code blocks', () => {
  it('every shell command is known to this test, and every known command is in the README', () => {
    expect(commands.length).toBeGreaterThan(30);
    expect(
      commands.filter((c) => !(c in COMMANDS)),
      'README commands this test does not know',
    ).toEqual([]);
    expect(
      Object.keys(COMMANDS).filter((c) => !commands.includes(c)),
      'commands no longer in the README',
    ).toEqual([]);
  });

  it('every other block is YAML (workflows, rules files), JSON or sample output, not commands', () => {
    // Workflow YAML runs on GitHub, not here; the rules YAML is parsed by test/rules.
    const langs = new Set(blocks.filter((b) => b.lang !== 'sh').map((b) => b.lang));
    expect([...langs].sort()).toEqual(['', 'csharp', 'json', 'text', 'yaml']);
    for (const b of blocks.filter((b) => b.lang === '' || b.lang === 'text')) {
      // Sample output or the architecture sketch: no line starts a command.
      expect(b.body, `README line ${b.line}`).not.toMatch(/^\s*(heapgate [a-z]+ |npm |npx |node )/m);
    }
  });

  it('every C# example is code from the example suites under dotnet/examples, line for line', () => {
    const sources = [
      'CartService.Tests/CartMemoryTests.cs',
      'Inventory.NUnitTests/StockWatcherMemoryTests.cs',
      'Billing.MSTestTests/InvoiceMemoryTests.cs',
    ]
      .map((f) => readFileSync(join(repoRoot, 'dotnet', 'examples', f), 'utf8'))
      .join('\n');
    const code = (line: string) => line.replace(/\s+\/\/.*$/, '').trim();
    const lines = new Set(sources.split('\n').map(code));
    const csharp = blocks.filter((b) => b.lang === 'csharp');
    expect(csharp.length).toBe(3);
    for (const b of csharp)
      for (const line of b.body
        .split('\n')
        .map(code)
        .filter((l) => l !== ''))
        expect(
          lines.has(line) || lines.has(line.replace(/\b300\b/, 'Carts')),
          `README line ${b.line}: ${line}`,
        ).toBe(true);
  });

  it('the npm scripts the README names exist', () => {
    const scripts = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const spec of Object.values(COMMANDS))
      for (const s of 'npmScripts' in spec ? (spec.npmScripts ?? []) : [])
        expect(scripts, s).toHaveProperty([s]);
    // `npm ci` builds heapgate (the README says so): the prepare script does.
    expect(scripts.prepare).toBe('npm run build');
  });

  it('synopses list only options the command has', async () => {
    for (const [line, spec] of Object.entries(COMMANDS)) {
      if (!('synopsisOf' in spec)) continue;
      const help = await runCli([spec.synopsisOf, '--help']);
      expect(help.code).toBe(0);
      for (const option of line.match(/--[a-z][a-z-]*/g) ?? []) expect(help.stdout, line).toContain(option);
    }
  });
});

describe('README commands, run', () => {
  let base: string;
  let address: string;
  beforeAll(async () => {
    await ensureBuilt();
    base = mkdtempSync(join(tmpdir(), 'heapgate-readme-'));
    const shim = join(base, 'shim');
    mkdirSync(shim);
    writeFileSync(join(shim, 'heapgate'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
    chmodSync(join(shim, 'heapgate'), 0o755);

    // The folder every command starts from.
    const seed = join(base, 'seed');
    mkdirSync(seed);
    cpSync(join(repoRoot, 'examples'), join(seed, 'examples'), { recursive: true });
    cpSync(join(repoRoot, 'baselines'), join(seed, 'baselines'), { recursive: true });
    const leaky = join(seed, 'examples', 'leaky-cache.gcdump');
    const steady = join(seed, 'examples', 'steady.gcdump');
    cpSync(leaky, join(seed, 'snap.gcdump'));
    cpSync(leaky, join(seed, 'head.gcdump'));
    mkdirSync(join(seed, 'snaps'));
    for (const i of [1, 2, 3]) {
      mkdirSync(join(seed, `clean-${i}`));
      cpSync(steady, join(seed, 'snaps', `run${i}.gcdump`));
      cpSync(steady, join(seed, `clean-${i}`, 'round-3.gcdump'));
    }
    const dll = scenarioAppDll();
    // A scenario script with the standard protocol, and an app with its own ready line.
    writeFileSync(join(seed, 'run-soak.sh'), `#!/bin/sh\nexec dotnet "${dll}" steady --rounds 5\n`);
    writeFileSync(
      join(seed, 'my-load-test'),
      [
        '#!/bin/sh',
        '# Prints "ROUND <n> complete" when ready for a snapshot and waits for "go".',
        `LEAKSCENARIOS_OWN_PROTOCOL=1 dotnet "${dll}" steady --rounds 8 | sed -u \\`,
        `  -e 's/^\\[app\\] ready for snapshot warmup$/ROUND 0 complete/' \\`,
        `  -e 's/^\\[app\\] ready for snapshot round-\\([0-9]*\\)$/ROUND \\1 complete/'`,
        '',
      ].join('\n'),
    );
    chmodSync(join(seed, 'run-soak.sh'), 0o755);
    chmodSync(join(seed, 'my-load-test'), 0o755);
    const inSeed = async (cmd: string) => {
      const r = await sh(seed, cmd);
      expect(r.code, `${cmd}\n${r.stdout}\n${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const extra = join(base, 'extra');
    await inSeed(
      `heapgate baseline record snaps/run1.gcdump snaps/run2.gcdump --scenario checkout --out ${extra}/baselines/checkout.json`,
    );
    await inSeed(
      `heapgate baseline record clean-1/round-3.gcdump clean-2/round-3.gcdump --scenario orders --out ${extra}/baselines/orders.json`,
    );
    await inSeed(`heapgate collect -o ${extra}/heapgate-soak -- dotnet "${dll}" steady --rounds 4`);
    const roots = JSON.parse(
      await inSeed('heapgate roots snap.gcdump --type HeapgateScenarios.Leaks.CacheEntry --json'),
    ) as {
      clusters: { sample: { steps: { address: string }[] } }[];
    };
    address = roots.clusters[0].sample.steps.at(-1)!.address;

    async function sh(cwd: string, cmd: string) {
      const r = await run('/bin/sh', ['-c', cmd], {
        cwd,
        env: { ...process.env, PATH: `${shim}:${process.env.PATH}` },
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    }
    shell = sh;
  }, 300_000);
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  let shell: (cwd: string, cmd: string) => Promise<{ code: number | null; stdout: string; stderr: string }>;
  let n = 0;

  const runnable = Object.entries(COMMANDS).filter((e): e is [string, Runs] => 'exit' in e[1]);
  it.each(runnable)(
    '%s',
    async (command, spec) => {
      const cwd = join(base, `run-${++n}`);
      cpSync(join(base, 'seed'), cwd, { recursive: true });
      symlinkSync(join(repoRoot, 'bin'), join(cwd, 'bin'));
      for (const file of spec.uses ?? [])
        cpSync(join(base, 'extra', file), join(cwd, file), { recursive: true });
      const go = async (pid?: number) => {
        let cmd = command;
        for (const [from, to] of spec.replace ?? [])
          cmd = cmd.replace(
            from,
            to
              .replace('$DLL', `"${scenarioAppDll()}"`)
              .replace('$ADDRESS', address)
              .replace('$PID', String(pid)),
          );
        return shell(cwd, cmd);
      };
      for (const cmd of spec.before ?? []) expect([0, 1], cmd).toContain((await shell(cwd, cmd)).code);
      const r = spec.withProcess
        ? await withScenario('static-list', { rounds: 1, perRound: 100 }, async (s) => {
            await s.checkpoint();
            return go(s.pid);
          })
        : await go();
      expect(
        r.code,
        `exit code of: ${command}\nstdout:\n${r.stdout.slice(0, 3000)}\nstderr:\n${r.stderr.slice(0, 3000)}`,
      ).toBe(spec.exit);
      for (const file of spec.writes ?? [])
        expect(existsSync(join(cwd, file)), `${command} wrote ${file}`).toBe(true);
      for (const text of spec.prints ?? []) {
        const wanted = text === '$SAMPLE_OUTPUT' ? readmeSampleOutput(readme) : [text];
        for (const line of wanted) expect(r.stdout.split('\n').map(squeeze), command).toContain(line);
      }
    },
    300_000,
  );
});
