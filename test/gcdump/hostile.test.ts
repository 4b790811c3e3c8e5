import { afterAll, describe, expect, it } from 'vitest';
import { readGcdump } from '../../src/formats/gcdump/index.js';
import { FormatError } from '../../src/errors.js';
import { ByteSink } from '../support/gcdumpWriter.js';
import { expectBadInput, hostileDir, timed } from '../support/hostileInput.js';

const files = hostileDir('hostile-gcdump');
afterAll(() => files.remove());

const HEADER_END = 24; // i32 length + '!FastSerialization.1'

function header(): ByteSink {
  return new ByteSink().str('!FastSerialization.1');
}

/** Reads `bytes` in both modes within the time budget; returns the FormatError message. */
function rejectedQuickly(bytes: Uint8Array): string {
  const messages: string[] = [];
  for (const graph of [true, false]) {
    const { value, ms } = timed(() => {
      try {
        readGcdump(bytes, 'x.gcdump', { graph });
      } catch (err) {
        if (err instanceof FormatError) return err.message;
        throw err;
      }
      throw new Error('expected a FormatError, but the file parsed');
    });
    expect(ms).toBeLessThan(1000);
    messages.push(value);
  }
  return messages[0];
}

describe('references nested by the input', () => {
  // ~4,600 ForwardReference tags: each is followed by the type of its target, another reference.
  const forward = header();
  for (let i = 0; i < 4600; i++) forward.u8(3).i32(0);
  const forwardChain = forward.finish();

  // ~3,000 ObjectReference tags, each pointing at the next.
  const back = header();
  for (let i = 0; i < 3000; i++) back.u8(2).u32(HEADER_END + 5 * (i + 1));
  back.u8(1);
  const objectChain = back.finish();

  it('refuses a chain of forward references as corrupt, with its position', () => {
    expect(forwardChain.length).toBeGreaterThan(23_000);
    expect(rejectedQuickly(forwardChain)).toMatch(
      /^x\.gcdump: at byte \d+: .*object references nested more than 32 deep/,
    );
  });

  it('refuses a chain of object references as corrupt, with its position', () => {
    expect(rejectedQuickly(objectChain)).toMatch(
      /^x\.gcdump: at byte \d+: .*object references nested more than 32 deep/,
    );
  });

  it('the CLI answers both with one line and exit code 2', async () => {
    for (const [name, bytes] of [
      ['forward.gcdump', forwardChain],
      ['chain.gcdump', objectChain],
    ] as const) {
      const p = files.path(name, bytes);
      await expectBadInput(
        ['stat', p],
        new RegExp(`${name.replace('.', '\\.')}: at byte \\d+: .*nested more than 32 deep`),
      );
    }
  });
});
