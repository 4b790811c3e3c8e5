import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioAppDll } from '../support/scenario.js';
import { eventually, processExists } from './helpers.js';

// A real separate heapgate process (bundled from src/) that starts a scenario and then dies in
// various ways; the scenario app must not outlive it.
let dir: string;
let driver: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heapgate-parent-exit-'));
  driver = join(dir, 'driver.mjs');
  const source = fileURLToPath(new URL('../../src/collect/scenarioProcess.ts', import.meta.url));
  await build({
    stdin: {
      contents: `
        import { ScenarioProcess } from ${JSON.stringify(source)};
        const mode = process.argv[2];
        const command = process.argv[3] === 'app'
          ? { command: 'dotnet', args: [${JSON.stringify(scenarioAppDll())}, 'static-list', '--rounds', '100'] }
          // Ignores stdin after its checkpoint, so only heapgate's exit handlers can stop it.
          : { command: 'sh', args: ['-c', 'echo "heapgate:checkpoint deaf"; exec sleep 300'] };
        const proc = ScenarioProcess.start(command);
        await proc.next();
        process.stdout.write('scenario-pid ' + proc.pid + '\\n');
        if (mode === 'exit') process.exit(0);
        if (mode === 'throw') setTimeout(() => { throw new Error('driver crashed'); }, 10);
        setInterval(() => {}, 1000);
      `,
      resolveDir: dir,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: driver,
    logLevel: 'silent',
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startDriver(
  mode: string,
  scenario: 'app' | 'deaf',
): Promise<{ driverPid: number; scenarioPid: number; exited: Promise<void> }> {
  const child = spawn(process.execPath, [driver, mode, scenario], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const scenarioPid = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /scenario-pid (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`driver exited early with ${code}: ${out}`)));
  });
  return { driverPid: child.pid!, scenarioPid, exited };
}

describe('no orphans when heapgate itself goes away', () => {
  it.each(['exit', 'throw'])(
    'process %s: the exit handler kills a scenario that ignores stdin',
    async (mode) => {
      const { scenarioPid, exited } = await startDriver(mode, 'deaf');
      expect(processExists(scenarioPid)).toBe(true);
      await exited;
      expect(await eventually(() => !processExists(scenarioPid), 2000)).toBe(true);
    },
  );

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: the scenario is killed and the signal still ends heapgate',
    async (signal) => {
      const { driverPid, scenarioPid, exited } = await startDriver('wait', 'deaf');
      process.kill(driverPid, signal);
      await exited;
      expect(await eventually(() => !processExists(scenarioPid), 2000)).toBe(true);
    },
  );

  it('SIGKILL (no handler can run): the app sees end of stdin at its checkpoint and exits by itself', async () => {
    const { driverPid, scenarioPid, exited } = await startDriver('wait', 'app');
    process.kill(driverPid, 'SIGKILL');
    await exited;
    expect(await eventually(() => !processExists(scenarioPid), 5000)).toBe(true);
  });
});
