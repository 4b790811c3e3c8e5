/**
 * For each leak scenario of the scenario app, the top allocation stack of the leaked type, read
 * from a trace of its rounds, names the method that creates the leaked objects.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNettrace } from '../../src/formats/nettrace/reader.js';
import { allocatingMethod, analyseAllocations } from '../../src/allocs/analyse.js';
import { recordScenarioTrace } from '../support/trace.js';
import { LEAKED_TYPE, type LeakScenarioName } from '../support/scenario.js';

/** Where each leaked type is created (`new T(...)` in the app's source). */
const CREATED_IN: Readonly<Partial<Record<LeakScenarioName, readonly string[]>>> = {
  'static-list': ['HeapgateScenarios.Leaks.StaticListScenario.RunRound'],
  'event-handler': ['HeapgateScenarios.Leaks.EventHandlerScenario.RunRound'],
  timer: ['HeapgateScenarios.Leaks.TimerScenario.RunRound'],
  // GetOrAdd is small enough for the JIT to inline into its caller.
  cache: ['HeapgateScenarios.Leaks.ProductCache.GetOrAdd', 'HeapgateScenarios.Leaks.CacheScenario.RunRound'],
  'slow-leak': ['HeapgateScenarios.Leaks.SlowLeakScenario.RunRound'],
};

/**
 * Each subscription also allocates its delegate and grows the event's invocation list: 20,000
 * per round already gives Subscriber some 8 ticks of about 30 per round.
 */
const PER_ROUND: Readonly<Partial<Record<LeakScenarioName, number>>> = { 'event-handler': 20_000 };

describe.each(Object.entries(CREATED_IN))('the %s scenario', (name, creators) => {
  it("has the creating method on top of the leaked type's allocation stacks", async () => {
    const scenario = name as LeakScenarioName;
    const file = await recordScenarioTrace(scenario, { rounds: 2, perRound: PER_ROUND[scenario] ?? 50_000 });
    const trace = readNettrace(new Uint8Array(readFileSync(file)), file);
    const leaked = LEAKED_TYPE[scenario];
    const report = analyseAllocations(trace, { type: (t) => t === leaked });
    expect(report.types, `no AllocationTick for ${leaked}`).toHaveLength(1);
    const t = report.types[0];
    expect(t.ticks).toBeGreaterThanOrEqual(3);
    const top = t.sites[0];
    expect(creators).toContain(allocatingMethod(top.frames));
    expect(top.share).toBeGreaterThan(0.5);
  }, 300_000);
});
