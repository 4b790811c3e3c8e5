/**
 * `heapgate collect --trace` on the real scenario app: a .nettrace per checkpoint interval next to
 * the snapshots, listed in the manifest, and `heapgate allocs` on the last one naming the method
 * that creates the leaked objects.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CollectManifest } from '../../src/collect/session.js';
import { runCli } from '../support/cli.js';
import { scenarioAppDll } from '../support/scenario.js';

const scratch = mkdtempSync(join(tmpdir(), 'heapgate-collect-trace-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('heapgate collect --trace', () => {
  const out = join(scratch, 'static-list');
  const command = ['dotnet', scenarioAppDll(), 'static-list', '--rounds', '2', '--per-round', '20000'];

  it('records the allocations between checkpoints next to the snapshots', async () => {
    const result = await runCli(['collect', '--trace', '-q', '-o', out, '--', ...command], {
      timeoutMs: 300_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const gcdumps = ['warmup', 'round-1', 'round-2'].map((l) => join(out, `${l}.gcdump`));
    const traces = ['round-1', 'round-2'].map((l) => join(out, `${l}.nettrace`));
    expect(result.stdout.trim().split('\n')).toEqual([
      ...gcdumps,
      ...traces,
      join(out, 'heapgate-collect.json'),
    ]);
    const manifest = JSON.parse(readFileSync(join(out, 'heapgate-collect.json'), 'utf8')) as CollectManifest;
    expect(manifest.traces?.map((t) => [t.from, t.label, t.file])).toEqual([
      ['warmup', 'round-1', 'round-1.nettrace'],
      ['round-1', 'round-2', 'round-2.nettrace'],
    ]);
    for (const t of traces) expect(statSync(t).size).toBeGreaterThan(10_000);

    const allocs = await runCli(['allocs', traces[1], '--type', 'LeakedOrder', '--json']);
    expect(allocs.code, allocs.stderr).toBe(0);
    const doc = JSON.parse(allocs.stdout) as {
      types: Array<{ type: string; ticks: number; stacks: Array<{ frames: string[] }> }>;
    };
    const leaked = doc.types.find((t) => t.type === 'HeapgateScenarios.Leaks.LeakedOrder');
    expect(leaked?.ticks).toBeGreaterThan(0);
    expect(leaked?.stacks[0].frames[0]).toBe('HeapgateScenarios.Leaks.StaticListScenario.RunRound');
  }, 300_000);

  it('refuses --trace with --pid', async () => {
    const result = await runCli(['collect', '--trace', '--pid', '1', '-o', join(scratch, 'x')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--trace records between checkpoints/);
  });

  it('soak --trace records each round next to its snapshot', async () => {
    const dir = join(scratch, 'soak');
    const result = await runCli(
      ['soak', '--trace', '-q', '--rounds', '2', '-o', dir, '--format', 'json', '--', ...command],
      { timeoutMs: 300_000 },
    );
    expect([0, 1], result.stderr).toContain(result.code);
    const manifest = JSON.parse(readFileSync(join(dir, 'heapgate-collect.json'), 'utf8')) as CollectManifest;
    expect(manifest.traces?.map((t) => t.label)).toEqual(['round-1', 'round-2']);
    for (const t of manifest.traces ?? []) expect(statSync(join(dir, t.file)).size).toBeGreaterThan(10_000);
    expect(result.stderr).toContain('heapgate: allocations of "round-2" traced to');
  }, 300_000);
});
