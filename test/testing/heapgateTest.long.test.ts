/**
 * Heapgate.Testing end to end: the three example suites (xUnit v3 + WebApplicationFactory, NUnit,
 * MSTest) run for real under `heapgate test`, on their own with dotnet-gcdump and `heapgate
 * assert`, and with neither. Outcomes are read from the TRX files `dotnet test` writes, and the
 * counts in failure messages are checked against `dotnet-gcdump report` of the attached snapshots.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDotnetExamples, exampleSuiteDir, type ExampleSuite } from '../support/app.js';
import { cliPath, runCli } from '../support/cli.js';
import { gcdumpReport } from '../support/tools.js';
import { gcdumpReportText } from '../support/referenceText.js';
import { readTrxDir, type TrxResult } from '../support/trx.js';
import { findTool, requireTool } from '../../src/tools/discovery.js';
import { runCommand } from '../../src/tools/run.js';

interface SuiteExpectation {
  suite: ExampleSuite;
  clean: string;
  leaking: string;
  /** The leaked type as dotnet-gcdump report names it, and its count in the failure message. */
  type: string;
  /** Words of the first evidence line: the holder a reviewer fixes. */
  holder: RegExp;
}

const SUITES: SuiteExpectation[] = [
  {
    suite: 'CartService.Tests',
    clean: 'Checked_out_carts_are_released',
    leaking: 'Carts_with_price_alerts_are_released',
    type: 'CartService.Cart',
    holder:
      /x CartService\.Cart held by CartService\.PriceFeed's EventHandler<Decimal> field \(delegate invocation list/,
  },
  {
    suite: 'Inventory.NUnitTests',
    clean: 'Disposed_watchers_are_released',
    leaking: 'Retargeted_watchers_are_released',
    type: 'Inventory.StockWatcher',
    holder:
      /x Inventory\.StockWatcher held by List<Inventory\.StockWatcher>\._items .*reached from static field Watchers/,
  },
  {
    suite: 'Billing.MSTestTests',
    clean: 'Template_cache_stays_bounded',
    leaking: 'Numbered_invoices_do_not_grow_the_template_cache',
    type: 'Billing.InvoiceTemplate',
    holder:
      /x Billing\.InvoiceTemplate held by ConcurrentDictionary<String,Billing\.InvoiceTemplate>\._tables .*reached from static field Templates/,
  },
];

const work = mkdtempSync(join(tmpdir(), 'heapgate-test-'));
const dotnet = findTool('dotnet') ?? 'dotnet';

beforeAll(async () => {
  await buildDotnetExamples();
}, 900_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function dotnetTest(suite: ExampleSuite, trxDir: string): string[] {
  return [
    dotnet,
    'test',
    exampleSuiteDir(suite),
    '-c',
    'Release',
    '--no-build',
    '--logger',
    'trx',
    '--results-directory',
    trxDir,
  ];
}

function byName(results: TrxResult[], name: string): TrxResult {
  const found = results.find((r) => r.testName === name || r.testName.endsWith(`.${name}`));
  if (!found) throw new Error(`no result for ${name} in ${results.map((r) => r.testName).join(', ')}`);
  return found;
}

/** "300 x CartService.Cart held by …" -> 300 */
function leakedCount(message: string, type: string): number {
  const m = new RegExp(`([\\d,]+) x ${type.replace(/\./g, '\\.')} held by`).exec(message);
  if (!m) throw new Error(`no evidence line for ${type} in:\n${message}`);
  return Number(m[1].replace(/,/g, ''));
}

describe.each(SUITES)('heapgate test -- dotnet test $suite', (s) => {
  const out = join(work, `channel-${s.suite}`);
  const trx = join(out, 'trx');
  let code: number;
  let stdout: string;

  beforeAll(async () => {
    const [cmd, ...args] = dotnetTest(s.suite, trx);
    const result = await runCli(['test', '--out', out, '--quiet', '--', cmd, ...args], {
      timeoutMs: 600_000,
    });
    code = result.code;
    stdout = result.stdout;
    if (code !== 1) throw new Error(`heapgate test exited ${code}:\n${result.stdout}\n${result.stderr}`);
  }, 600_000);

  it('passes the clean test and fails the leaking one with the type, count and holder', async () => {
    const results = readTrxDir(trx);
    expect(byName(results, s.clean).outcome).toBe('Passed');
    const leaking = byName(results, s.leaking);
    expect(leaking.outcome).toBe('Failed');
    expect(leaking.message).toMatch(s.holder);
    expect(leaking.message).toContain(`${s.type}:`);

    // The count in the message is the head snapshot's count as dotnet-gcdump itself reports it.
    const snapshots = /snapshots: (.+)$/m.exec(leaking.message)?.[1].split(', ') ?? [];
    const head = snapshots.at(-1);
    expect(head).toMatch(/\.gcdump$/);
    const reference = gcdumpReportText(await gcdumpReport(head!));
    expect(leakedCount(leaking.message, s.type)).toBe(reference.counts.get(s.type));

    // The report and the snapshots are attached to the failing test's result.
    const attached = leaking.resultFiles.map((f) => f.split('/').at(-1));
    expect(attached.some((f) => f?.endsWith('.json'))).toBe(true);
    expect(attached.filter((f) => f?.includes('.gcdump')).length).toBe(snapshots.length);
    expect(byName(results, s.clean).resultFiles).toEqual([]);
  });

  it('reports the run: exit 1, result.json and report.md name the failing test', () => {
    expect(code).toBe(1);
    expect(stdout).toMatch(/^heapgate test: FAIL — 1 memory assertion failed/);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      verdict: string;
      commandExitCode: number;
      checkpoints: { test?: string }[];
      assertions: { test?: string; outcome?: { passed: boolean; message: string } }[];
    };
    expect(result.verdict).toBe('fail');
    expect(result.commandExitCode).toBe(1);
    expect(result.checkpoints.length).toBeGreaterThanOrEqual(3);
    const failed = result.assertions.filter((a) => a.outcome && !a.outcome.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0].test).toMatch(new RegExp(`${s.leaking}$`));
    expect(failed[0].outcome?.message).toMatch(s.holder);
    const passedTests = new Set(result.assertions.filter((a) => a.outcome?.passed).map((a) => a.test));
    expect([...passedTests].some((t) => t?.endsWith(s.clean))).toBe(true);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('<!-- heapgate:test name=tests -->');
    expect(md).toContain('❌ heapgate test: fail');
  });
});

