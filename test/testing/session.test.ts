/**
 * The `heapgate test` session and channel without a test host: checkpoints are the bundled example
 * snapshots (collection copies a file; reading, rules and evidence are the real ones), requests go
 * over a real Unix socket.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { openChannel } from '../../src/testrun/channel.js';
import type { Response } from '../../src/testrun/protocol.js';
import { TestSession, safeFileName, type TestSessionIO } from '../../src/testrun/session.js';
import { repoRoot } from '../support/cli.js';
import { writeFile } from 'node:fs/promises';

const work = mkdtempSync(join(tmpdir(), 'heapgate-session-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LEAKED = 'HeapgateScenarios.Leaks.CacheEntry';

/** Each checkpoint "collects" the next of `files` (bundled examples). */
function session(name: string, files: string[]): TestSession {
  const queue = [...files];
  const io: TestSessionIO = {
    collect: (_pid, file) => {
      const next = queue.shift();
      if (next === undefined) throw new Error('no more snapshots');
      mkdirSync(dirname(file), { recursive: true });
      copyFileSync(join(repoRoot, 'examples', next), file);
      return Promise.resolve({ durationMs: 5 });
    },
    load: (file) => loadSnapshot(file, { graph: true }),
    writeText: async (file, text) => {
      mkdirSync(dirname(file), { recursive: true });
      await writeFile(file, text);
    },
    now: () => new Date('2026-12-03T10:00:00Z'),
  };
  return new TestSession(join(work, name), io, 'heapgate test');
}

const line = (o: object) => JSON.stringify(o);

describe('TestSession', () => {
  it('answers hello with the protocol version', async () => {
    const s = session('hello', []);
    expect(await s.handleLine(line({ op: 'hello', id: 1, protocol: 1, library: 'x' }))).toEqual({
      id: 1,
      ok: true,
      protocol: 1,
    });
  });

  it('refuses what is not a request, naming the problem', async () => {
    const s = session('bad', []);
    expect(await s.handleLine('{nope')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not a JSON request/),
    });
    expect(await s.handleLine(line({ op: 'dance', id: 2 }))).toMatchObject({ id: 2, ok: false });
    expect(
      await s.handleLine(line({ op: 'checkpoint', id: 3, name: 'x', pid: 1, extra: true })),
    ).toMatchObject({ id: 3, ok: false, error: expect.stringMatching(/^bad request/) });
    expect(await s.handleLine(line({ op: 'checkpoint', id: 4, name: '', pid: 1 }))).toMatchObject({
      id: 4,
      ok: false,
      error: expect.stringMatching(/^bad request: name/),
    });
  });

  it('fails an assertion on a checkpoint it never took, and one that needs two checkpoints without the first', async () => {
    const s = session('unknown', ['steady.gcdump']);
    const assertion = { kind: 'max-growth', match: LEAKED };
    expect(await s.handleLine(line({ op: 'assert', id: 1, assertion, head: 'cp9' }))).toMatchObject({
      ok: false,
      error: "no checkpoint 'cp9' in this run (known: none)",
    });
    await s.handleLine(line({ op: 'checkpoint', id: 2, name: 'only', pid: process.pid }));
    expect(await s.handleLine(line({ op: 'assert', id: 3, assertion, head: 'cp1' }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/a max-growth assertion compares two checkpoints; pass the earlier one/),
    });
    expect(s.assertions.map((a) => a.error !== undefined)).toEqual([true, true]);
  });

  it('takes checkpoints and judges growth with the rules engine: the message names the type, counts and holder', async () => {
    const s = session('growth', ['steady.gcdump', 'leaky-cache.gcdump']);
    const before = await s.handleLine(
      line({ op: 'checkpoint', id: 1, name: 'before', pid: process.pid, test: 'T.A' }),
    );
    const after = await s.handleLine(line({ op: 'checkpoint', id: 2, name: 'after/../x', pid: process.pid }));
    expect(before).toMatchObject({
      ok: true,
      checkpoint: { id: 'cp1', name: 'before', test: 'T.A', objects: 622 },
    });
    expect(after).toMatchObject({ ok: true, checkpoint: { id: 'cp2', objects: 9701 } });
    if (!after.ok || !after.checkpoint) throw new Error('no checkpoint');
    expect(after.checkpoint.file).toMatch(/checkpoints\/cp2-after_.._x\.gcdump$/);

    const r = (await s.handleLine(
      line({
        op: 'assert',
        id: 3,
        description: `expected no growth of ${LEAKED}`,
        assertion: { kind: 'max-growth', match: LEAKED, count: 10 },
        base: 'cp1',
        head: 'cp2',
      }),
    )) as Extract<Response, { ok: true }>;
    expect(r.outcome?.passed).toBe(false);
    expect(r.outcome?.verdict).toBe('fail');
    const message = r.outcome?.message.split('\n') ?? [];
    expect(message[0]).toBe(`expected no growth of ${LEAKED}, found:`);
    expect(message[1]).toBe(`  ${LEAKED}: new type 3,000 objects (not in baseline), limit ≤ 10`);
    expect(message[2]).toMatch(new RegExp(`^    3,000 x ${LEAKED.replace(/\./g, '\\.')} held by `));
    expect(r.outcome?.snapshots).toHaveLength(2);

    // The same assertion with a tolerance above the growth passes, and a total-heap budget is judged too.
    const ok = await s.handleLine(
      line({
        op: 'assert',
        id: 4,
        assertion: { kind: 'max-growth', match: LEAKED, count: 3000 },
        base: 'cp1',
        head: 'cp2',
      }),
    );
    expect(ok).toMatchObject({ ok: true, outcome: { passed: true, message: '' } });
    const heap = await s.handleLine(
      line({
        op: 'assert',
        id: 5,
        assertion: { kind: 'heap-growth', bytes: 100_000 },
        base: 'cp1',
        head: 'cp2',
      }),
    );
    expect(heap).toMatchObject({ ok: true, outcome: { passed: false } });
  });

  it('reports a rules assertion with a misspelt key as the rules file would', async () => {
    const s = session('rules', ['steady.gcdump']);
    await s.handleLine(line({ op: 'checkpoint', id: 1, name: 'now', pid: process.pid }));
    const r = await s.handleLine(
      line({
        op: 'assert',
        id: 2,
        test: 'T.B',
        assertion: { kind: 'rules', text: 'version: 1\nrules:\n  - match: "*"\n    max-cuont: 5\n' },
        head: 'cp1',
      }),
    );
    expect(r).toMatchObject({
      ok: false,
      error: expect.stringMatching(/assertion a1 in T\.B:4:\d+.*max-cuont.*max-count/s),
    });
  });
});

