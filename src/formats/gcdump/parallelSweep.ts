/**
 * Statistics of a large .gcdump on two threads: while a worker starts, this thread marks the
 * record starts (into memory both threads share); then each sweeps half of the node blob, split
 * at a record start, and the totals are added. Same checks, same errors as the one-thread sweep.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FormatError } from '../../errors.js';
import type { GraphLayout } from './memoryGraph.js';
import {
  checkRecordCount,
  markRecordStarts,
  middleRecordStart,
  sweepRange,
  type RangeTotals,
  type ReadRange,
  type SweepTotals,
} from './recordSweep.js';
import type { SweepJob, SweepReply } from './sweepWorker.js';

/** Below this blob size a second thread costs more to start than it saves. */
export const PARALLEL_SWEEP_MIN_BLOB = 48 * 2 ** 20;

// Next to this module, in the compiled and in the bundled CLI alike (the Action's single-file
// bundle has no worker, and sweeps on one thread).
const WORKER = new URL('./sweepWorker.js', import.meta.url);

/** True when a blob this long is swept on two threads here (HEAPGATE_PARALLEL_SWEEP_MIN_BYTES lowers the bar for tests). */
export function sweepsInParallel(blobLength: number, env: NodeJS.ProcessEnv = process.env): boolean {
  const min = Number(env.HEAPGATE_PARALLEL_SWEEP_MIN_BYTES ?? PARALLEL_SWEEP_MIN_BLOB);
  return blobLength >= min && availableParallelism() > 1 && existsSync(fileURLToPath(WORKER));
}

/** `fd` is the open file `readRange` reads: the worker reads its half through it. */
export async function sweepRecordsInParallel(
  layout: GraphLayout,
  typeSizes: Int32Array,
  readRange: ReadRange,
  file: string,
  fd: number,
): Promise<SweepTotals> {
  const shared = new SharedArrayBuffer(4 * Math.ceil(layout.blobLength / 32));
  const job: SweepJob = { fd, layout, typeSizes, starts: shared, file };
  const worker = new Worker(WORKER, { workerData: job });
  try {
    const reply = new Promise<SweepReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the sweep worker stopped (exit code ${code})`)));
    });
    // Unhandled until awaited: a failure on this thread must not leave a rejection behind.
    reply.catch(() => undefined);
    const marks = markRecordStarts(layout, readRange, file, shared);
    const middle = middleRecordStart(marks.starts, layout.blobLength);
    worker.postMessage({ from: middle, zeroNodes: marks.zeroNodes });
    const first = sweepRange(layout, typeSizes, readRange, file, marks, 0, middle);
    const second = await reply;
    if ('error' in second) throw new FormatError(file, second.error.offset, second.error.detail);
    checkRecordCount(first.records + second.totals.records, layout, marks, file);
    return add(first, second.totals);
  } finally {
    void worker.terminate();
  }
}

function add(a: RangeTotals, b: RangeTotals): SweepTotals {
  for (let t = 0; t < a.count.length; t++) {
    a.count[t] += b.count[t];
    a.bytes[t] += b.bytes[t];
  }
  return { count: a.count, bytes: a.bytes, sizeSum: a.sizeSum + b.sizeSum };
}