describe('without heapgate test', () => {
  const suite: ExampleSuite = 'Inventory.NUnitTests';

  it('collects with dotnet-gcdump and judges with heapgate assert, with the same outcomes', async () => {
    const out = join(work, 'standalone');
    const [cmd, ...args] = dotnetTest(suite, join(out, 'trx'));
    const result = await runCommand(cmd, args, {
      timeoutMs: 600_000,
      env: {
        ...process.env,
        HEAPGATE_CLI: cliPath,
        HEAPGATE_DOTNET_GCDUMP: requireTool('dotnet-gcdump'),
        HEAPGATE_TEST_OUT: out,
        HEAPGATE_CHANNEL: '',
      },
    });
    expect(result.code).toBe(1);
    const results = readTrxDir(join(out, 'trx'));
    expect(byName(results, 'Disposed_watchers_are_released').outcome).toBe('Passed');
    const leaking = byName(results, 'Retargeted_watchers_are_released');
    expect(leaking.outcome).toBe('Failed');
    expect(leaking.message).toMatch(SUITES[1].holder);
    expect(leaking.message).toMatch(/heapgate report: .*assertions\/\d+-a\d+\.json/);
  }, 600_000);

  // Neither heapgate test nor the tools: skipped with the reason, never passed.
  const bare = (extra: NodeJS.ProcessEnv) => {
    const home = mkdtempSync(join(work, 'home-'));
    return {
      ...process.env,
      PATH: dirname(dotnet),
      HOME: home,
      DOTNET_CLI_HOME: home,
      NUGET_PACKAGES: process.env.NUGET_PACKAGES ?? join(process.env.HOME ?? '', '.nuget', 'packages'),
      HEAPGATE_CHANNEL: '',
      HEAPGATE_CLI: '',
      HEAPGATE_DOTNET_GCDUMP: '',
      HEAPGATE_TOOLS_DIR: '',
      HEAPGATE_REQUIRED: '',
      ...extra,
    };
  };

  it('skips every memory test with the reason when neither is available', async () => {
    const trx = join(work, 'unavailable', 'trx');
    const [cmd, ...args] = dotnetTest(suite, trx);
    const result = await runCommand(cmd, args, { timeoutMs: 600_000, env: bare({}) });
    expect(result.code).toBe(0);
    const results = readTrxDir(trx);
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.outcome).toBe('NotExecuted');
      expect(r.message).toContain('heapgate memory checks need heapgate');
    }
  }, 600_000);

  it('fails them instead when HEAPGATE_REQUIRED=1', async () => {
    const trx = join(work, 'required', 'trx');
    const [cmd, ...args] = dotnetTest(suite, trx);
    const result = await runCommand(cmd, args, { timeoutMs: 600_000, env: bare({ HEAPGATE_REQUIRED: '1' }) });
    expect(result.code).toBe(1);
    for (const r of readTrxDir(trx)) {
      expect(r.outcome).toBe('Failed');
      expect(r.message).toContain('HEAPGATE_REQUIRED is set');
    }
  }, 600_000);
});
