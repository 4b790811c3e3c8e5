/**
 * The .nettrace reader on a real trace of the scenario app recorded by heapgate's own trace
 * collection (dotnet-trace): AllocationTick payloads, stacks resolved through the rundown, and
 * truncated or corrupted copies of that file failing with a FormatError that names the byte.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { readNettrace, type AllocationTrace } from '../../src/formats/nettrace/reader.js';
import { allocatingMethod, analyseAllocations } from '../../src/allocs/analyse.js';
import { recordScenarioTrace } from '../support/trace.js';
import { runCli } from '../support/cli.js';

let file: string;
let bytes: Uint8Array;
let trace: AllocationTrace;
const dir = mkdtempSync(join(tmpdir(), 'heapgate-nettrace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  file = await recordScenarioTrace('static-list', { rounds: 2, perRound: 50_000 });
  bytes = new Uint8Array(readFileSync(file));
  trace = readNettrace(bytes, file);
}, 300_000);

describe('a trace of the static-list scenario', () => {
  it('has the Trace object fields and every event decoded', () => {
    expect(trace.info.formatVersion).toBe(4);
    expect(trace.info.pointerSize).toBe(8);
    expect(trace.info.processId).toBeGreaterThan(0);
    expect(trace.info.undecoded).toBe(0);
    expect(trace.info.events).toBeGreaterThan(trace.ticks.count);
  });

  it('holds AllocationTick events with amounts near the 100 KB tick interval', () => {
    const t = trace.ticks;
    // 2 rounds x 20,000 LeakedOrder (object + "order-N" string + 64-byte array): several MB.
    expect(t.count).toBeGreaterThan(20);
    for (let i = 0; i < t.count; i++) {
      expect(t.kind[i]).toBeLessThanOrEqual(2);
      if (t.kind[i] === 0) {
        expect(t.amount[i]).toBeGreaterThan(90_000);
        expect(t.amount[i]).toBeLessThan(200_000);
      }
    }
    expect(trace.typeNames).toContain('HeapgateScenarios.Leaks.LeakedOrder');
    expect(trace.typeNames).toContain('System.String');
  });

  it('names the method that creates LeakedOrder on its top allocation stack', () => {
    const report = analyseAllocations(trace, { type: (n) => n === 'HeapgateScenarios.Leaks.LeakedOrder' });
    expect(report.types).toHaveLength(1);
    const top = report.types[0].sites[0];
    expect(allocatingMethod(top.frames)).toBe('HeapgateScenarios.Leaks.StaticListScenario.RunRound');
    expect(top.frames).toContain('Program.<Main>$');
    expect(top.share).toBeGreaterThan(0.5);
  });

  it('resolves every frame below the allocating method to a method of the rundown', () => {
    expect(trace.methods.count).toBeGreaterThan(100);
    const report = analyseAllocations(trace, { topStacks: 100 });
    for (const t of report.types)
      for (const s of t.sites) {
        expect(s.frames.length).toBeGreaterThan(0);
        expect(s.frames[s.frames.length - 1]).not.toBe('[unresolved]');
      }
  });
});

/** Reads `b`; returns the FormatError, undefined when it parsed; any other error fails the test. */
function errorOf(b: Uint8Array): FormatError | undefined {
  try {
    readNettrace(b, 'cut.nettrace');
    return undefined;
  } catch (err) {
    if (err instanceof FormatError) return err;
    throw new Error(`expected a FormatError, got ${String(err)}`, { cause: err });
  }
}

describe('truncated and corrupt traces', () => {
  it('fails with the file name and byte offset at every truncation point', () => {
    const step = Math.max(1, Math.floor(bytes.length / 400));
    for (let n = 0; n < bytes.length; n += step) {
      const err = errorOf(bytes.subarray(0, n));
      expect(err, `cut at ${n}`).toBeDefined();
      expect(err?.message).toMatch(/^cut\.nettrace: /);
      if (n > 40) expect(err?.offset).toBeLessThanOrEqual(n);
    }
    // The last byte is the end-of-stream tag: without it the stream is unfinished.
    expect(errorOf(bytes.subarray(0, bytes.length - 1))?.message).toMatch(/truncated|end/);
  });

  it('survives random byte corruption: a result or a FormatError, never a crash or a hang', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const started = Date.now();
    for (let round = 0; round < 300; round++) {
      const copy = bytes.slice();
      const flips = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < flips; k++) copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
      errorOf(copy);
    }
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('refuses a file that is not a trace', () => {
    expect(errorOf(new TextEncoder().encode('Nettrace but not really'))?.message).toMatch(/not a \.nettrace/);
    expect(errorOf(new Uint8Array(100))?.message).toMatch(/not a \.nettrace file/);
  });

  it('heapgate allocs reports a truncated trace as an input error naming the file', async () => {
    const cut = join(dir, 'cut.nettrace');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const res = await runCli(['allocs', cut]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('cut.nettrace');
    expect(res.stderr).toMatch(/at byte \d+/);
  });
});

describe('heapgate allocs', () => {
  it('prints the top types with their sampling error and allocation stacks', async () => {
    const res = await runCli(['allocs', file, '--type', 'LeakedOrder', '--top', '1']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/HeapgateScenarios\.Leaks\.LeakedOrder/);
    expect(res.stdout).toMatch(/±\d+%/);
    expect(res.stdout).toContain('HeapgateScenarios.Leaks.StaticListScenario.RunRound');
  });

  it('--json carries the same figures as the analysis', async () => {
    const res = await runCli(['allocs', file, '--json', '--top', '3']);
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout) as {
      command: string;
      ticks: number;
      types: Array<{
        type: string;
        ticks: number;
        estimatedBytes: number;
        stacks: Array<{ frames: string[] }>;
      }>;
    };
    const report = analyseAllocations(trace, { top: 3 });
    expect(doc.command).toBe('allocs');
    expect(doc.ticks).toBe(trace.ticks.count);
    expect(doc.types.map((t) => [t.type, t.ticks, t.estimatedBytes])).toEqual(
      report.types.map((t) => [t.type, t.ticks, t.bytes]),
    );
  });
});
