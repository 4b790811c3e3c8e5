/**
 * Recording EventPipe traces of the LeakScenarios app through heapgate's own trace collection:
 * the session starts at the warm-up checkpoint and stops at the last round's checkpoint, so it
 * holds the allocations of the measured rounds and the rundown of every method.
 */
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAllocationTrace } from '../../src/collect/trace.js';
import { scenarioAppDll, withScenario, type ScenarioName } from './scenario.js';
import { withDirLock } from './lock.js';

export interface TraceScenarioOptions {
  rounds: number;
  perRound: number;
}

/** Path of a trace of the scenario's rounds, recorded once per test run and argument set. */
export async function recordScenarioTrace(name: ScenarioName, opts: TraceScenarioOptions): Promise<string> {
  // Keyed by the app build: a rebuilt app is traced again.
  const built = Math.round(statSync(scenarioAppDll()).mtimeMs);
  const dir = join(tmpdir(), 'heapgate-traces', String(built));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-r${opts.rounds}-k${opts.perRound}.nettrace`);
  await withDirLock(`${file}.lock`, async () => {
    if (existsSync(file)) return;
    const partial = `${file}.partial-${process.pid}`;
    await withScenario(name, { rounds: opts.rounds, perRound: opts.perRound }, async (s) => {
      await s.checkpoint(); // warmup
      const trace = await startAllocationTrace(s.pid, partial);
      for (let r = 1; r <= opts.rounds; r++) {
        s.continue();
        await s.checkpoint();
      }
      await trace.stop();
    });
    renameSync(partial, file);
  });
  return file;
}
