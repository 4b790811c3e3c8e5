import { UsageError } from '../errors.js';
import type { SourcePos } from './types.js';

export interface RulesProblem extends SourcePos {
  message: string;
}

/** Every problem of a rules file at once, one `file:line:col: message` per line. */
export class RulesError extends UsageError {
  override name = 'RulesError';
  constructor(readonly problems: RulesProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`).join('\n'));
  }
}
