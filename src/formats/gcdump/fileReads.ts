/**
 * Readers that start a file read early and wait for it only when they need the bytes, written
 * once as generators and run either synchronously (bytes in memory, or read on the spot) or
 * asynchronously (reads on Node's thread pool, overlapping the work on the bytes already read).
 */

import { FormatError } from '../../errors.js';

/** How many bytes landed: a number once the read is done, a promise while it is under way. */
export type PendingRead = number | Promise<number>;

/** Starts reading `into.length` bytes of the file at `at` into `into` (short only at its end). */
export type StartRead = (at: number, into: Uint8Array) => PendingRead;

/** A computation that yields each read it waits for and is resumed with the bytes read. */
export type Reading<T> = Generator<PendingRead, T, number>;

/** Runs a reading whose reads are all done when started. */
export function runSync<T>(steps: Reading<T>): T {
  let r = steps.next();
  while (!r.done) {
    if (typeof r.value !== 'number') throw new Error('a synchronous reading was given an asynchronous read');
    r = steps.next(r.value);
  }
  return r.value;
}

/** Runs a reading, awaiting each read it waits for. */
export async function runAsync<T>(steps: Reading<T>): Promise<T> {
  let r = steps.next();
  while (!r.done) r = steps.next(await r.value);
  return r.value;
}

/** A file that ends `missing` bytes before what its header describes (it shrank while being read). */
export function shrankError(file: string, at: number, missing: number): FormatError {
  return new FormatError(
    file,
    at,
    `the file ends here, ${missing} bytes short of what its header describes — it was cut short or changed while being read`,
  );
}
