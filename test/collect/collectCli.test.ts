import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CollectManifest } from '../../src/collect/session.js';
import { runCli } from '../support/cli.js';
import { scenarioAppDll, withScenario } from '../support/scenario.js';
import { gcdumpReport } from '../support/tools.js';
import { reportCounts } from '../support/referenceText.js';

// The real CLI (bin/heapgate.js, built) in a child process, as a user or CI job runs it.

const scratch = mkdtempSync(join(tmpdir(), 'heapgate-collect-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const readManifest = (dir: string): CollectManifest =>
  JSON.parse(readFileSync(join(dir, 'heapgate-collect.json'), 'utf8')) as CollectManifest;

describe('heapgate collect -- <command>', () => {
  const out = join(scratch, 'static-list');
  const command = ['dotnet', scenarioAppDll(), 'static-list', '--rounds', '2', '--per-round', '50'];

  it('writes a gcdump per checkpoint and a manifest in collection order, and prints their paths', async () => {
    const result = await runCli(['collect', '-o', out, '--', ...command]);
    expect(result.stderr).not.toMatch(/^heapgate: (?!collected)/m);
    expect(result.code).toBe(0);
    const files = ['warmup', 'round-1', 'round-2'].map((label) => join(out, `${label}.gcdump`));
    expect(result.stdout.trim().split('\n')).toEqual([...files, join(out, 'heapgate-collect.json')]);

    const manifest = readManifest(out);
    expect(manifest.schema).toBe('heapgate-collect/1');
    expect(manifest.command).toEqual(command);
    expect(manifest.exit).toEqual({ code: 0, signal: null });
    expect(manifest.error).toBeNull();
    expect(manifest.snapshots.map((s) => [s.label, s.kind, s.file])).toEqual([
      ['warmup', 'gcdump', 'warmup.gcdump'],
      ['round-1', 'gcdump', 'round-1.gcdump'],
      ['round-2', 'gcdump', 'round-2.gcdump'],
    ]);
    const times = manifest.snapshots.map((s) => Date.parse(s.collectedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const [i, snapshot] of manifest.snapshots.entries()) {
      expect(snapshot.pid).toBe(manifest.pid);
      expect(snapshot.bytes).toBe(statSync(files[i]).size);
      // Each file really is the process at that checkpoint: (1 + r) × 50 leaked orders.
      expect(reportCounts(await gcdumpReport(files[i])).get('HeapgateScenarios.Leaks.LeakedOrder')).toBe(
        (i + 1) * 50,
      );
    }
  });

  it('refuses to overwrite an earlier collection, naming the file, unless --force', async () => {
    const before = statSync(join(out, 'round-1.gcdump')).mtimeMs;
    const refused = await runCli(['collect', '-o', out, '--', ...command]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `heapgate: refusing to overwrite ${join(out, 'heapgate-collect.json')} (use --force`,
    );
    expect(refused.stdout).toBe('');
    expect(statSync(join(out, 'round-1.gcdump')).mtimeMs).toBe(before);

    const forced = await runCli([
      'collect',
      '-o',
      out,
      '--force',
      '--checkpoints',
      'round-1',
      '--',
      ...command,
    ]);
    expect(forced.code).toBe(0);
    expect(statSync(join(out, 'round-1.gcdump')).mtimeMs).toBeGreaterThan(before);
    expect(readManifest(out).snapshots.map((s) => s.label)).toEqual(['round-1']);
  });

  it('refuses a named checkpoint whose file exists even without a manifest', async () => {
    const dir = join(scratch, 'existing');
    const result0 = await runCli(['collect', '-o', dir, '--checkpoints', 'warmup', '--', ...command]);
    expect(result0.code).toBe(0);
    rmSync(join(dir, 'heapgate-collect.json'));
    const result = await runCli(['collect', '-o', dir, '--checkpoints', 'round-1,warmup', '--', ...command]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`refusing to overwrite ${join(dir, 'warmup.gcdump')}`);
  });

  it('--kind dump writes a core dump', async () => {
    const dir = join(scratch, 'dump');
    const result = await runCli([
      'collect',
      '-o',
      dir,
      '--kind',
      'dump',
      '--dump-type',
      'heap',
      '--checkpoints',
      'warmup',
      '--',
      ...command,
    ]);
    expect(result.code).toBe(0);
    const file = join(dir, 'warmup.dmp');
    expect(result.stdout.trim().split('\n')).toEqual([file, join(dir, 'heapgate-collect.json')]);
    expect(readFileSync(file).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    expect(readManifest(dir).snapshots.map((s) => [s.label, s.kind])).toEqual([['warmup', 'dump']]);
  });

  it('a checkpoint that never comes is an error listing the ones that did', async () => {
    const dir = join(scratch, 'missing');
    const result = await runCli(['collect', '-o', dir, '--checkpoints', 'round-9', '--', ...command]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'finished without reaching checkpoint(s) "round-9"; it reached: "warmup", "round-1", "round-2"',
    );
  });

  it('a scenario that crashes: exit code 2, its exit code and stderr in the message, manifest records the error', async () => {
    const dir = join(scratch, 'crash');
    const result = await runCli(['collect', '-o', dir, '--', 'dotnet', scenarioAppDll(), 'no-such-scenario']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /heapgate: scenario command dotnet \S+ no-such-scenario exited with code 2 before its first checkpoint/,
    );
    expect(result.stderr).toContain("unknown scenario 'no-such-scenario'");
    const manifest = readManifest(dir);
    expect(manifest.snapshots).toEqual([]);
    expect(manifest.error).toMatch(/exited with code 2/);
  });

  it('--timeout stops a scenario that never reaches a checkpoint', async () => {
    const dir = join(scratch, 'timeout');
    const started = Date.now();
    const result = await runCli(['collect', '-o', dir, '--timeout', '1s', '--', 'sh', '-c', 'sleep 120']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'did not reach a checkpoint within 1s after it started; its process group was killed',
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('usage errors exit 2 with a message', async () => {
    const none = await runCli(['collect', '-o', join(scratch, 'none')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'nothing to collect from: give --pid <pid>, or a scenario command after --',
    );
    const badTimeout = await runCli(['collect', '--timeout', 'soon', '--', 'true']);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain('invalid --timeout "soon"');
    expect(existsSync(join(scratch, 'none'))).toBe(false);
  });
});

describe('heapgate collect --pid', () => {
  it('collects a gcdump and a dump from a running process', async () => {
    await withScenario('event-handler', { perRound: 40 }, async (s) => {
      await s.checkpoint();
      const dir = join(scratch, 'by-pid');
      const result = await runCli([
        'collect',
        '--pid',
        String(s.pid),
        '--kind',
        'both',
        '--dump-type',
        'heap',
        '-o',
        dir,
      ]);
      expect(result.code).toBe(0);
      const gcdump = join(dir, `pid-${s.pid}.gcdump`);
      expect(result.stdout.trim().split('\n')).toEqual([
        gcdump,
        join(dir, `pid-${s.pid}.dmp`),
        join(dir, 'heapgate-collect.json'),
      ]);
      expect(reportCounts(await gcdumpReport(gcdump)).get('HeapgateScenarios.Leaks.Subscriber')).toBe(40);
      const manifest = readManifest(dir);
      expect(manifest.command).toBeNull();
      expect(manifest.snapshots.map((x) => [x.label, x.kind])).toEqual([
        [`pid-${s.pid}`, 'gcdump'],
        [`pid-${s.pid}`, 'dump'],
      ]);
    });
  });

  it('--pid and a command together is a usage error', async () => {
    const result = await runCli(['collect', '--pid', '1', '--', 'true']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('give either --pid or a scenario command after --, not both');
  });
});

describe('heapgate collect of an app with its own ready line (--checkpoint-pattern, --continue-with)', () => {
  it('snapshots at each matching line, replies with the given word, and names files by the captured label', async () => {
    const out = join(scratch, 'own-protocol');
    const command = ['dotnet', scenarioAppDll(), 'static-list', '--rounds', '2', '--per-round', '50'];
    const result = await runCli(
      [
        'collect',
        '-o',
        out,
        '--checkpoint-pattern',
        'ready for snapshot (\\S+)$',
        '--continue-with',
        'go',
        '--',
        ...command,
      ],
      { env: { LEAKSCENARIOS_OWN_PROTOCOL: '1' } },
    );
    expect(result.code, result.stderr).toBe(0);
    // The app never saw an unknown reply, and its ready lines are echoed like its other output.
    expect(result.stderr).not.toContain('unknown command');
    expect(result.stderr).toContain('[app] ready for snapshot round-2');
    // dotnet-gcdump warns at every snapshot of a .NET 10 target that its buffering is lossy: once is enough.
    expect(result.stderr.match(/^.*lossy.*$/gm)).toHaveLength(1);
    expect(result.stderr.match(/^heapgate: collected gcdump at checkpoint "[^"]+" \(/gm)).toHaveLength(3);
    const manifest = readManifest(out);
    expect(manifest.snapshots.map((s) => s.label)).toEqual(['warmup', 'round-1', 'round-2']);
    expect(
      reportCounts(await gcdumpReport(join(out, 'round-2.gcdump'))).get(
        'HeapgateScenarios.Leaks.LeakedOrder',
      ),
    ).toBe(150);
  });

  it('without the pattern, the same app gives a clear error naming the protocol line it never printed', async () => {
    const out = join(scratch, 'own-protocol-missing');
    const command = ['dotnet', scenarioAppDll(), 'static-list', '--rounds', '1'];
    const result = await runCli(['collect', '-o', out, '--timeout', '5s', '--', ...command], {
      env: { LEAKSCENARIOS_OWN_PROTOCOL: '1' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/heapgate:checkpoint/);
  });

  it('refuses a pattern that is not a regular expression, or matches every line', async () => {
    const bad = await runCli(['collect', '--checkpoint-pattern', 'ROUND (', '--', 'true']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--checkpoint-pattern: 'ROUND \(' is not a regular expression/);
    const empty = await runCli(['collect', '--checkpoint-pattern', '.*', '--', 'true']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('matches an empty line');
  });
});
