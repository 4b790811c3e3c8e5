import { UsageError } from '../errors.js';
import type { SourcePos } from './types.js';

export interface RulesProblem extends SourcePos {
  message: string;
}

/** Every problem of a rules file at once, one `file:line:col: message` per line. */
export class RulesError extends UsageError {
  override name = 'RulesError';
  constructor(readonly problems: RulesProblem[]) {
    super(describe(problems));
  }
}

/** A broken file can yield one problem per line; the first few tell the user what to fix. */
const SHOWN_PROBLEMS = 50;

function describe(problems: readonly RulesProblem[]): string {
  const lines = problems.slice(0, SHOWN_PROBLEMS).map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
  const more = problems.length - SHOWN_PROBLEMS;
  if (more > 0) lines.push(`${problems[0].file}: … and ${more.toLocaleString('en-US')} more problems`);
  return lines.join('\n');
}
