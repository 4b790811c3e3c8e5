/** The CLI's exit codes (README, "Exit codes"). */
export const ExitCode = {
  /** Success; for gates, the gate passed. */
  ok: 0,
  /** The gate failed (check, soak). Never used for errors. */
  gateFailed: 1,
  /** Bad usage or bad input: one line naming what is wrong. */
  usage: 2,
  /** A bug in heapgate: one line and a hint to report it. */
  internal: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where a command's action leaves its exit code for `main` to return (commands never touch process.exitCode). */
export interface ExitStatus {
  code: number;
}
