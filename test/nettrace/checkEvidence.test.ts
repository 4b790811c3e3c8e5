/**
 * `heapgate check --trace`: failing type findings gain the top allocation stacks of their type from
 * a real trace of the head run, in JSON, text and (collapsible, escaped) markdown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AllocationSitesEvidence } from '../../src/model/evidence.js';
import { allocationBlock } from '../../src/report/evidenceMarkdown.js';
import { runCli } from '../support/cli.js';
import { scenarioAppDll } from '../support/scenario.js';

const scratch = mkdtempSync(join(tmpdir(), 'heapgate-check-trace-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const LEAKED = 'HeapgateScenarios.Leaks.LeakedOrder';
const CREATOR = 'HeapgateScenarios.Leaks.StaticListScenario.RunRound';

describe('heapgate check --trace on a leaking run', () => {
  const out = join(scratch, 'snaps');
  const args = () => [
    'check',
    join(out, 'round-2.gcdump'),
    '--baseline',
    join(out, 'warmup.gcdump'),
    '--trace',
    join(out, 'round-2.nettrace'),
  ];
  beforeAll(async () => {
    const res = await runCli(
      [
        'collect',
        '--trace',
        '-q',
        '-o',
        out,
        '--',
        'dotnet',
        scenarioAppDll(),
        'static-list',
        '--rounds',
        '2',
        '--per-round',
        '50000',
      ],
      { timeoutMs: 300_000 },
    );
    expect(res.code, res.stderr).toBe(0);
  }, 300_000);

  it('JSON: the leaked type finding carries its allocation sites with sampling errors', async () => {
    const res = await runCli([...args(), '--format', 'json']);
    expect(res.code, res.stderr).toBe(1);
    const report = JSON.parse(res.stdout) as {
      findings: Array<{ types: string[]; status: string; allocatedAt?: AllocationSitesEvidence[] }>;
    };
    const f = report.findings.find((x) => x.status === 'fail' && x.types.includes(LEAKED));
    const sites = f?.allocatedAt?.find((a) => a.type === LEAKED);
    expect(sites, 'allocatedAt of the leaked type').toBeDefined();
    expect(sites?.ticks).toBeGreaterThan(0);
    expect(sites?.relativeError).toBeCloseTo(1 / Math.sqrt(sites?.ticks ?? 1), 3);
    expect(sites?.stacks[0].frames[0]).toBe(CREATOR);
    expect(sites?.stacks[0].share).toBeGreaterThan(0.5);
    expect(sites?.trace).toContain('round-2.nettrace');
  });

  it('text and markdown show where the leaked type is allocated', async () => {
    const text = await runCli([...args(), '--format', 'text']);
    expect(text.stdout).toContain(`${LEAKED} allocated at (`);
    expect(text.stdout).toContain(`          ${CREATOR}`);
    const md = await runCli([...args(), '--format', 'md']);
    expect(md.stdout).toContain(
      `<details><summary>📍 Where <code>${LEAKED}</code> is allocated: top stack <b>`,
    );
    expect(md.stdout).toContain(`<code>${CREATOR}</code>`);
  });

  it('without --trace nothing is added', async () => {
    const res = await runCli([...args().slice(0, 4), '--format', 'json']);
    expect(res.stdout).not.toContain('allocatedAt');
  });
});

describe('allocation sites in markdown', () => {
  it('escapes hostile type and method names', () => {
    const md = allocationBlock(
      {
        type: 'Evil<img src=x onerror=alert(1)>`|**',
        trace: 'a|b.nettrace',
        ticks: 4,
        estimatedBytes: 400_000,
        relativeError: 0.5,
        stacks: [{ frames: ['Ns.<script>.M', 'X.`y`|z'], ticks: 4, share: 1, shareError: 0.12 }],
      },
      '📍',
    );
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<script>');
    expect(md).not.toMatch(/[^\\]`y`/);
    expect(md).toContain('&lt;script&gt;');
    expect(md.split('\n')[0]).toMatch(/^<details><summary>.*<\/summary>$/);
  });
});
