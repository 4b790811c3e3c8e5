import type { Command } from 'commander';
import { registerBaseline } from './baseline.js';
import { registerCheck } from './check.js';
import { registerDiff } from './diff.js';

/** The gate's commands: `baseline record|show`, `diff`, `check`. */
export function registerGate(program: Command): void {
  registerDiff(program);
  registerBaseline(program);
  registerCheck(program);
}
