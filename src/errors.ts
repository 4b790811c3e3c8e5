/**
 * Errors a user can act on. The CLI prints `message` alone (no stack) and exits 2; anything that
 * is not a HeapgateError (or a file-system error on a path the user gave) is a bug: exit 3.
 */
export class HeapgateError extends Error {
  override name = 'HeapgateError';
}

/** Bad command-line or configuration input. */
export class UsageError extends HeapgateError {
  override name = 'UsageError';
}

/** A file that is not what it claims to be, or is damaged. Names the file and the byte offset. */
export class FormatError extends HeapgateError {
  override name = 'FormatError';
  constructor(
    readonly file: string,
    readonly offset: number | undefined,
    readonly detail: string,
  ) {
    super(offset === undefined ? `${file}: ${detail}` : `${file}: at byte ${offset}: ${detail}`);
  }
}

/** A required external tool (dotnet, dotnet-gcdump, dotnet-dump) is missing or failed. */
export class ToolError extends HeapgateError {
  override name = 'ToolError';
}
