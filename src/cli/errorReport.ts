/**
 * What the CLI prints for an error, and the exit code it means: usage and input errors are one line
 * (exit 2); anything else is a bug in heapgate, one line plus a hint to report it (exit 3), with the
 * stack trace only when HEAPGATE_DEBUG=1.
 */
import { HeapgateError } from '../errors.js';
import { revealInvisible } from '../report/escape.js';
import { VERSION } from '../version.js';
import { ExitCode } from './exitCodes.js';

const MAX_LINE = 400;

/** Error codes of file-system calls on a path the user gave: an input or environment problem, not a bug. */
const PATH_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
};

/**
 * Collapses an error message to one bounded line (messages can quote input), with invisible and
 * bidi characters from that input shown as `<U+XXXX>`.
 */
export function oneLine(text: string): string {
  const flat = revealInvisible(text.replace(/\s+/g, ' ').trim());
  return flat.length > MAX_LINE ? `${flat.slice(0, MAX_LINE - 1)}…` : flat;
}

function pathErrorMessage(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, path } = err as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof path !== 'string' || !Object.hasOwn(PATH_ERRORS, code))
    return undefined;
  return `${path}: ${PATH_ERRORS[code]}`;
}

function isOutOfMemory(err: unknown): err is RangeError {
  return (
    err instanceof RangeError && /Array buffer allocation failed|Invalid typed array length/.test(err.message)
  );
}

/** Prints `err` the way the CLI reports it and returns the exit code it stands for. */
export function reportError(err: unknown, write: (text: string) => void): ExitCode {
  if (err instanceof HeapgateError) {
    write(`heapgate: ${oneLine(err.message)}\n`);
    return ExitCode.usage;
  }
  const pathError = pathErrorMessage(err);
  if (pathError !== undefined) {
    write(`heapgate: ${oneLine(pathError)}\n`);
    return ExitCode.usage;
  }
  if (isOutOfMemory(err)) {
    write(`heapgate: not enough memory to load the input (${oneLine(err.message)})\n`);
    return ExitCode.usage;
  }
  return reportInternalError(err, write);
}

/** A bug: one line naming the error, one line asking for a report; the stack only with HEAPGATE_DEBUG=1. */
export function reportInternalError(err: unknown, write: (text: string) => void): ExitCode {
  const what =
    err instanceof Error ? `${err.name}: ${err.message}` : `non-error value thrown: ${String(err)}`;
  write(`heapgate: internal error: ${oneLine(what)}\n`);
  write(
    `heapgate: this is a bug in heapgate ${VERSION}; please report it with the command you ran` +
      (debugEnabled() ? '' : ' and the output of the same command with HEAPGATE_DEBUG=1') +
      '\n',
  );
  if (debugEnabled() && err instanceof Error && err.stack) write(`${err.stack}\n`);
  return ExitCode.internal;
}

function debugEnabled(): boolean {
  const v = process.env.HEAPGATE_DEBUG;
  return v !== undefined && v !== '' && v !== '0';
}
