/** Reading a `.nettrace` argument: resolved like every input file, read whole, parsed natively. */
import { readFile, stat } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { readNettrace, type AllocationTrace } from '../formats/nettrace/reader.js';
import { resolveInput } from './inputFile.js';

/** Node reads at most this much into one buffer. */
const MAX_TRACE_BYTES = 2 ** 31 - 1;

export async function readTraceFile(arg: string): Promise<AllocationTrace> {
  const input = await resolveInput(arg);
  const { size } = await stat(input.path);
  if (size > MAX_TRACE_BYTES)
    throw new UsageError(
      `${input.display} is ${Math.round(size / 2 ** 20)} MiB; traces over 2 GiB are not read yet — record a shorter interval (collect --trace records one per checkpoint interval)`,
    );
  return readNettrace(await readFile(input.path), input.display);
}
