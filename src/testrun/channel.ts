/**
 * The local channel `heapgate test` opens for the test host: a Unix socket (a named pipe on
 * Windows), one JSON request per line, one JSON response per line. Requests from every connection
 * are answered one at a time — a checkpoint stops the world of the test host anyway, and the
 * session's order is the run's order.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from './protocol.js';

/** Longest request line accepted (a `rules` assertion carries a whole rules file). */
const MAX_LINE_BYTES = 2 * 1024 * 1024;

export type LineHandler = (line: string) => Promise<Response>;

export interface Channel {
  /** What the library connects to; goes into HEAPGATE_CHANNEL. */
  address: string;
  close(): Promise<void>;
}

/** A fresh channel address for this process: short enough for a Unix socket path (≤ 104 bytes). */
export function channelAddress(): string {
  const tag = `heapgate-${process.pid}-${randomBytes(4).toString('hex')}`;
  return process.platform === 'win32' ? `\\\\.\\pipe\\${tag}` : join(tmpdir(), `${tag}.sock`);
}

export async function openChannel(handle: LineHandler, address = channelAddress()): Promise<Channel> {
  let queue: Promise<unknown> = Promise.resolve();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      if (Buffer.byteLength(pending) > MAX_LINE_BYTES && !pending.includes('\n')) {
        socket.end(
          `${JSON.stringify({ id: -1, ok: false, error: `request longer than ${MAX_LINE_BYTES} bytes` })}\n`,
        );
        pending = '';
        return;
      }
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        if (line.trim() === '') continue;
        queue = queue.then(async () => {
          const response = await handle(line).catch((err: unknown): Response => ({
            id: -1,
            ok: false,
            error: `internal error: ${(err as Error).message}`,
          }));
          if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
        });
      }
    });
  });
  if (process.platform !== 'win32') rmSync(address, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      // Only this user may ask for snapshots: a checkpoint dumps the heap of any process it names.
      if (process.platform !== 'win32') chmodSync(address, 0o600);
      resolve();
    });
  });
  return {
    address,
    close: async () => {
      await queue.catch(() => undefined);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (process.platform !== 'win32') rmSync(address, { force: true });
    },
  };
}
