/**
 * The process entry of `heapgate` (bin/heapgate.js): runs the CLI and sets the exit code, and turns
 * any error that escapes it — thrown, rejected or raised later by an event — into one line and a
 * hint to report it, exit 3. Never a Node stack trace unless HEAPGATE_DEBUG=1. A reader that closes
 * the pipe early (`heapgate stat x.gcdump | head -1`) ends the output quietly.
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

/**
 * Once the reader of stdout (or stderr) has gone, what is still written there has nobody to read
 * it: drop it instead of failing with EPIPE. The command still finishes (a report may also go to
 * --output) and exits with its own code.
 */
function quietWhenReaderCloses(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
      stream.write = () => true;
      return;
    }
    fatal(err);
  });
}

/** Runs `heapgate` with `argv` as the whole process. */
export async function run(argv: string[]): Promise<void> {
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  quietWhenReaderCloses(process.stdout);
  quietWhenReaderCloses(process.stderr);
  let code: number;
  try {
    code = await main(argv);
  } catch (err) {
    fatal(err);
    return;
  }
  if (!failed) process.exitCode = code;
}
