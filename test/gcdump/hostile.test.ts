import { afterAll, describe, expect, it } from 'vitest';
import { readGcdump } from '../../src/formats/gcdump/index.js';
import { FormatError } from '../../src/errors.js';
import { ByteSink, writeGcdump, type WriterGraph } from '../support/gcdumpWriter.js';
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
  // The graph reader, the reachability scan and the streaming statistics pass.
  const modes = [{ graph: true }, { graph: false, unreachable: true }, { graph: false }];
  for (const mode of modes) {
    const { value, ms } = timed(() => {
      try {
        readGcdump(bytes, 'x.gcdump', mode);
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

/**
 * `nodes` nodes that all point at one record holding `children` child references: decoding each
 * node once decodes that child list `nodes` times. The header total matches, so nothing else gives
 * the file away.
 */
function sharedRecord(nodes: number, children: number, shift = 0): Uint8Array {
  const g: WriterGraph = {
    types: [
      { name: 'UNDEFINED', size: 0 },
      { name: '[.NET Roots]', size: 0 },
      { name: 'Big.Node', size: 24 },
    ],
    nodes: [
      { type: 1, children: [1] },
      { type: 2, children: Array<number>(children).fill(1), address: 0x10000 },
      ...Array.from({ length: nodes - 2 }, () => ({ type: 0 })),
    ],
    root: 0,
    totalSize: 24 * (nodes - 1),
    patchOffsets: (offsets) => offsets.fill(offsets[1] + shift, 2),
  };
  return writeGcdump(g);
}

describe('node records shared by many nodes', () => {
  const shared = sharedRecord(65_000, 1_000);

  it('a file whose node offsets all point at one record is refused at once', () => {
    expect(shared.length).toBeGreaterThan(780_000);
    expect(rejectedQuickly(shared)).toMatch(
      /^x\.gcdump: at byte \d+: node 2: its record \(blob bytes \d+–\d+\) overlaps another node's record/,
    );
  });

  it('records that overlap without starting at the same byte are refused too', () => {
    expect(rejectedQuickly(sharedRecord(100, 50, 3))).toMatch(
      /node 2: its record .* overlaps another node's record/,
    );
  });

  it('the shared undefined-node record at offset 0 must stay childless', () => {
    const g: WriterGraph = {
      types: [
        { name: 'UNDEFINED', size: 0 },
        { name: '[.NET Roots]', size: 0 },
        { name: 'Big.Node', size: 24 },
      ],
      nodes: [{ type: 1 }, { type: 0 }, { type: 0 }, { type: 0 }],
      root: 0,
      // The undefined-node record `00 00` turned into a record of type 2 with one child (the
      // next byte), then shared by every node.
      patchBlob: (blob) => blob.set([0x04, 0x01], 0),
      patchOffsets: (offsets) => offsets.fill(0),
    };
    const bytes = writeGcdump(g);
    expect(rejectedQuickly(bytes)).toMatch(/shares the record at offset 0 with node 0/);
  });

  it('the CLI answers with one line and exit code 2', async () => {
    await expectBadInput(
      ['stat', files.path('shared.gcdump', shared)],
      /shared\.gcdump: at byte \d+: node 2 shares its record \(offset \d+\) with another node/,
    );
    await expectBadInput(
      ['stat', '--unreachable', files.path('shared.gcdump', shared)],
      /shared\.gcdump: at byte \d+: node 2: .*overlaps/,
    );
    await expectBadInput(
      ['stat', '--retained', files.path('shared.gcdump', shared)],
      /shared\.gcdump: at byte \d+: node 2: .*overlaps/,
    );
  });
});
