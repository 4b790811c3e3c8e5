/**
 * The reader on small written traces: both event header forms, activity ids, 32- and 64-bit
 * pointers, stack ids that restart after a sequence point, rundown names; plus the fuzz seed
 * (test/nettrace/sample.hex) being exactly such a trace.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNettrace } from '../../src/formats/nettrace/reader.js';
import { resolveStack, UNRESOLVED_FRAME } from '../../src/allocs/analyse.js';
import { FormatError } from '../../src/errors.js';
import { sampleTrace, writeNettrace, RUNTIME, allocationTick } from '../support/nettraceWriter.js';

describe.each([8, 4] as const)('a written trace with %i-byte pointers', (pointerSize) => {
  const trace = readNettrace(sampleTrace({ pointerSize }), 'sample.nettrace');
  const frames = (i: number) => resolveStack(trace, trace.ticks.stack[i]);

  it('decodes every AllocationTick, compressed or not', () => {
    expect(trace.info.pointerSize).toBe(pointerSize);
    expect(trace.info.processId).toBe(4242);
    expect(trace.info.undecoded).toBe(0);
    expect(trace.ticks.count).toBe(3);
    const types = Array.from(trace.ticks.type, (t) => trace.typeNames[t]);
    expect(types).toEqual(['My.Order', 'My.Order[]', 'System.String']);
    expect(Array.from(trace.ticks.amount)).toEqual([100_000, 90_000, 110_000]);
    expect(Array.from(trace.ticks.kind)).toEqual([0, 1, 0]);
    expect(Array.from(trace.ticks.heap)).toEqual([0, 1, 0]);
  });

  it('resolves frames through the rundown, with stack ids restarting after a sequence point', () => {
    expect(frames(0)).toEqual(['My.Orders.Create', 'My.Program.Main']);
    expect(frames(1)).toEqual(['My.Program.Main']);
    // Stack id 1 again, but after the SPBlock: the new stack (an address inside Main).
    expect(frames(2)).toEqual(['My.Program.Main']);
  });
});

describe('written edge cases', () => {
  it('an address outside every method is one unresolved frame per run', () => {
    const t = readNettrace(
      writeNettrace([
        { kind: 'metadata', entries: [{ id: 1, provider: RUNTIME, eventId: 10, version: 4 }] },
        { kind: 'stacks', firstId: 1, stacks: [[0x10, 0x20, 0x30]] },
        { kind: 'events', events: [{ metadataId: 1, payload: allocationTick('T', 1), stackId: 1 }] },
      ]),
      'x.nettrace',
    );
    expect(resolveStack(t, t.ticks.stack[0])).toEqual([UNRESOLVED_FRAME]);
  });

  it('an event whose metadata never came is counted as undecoded, not guessed', () => {
    const t = readNettrace(
      writeNettrace([{ kind: 'events', events: [{ metadataId: 9, payload: allocationTick('T', 1) }] }]),
      'x.nettrace',
    );
    expect(t.ticks.count).toBe(0);
    expect(t.info.undecoded).toBe(1);
  });

  it('a stack count that does not fit its block is a FormatError at that byte', () => {
    const bytes = sampleTrace();
    // The first StackBlock's count field: find "StackBlock" and step over its framing.
    const at = Buffer.from(bytes).indexOf('StackBlock') + 'StackBlock'.length + 1;
    const body = (at + 4 + 3) & ~3;
    const copy = bytes.slice();
    new DataView(copy.buffer).setInt32(body + 4, 1_000_000, true);
    expect(() => readNettrace(copy, 'x.nettrace')).toThrow(FormatError);
    expect(() => readNettrace(copy, 'x.nettrace')).toThrow(`at byte ${body + 4}`);
  });

  it('the fuzz seed is the written sample trace', () => {
    const hex = readFileSync(new URL('./sample.hex', import.meta.url), 'utf8')
      .trim()
      .split(/\s+/);
    expect(Uint8Array.from(hex.map((h) => parseInt(h, 16)))).toEqual(sampleTrace());
  });
});