describe('safeFileName', () => {
  it('keeps names to letters, digits, dot, dash and underscore, without a leading dot', () => {
    expect(safeFileName('../../etc/passwd')).toBe('etc_passwd');
    expect(safeFileName('after login ✓')).toBe('after_login_');
    expect(safeFileName('...')).toBe('checkpoint');
    expect(safeFileName('x'.repeat(100))).toHaveLength(60);
  });
});

describe('the channel', () => {
  /** Sends `chunks` over one connection and collects `count` response lines. */
  async function exchange(address: string, chunks: string[], count: number): Promise<Response[]> {
    const socket = createConnection(address);
    const lines: Response[] = [];
    let buffer = '';
    return new Promise((resolve, reject) => {
      socket.setEncoding('utf8');
      socket.on('error', reject);
      socket.on('data', (d: string) => {
        buffer += d;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          lines.push(JSON.parse(buffer.slice(0, nl)) as Response);
          buffer = buffer.slice(nl + 1);
        }
        if (lines.length >= count) {
          socket.end();
          resolve(lines);
        }
      });
      socket.on('close', () => resolve(lines));
      void (async () => {
        for (const c of chunks) {
          socket.write(c);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
    });
  }

  it('answers requests in order, whatever the chunking, and ignores blank lines', async () => {
    const s = session('channel', []);
    const channel = await openChannel((l) => s.handleLine(l));
    try {
      const hello = (id: number) => line({ op: 'hello', id, protocol: 1, library: 't' });
      const all = `${hello(1)}\n\n${hello(2)}\r\n${hello(3)}\n`;
      const responses = await exchange(
        channel.address,
        [all.slice(0, 7), all.slice(7, 60), all.slice(60)],
        3,
      );
      expect(responses.map((r) => r.id)).toEqual([1, 2, 3]);
    } finally {
      await channel.close();
    }
  });

  it('is a socket only its owner may use', async () => {
    const channel = await openChannel(() => Promise.resolve({ id: 0, ok: true }));
    try {
      if (process.platform !== 'win32') expect(statSync(channel.address).mode & 0o777).toBe(0o600);
    } finally {
      await channel.close();
    }
    expect(existsSync(channel.address)).toBe(false);
  });

  it('refuses a request line longer than 2 MiB and closes that connection', async () => {
    const s = session('huge', []);
    const channel = await openChannel((l) => s.handleLine(l));
    try {
      const responses = await exchange(
        channel.address,
        ['{"op":"hello","x":"', 'a'.repeat(3 * 1024 * 1024)],
        1,
      );
      expect(responses[0]).toMatchObject({ ok: false, error: 'request longer than 2097152 bytes' });
    } finally {
      await channel.close();
    }
  });
});
