/**
 * Exactness against TraceEvent: the same real traces of the scenario app read by heapgate's reader
 * and by TraceEvent (dotnet/tests/TraceOracle, TraceLog resolving stacks from the same method
 * events) give the same AllocationTick events — per-type tick counts and total amounts, and for
 * each sampled event its type, amount, kind and resolved frames — compared in both directions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNettrace } from '../../src/formats/nettrace/reader.js';
import { resolveStack, UNRESOLVED_FRAME } from '../../src/allocs/analyse.js';
import { runCommand } from '../../src/tools/run.js';
import { buildDotnetApp, dotnetDir } from '../support/app.js';
import { recordScenarioTrace } from '../support/trace.js';

const oracleDir = join(dotnetDir, 'tests', 'TraceOracle');
const oracle = {
  dir: oracleDir,
  project: join(oracleDir, 'TraceOracle.csproj'),
  dll: join(oracleDir, 'bin', 'Release', 'net10.0', 'TraceOracle.dll'),
};

interface OracleTick {
  type: string;
  amount: number;
  kind: number;
  heap: number;
  frames: string[];
}
interface OracleOutput {
  events: number;
  sourceTicks: number;
  sourceMs: number;
  ticks: OracleTick[];
}

async function runOracle(file: string): Promise<OracleOutput> {
  const res = await runCommand('nice', ['dotnet', oracle.dll, file], { timeoutMs: 300_000 });
  if (res.code !== 0) throw new Error(`TraceOracle failed (${res.code}): ${res.stderr}`);
  return JSON.parse(res.stdout) as OracleOutput;
}

/** TraceLog names a frame `Namespace.Type.Method(signature)`; the runtime's events carry the name without it. */
function oracleFrame(f: string): string {
  const paren = f.indexOf('(');
  return paren < 0 ? f : f.slice(0, paren);
}

function key(type: string, amount: number, kind: number, frames: string[]): string {
  return `${type}|${amount}|${kind}|${frames.join(' <- ')}`;
}

function counted(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

const SCENARIOS = [
  { name: 'static-list', rounds: 2, perRound: 50_000 },
  { name: 'cache', rounds: 2, perRound: 50_000 },
] as const;

beforeAll(async () => {
  await buildDotnetApp(oracle);
}, 600_000);

describe.each(SCENARIOS)('TraceEvent and heapgate read the same $name trace', (scenario) => {
  let file: string;
  let mine: ReturnType<typeof readNettrace>;
  let theirs: OracleOutput;
  beforeAll(async () => {
    file = await recordScenarioTrace(scenario.name, scenario);
    mine = readNettrace(new Uint8Array(readFileSync(file)), file);
    theirs = await runOracle(file);
  }, 600_000);

  it('counts the same events and allocation ticks', () => {
    expect(mine.info.events).toBe(theirs.events);
    expect(mine.ticks.count).toBe(theirs.sourceTicks);
    expect(mine.ticks.count).toBe(theirs.ticks.length);
    expect(mine.ticks.count).toBeGreaterThan(20);
  });

  it('has the same tick count and total amount per type, both ways', () => {
    const perType = (rows: Array<[string, number]>) => {
      const m = new Map<string, { ticks: number; amount: number }>();
      for (const [t, a] of rows) {
        const e = m.get(t) ?? { ticks: 0, amount: 0 };
        e.ticks++;
        e.amount += a;
        m.set(t, e);
      }
      return m;
    };
    const a = perType(
      Array.from({ length: mine.ticks.count }, (_, i) => [
        mine.typeNames[mine.ticks.type[i]],
        mine.ticks.amount[i],
      ]),
    );
    const b = perType(theirs.ticks.map((t) => [t.type, t.amount]));
    for (const [type, v] of a) expect(b.get(type), type).toEqual(v);
    for (const [type, v] of b) expect(a.get(type), type).toEqual(v);
  });

  it('resolves the same frames for every sampled event, both ways', () => {
    const a: string[] = [];
    for (let i = 0; i < mine.ticks.count; i++) {
      const s = mine.ticks.stack[i];
      const frames = s < 0 ? [] : resolveStack(mine, s).filter((f) => f !== UNRESOLVED_FRAME);
      a.push(key(mine.typeNames[mine.ticks.type[i]], mine.ticks.amount[i], mine.ticks.kind[i], frames));
    }
    const b = theirs.ticks.map((t) =>
      key(t.type, t.amount, t.kind, t.frames.filter((f) => f !== '?').map(oracleFrame)),
    );
    const ma = counted(a);
    const mb = counted(b);
    for (const [k, n] of ma) expect(mb.get(k), k).toBe(n);
    for (const [k, n] of mb) expect(ma.get(k), k).toBe(n);
    // The comparison is about stacks: most events carry resolved frames.
    expect(b.filter((k) => k.endsWith('|')).length).toBeLessThan(b.length / 10);
  });
});
