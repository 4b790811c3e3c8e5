/**
 * Asks the ClrMD reader (dotnet/Heapgate.DumpReader --query) one SOS-style question about a full
 * dump and returns its JSON answer, unvalidated: the decoders in src/dumpinfo check its shape.
 */
import { FormatError, ToolError, UsageError } from '../../errors.js';
import { readHead } from '../head.js';
import { detectKind } from '../registry.js';
import { runCommand, tailLines } from '../../tools/run.js';
import { findDumpReader } from './clrmdReader.js';
import { checkDumpFile, sniffDumpKind } from './dumpFile.js';

export type DumpQueryName =
  'eeheap' | 'handles' | 'strings' | 'object' | 'type' | 'finalizer' | 'collections';

/** The reader's exit code for "the dump has no answer" (e.g. no object at that address). */
const NOT_FOUND = 5;

/** Throws a clear error unless `file` is a complete full dump; `what` names the command for the message. */
export async function requireDump(file: string, what: string): Promise<'elf-core' | 'minidump'> {
  const head = await readHead(file);
  const kind = sniffDumpKind(head);
  if (kind === null) {
    throw new UsageError(
      `${file}: ${what} reads full memory dumps (dotnet-dump collect, createdump, procdump -ma), ` +
        `and this file is not one (${describeKind(detectKind(head))})`,
    );
  }
  await checkDumpFile(file, kind);
  return kind;
}

function describeKind(kind: string): string {
  if (kind === 'gcdump')
    return 'a .gcdump: it holds types, sizes and references, but no values, method tables, segments or handles';
  if (kind === 'empty') return 'it is empty';
  return `it reads as ${kind}`;
}

/** Runs one query on a dump and parses the JSON it prints. */
export async function queryDump(
  file: string,
  query: DumpQueryName,
  args: readonly string[] = [],
  opts: { timeoutMs?: number; what?: string } = {},
): Promise<unknown> {
  await requireDump(file, opts.what ?? `heapgate ${query}`);
  const reader = findDumpReader();
  if ('missing' in reader) throw new ToolError(`cannot read ${file} with ClrMD: ${reader.missing}`);
  const res = await runCommand(reader.dotnet, [reader.dll, file, '--query', query, ...args], {
    timeoutMs: opts.timeoutMs ?? 15 * 60 * 1000,
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  const why = tailLines(res.stderr, 3)
    .map((l) => l.replace(/^Heapgate\.DumpReader: /, ''))
    .join('; ');
  if (res.timedOut)
    throw new ToolError(`Heapgate.DumpReader did not finish the ${query} query on ${file} in time`);
  if (res.code === NOT_FOUND) throw new UsageError(`${file}: ${why}`);
  if (res.code !== 0)
    throw new ToolError(`Heapgate.DumpReader could not read ${file}: ${why || `exit code ${res.code}`}`);
  try {
    return JSON.parse(res.stdout) as unknown;
  } catch {
    throw new FormatError(file, undefined, `the ClrMD reader's ${query} answer is not JSON`);
  }
}
