/** A RunnerPort that keeps what the Action said, for running a mode in-process. */
import type { Annotation, RunnerPort } from '../../action/port.js';

export interface Said {
  level: 'error' | 'warning' | 'notice';
  message: string;
  at?: Annotation;
}

export class RecordingRunner implements RunnerPort {
  readonly log: string[] = [];
  readonly annotations: Said[] = [];
  readonly outputs: Record<string, string> = {};
  readonly groups: string[] = [];
  summary = '';
  /** The failure message; '' when failed without one (annotations said why); undefined when not failed. */
  failed: string | undefined;

  info(line: string): void {
    this.log.push(line);
  }
  notice(message: string, at?: Annotation): void {
    this.annotations.push({ level: 'notice', message, ...(at ? { at } : {}) });
  }
  warning(message: string, at?: Annotation): void {
    this.annotations.push({ level: 'warning', message, ...(at ? { at } : {}) });
  }
  error(message: string, at?: Annotation): void {
    this.annotations.push({ level: 'error', message, ...(at ? { at } : {}) });
  }
  setOutput(name: string, value: string | number): void {
    this.outputs[name] = String(value);
  }
  setFailed(message: string): void {
    this.error(message);
    this.failed = message;
  }
  fail(): void {
    this.failed ??= '';
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.groups.push(title);
    return fn();
  }
  appendSummary(markdown: string, eol = true): Promise<void> {
    this.summary += eol ? `${markdown}\n` : markdown;
    return Promise.resolve();
  }
}
