/** Rule sets shipped in the package's rules/ folder, addressable as `builtin:<name>`. */
import { fileURLToPath } from 'node:url';

export const BUILTIN_RULE_SETS = ['default', 'dotnet-leak-patterns', 'soak'] as const;

/** Path of a shipped rule set; the same relative location from src/rules and build/rules. */
export function builtinRulesPath(name: string): string {
  return fileURLToPath(new URL(`../../rules/${name}.yml`, import.meta.url));
}

/** `builtin:default` -> the shipped file; anything else is returned unchanged. */
export function resolveRulesRef(ref: string): string {
  const m = /^builtin:(.+)$/.exec(ref);
  return m ? builtinRulesPath(m[1]) : ref;
}
