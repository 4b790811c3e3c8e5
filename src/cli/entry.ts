/**
 * The process entry of `heapgate` (bin/heapgate.js): runs the CLI and sets the exit code, and turns
 * any error that escapes it — thrown, rejected or raised later by an event — into one line and a
 * hint to report it, exit 3. Never a Node stack trace unless HEAPGATE_DEBUG=1.
 */
import { reportInternalError } from './errorReport.js';
import { ExitCode } from './exitCodes.js';
import { main } from './main.js';

let failed = false;

function fatal(err: unknown): void {
  // A second error while the first is being reported adds nothing a user can act on.
  if (failed) return;
  failed = true;
  process.exitCode = reportInternalError(err, (text) => process.stderr.write(text));
  // The program is in an unknown state: stop now rather than run on.
  process.exit(ExitCode.internal);
}

/** Runs `heapgate` with `argv` as the whole process. */
export async function run(argv: string[]): Promise<void> {
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  let code: number;
  try {
    code = await main(argv);
  } catch (err) {
    fatal(err);
    return;
  }
  if (!failed) process.exitCode = code;
}
