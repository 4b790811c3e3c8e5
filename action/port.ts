/**
 * Everything the Action says to the runner goes through this one narrow interface: the log,
 * annotations, step outputs, the job summary and the step's failure. The real runner writes through
 * `@actions/core`; tests pass a recorder and run a mode in-process.
 */
import * as core from '@actions/core';

/** Where an annotation points and its title; the fields `@actions/core` accepts. */
export type Annotation = core.AnnotationProperties;

export interface RunnerPort {
  info(line: string): void;
  notice(message: string, at?: Annotation): void;
  warning(message: string, at?: Annotation): void;
  error(message: string, at?: Annotation): void;
  setOutput(name: string, value: string | number): void;
  /** Fails the step with this message as its error annotation. */
  setFailed(message: string): void;
  /** Fails the step without another annotation: the ones already written say why. */
  fail(): void;
  /** Folds what `fn` logs under a title. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Appends markdown to the job summary (a newline after it unless `eol` is false). */
  appendSummary(markdown: string, eol?: boolean): Promise<void>;
}

/** The runner as `@actions/core` reaches it: workflow commands on stdout and the runner's files. */
export const actionsCore: RunnerPort = {
  info: (line) => core.info(line),
  notice: (message, at) => core.notice(message, at),
  warning: (message, at) => core.warning(message, at),
  error: (message, at) => core.error(message, at),
  setOutput: (name, value) => core.setOutput(name, value),
  setFailed: (message) => core.setFailed(message),
  fail: () => {
    process.exitCode = core.ExitCode.Failure;
  },
  group: (title, fn) => core.group(title, fn),
  appendSummary: async (markdown, eol = true) => {
    await core.summary.addRaw(markdown, eol).write();
  },
};
