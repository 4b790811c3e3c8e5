/**
 * The second thread of a parallel statistics sweep (see parallelSweep.ts): waits for the record
 * starts to be marked, sweeps the second half of the node blob through the shared file descriptor,
 * and replies with its totals, or with the error at its byte offset.
 */
import { readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FormatError } from '../../errors.js';
import type { GraphLayout } from './memoryGraph.js';
import { sweepRange, type RangeTotals } from './recordSweep.js';

export interface SweepJob {
  fd: number;
  layout: GraphLayout;
  typeSizes: Int32Array;
  /** The record-start bits, filled by the main thread before it says where to start. */
  starts: SharedArrayBuffer;
  file: string;
}

export type SweepReply = { totals: RangeTotals } | { error: { offset: number | undefined; detail: string } };

if (parentPort) {
  const port = parentPort;
  const job = workerData as SweepJob;
  port.once('message', ({ from, zeroNodes }: { from: number; zeroNodes: number }) => {
    let reply: SweepReply;
    try {
      const readRange = (at: number, into: Uint8Array): void => {
        let done = 0;
        while (done < into.length) {
          const n = readSync(job.fd, into, done, into.length - done, at + done);
          if (n === 0) break;
          done += n;
        }
      };
      const starts = new Uint32Array(job.starts);
      const totals = sweepRange(
        job.layout,
        job.typeSizes,
        readRange,
        job.file,
        { starts, zeroNodes },
        from,
        job.layout.blobLength,
      );
      reply = { totals };
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      reply = { error: { offset: e.offset, detail: e.detail } };
    }
    port.postMessage(reply);
  });
}
