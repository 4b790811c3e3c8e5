/**
 * A rules file to use beside `builtin:default`, from a calibration: for each type whose measured
 * noise exceeds what the default `type-growth` rule allows, a suppression of `type-growth` for that
 * type and a rule of its own with the calibrated tolerance. Types within the defaults need nothing.
 */
import { stringify } from 'yaml';
import type { Calibration, TypeNoise } from './noise.js';

/**
 * builtin:default's `type-growth` (rules/default.yml): growth fails above the larger of the amount
 * and the share of the baseline, in count or bytes; growth under the noise floor is ignored.
 * A test parses the shipped file and checks these values.
 */
export const DEFAULT_TYPE_GROWTH = {
  ruleId: 'type-growth',
  count: { amount: 500, share: 0.25, floor: 100 },
  bytes: { amount: 1024 * 1024, share: 0.25, floor: 64 * 1024 },
} as const;

/** Growth the default rule lets through for a type whose baseline median is `median`. */
export function defaultAllowance(metric: 'count' | 'bytes', median: number): number {
  const d = DEFAULT_TYPE_GROWTH[metric];
  return Math.max(d.amount, d.floor, Math.floor(d.share * median));
}

/** Moving types whose tolerance (count or bytes) exceeds the default allowance: the default would raise false alarms. */
export function noisierThanDefault(calibration: Calibration): TypeNoise[] {
  return calibration.moving.filter(
    (t) =>
      t.count.tolerance > defaultAllowance('count', t.count.median) ||
      t.bytes.tolerance > defaultAllowance('bytes', t.bytes.median),
  );
}

export function suggestRules(calibration: Calibration): string {
  const noisy = noisierThanDefault(calibration);
  const header =
    `# Calibrated by heapgate calibrate from ${calibration.runs} clean runs of '${calibration.scenario}' ` +
    `at ${(calibration.confidence * 100).toFixed(1)}% confidence.\n` +
    `# Use beside the defaults: --rules builtin:default --rules <this file>.\n` +
    (noisy.length === 0
      ? `# Every type stayed within builtin:default's allowance in the clean runs: nothing to loosen.\n`
      : `# These types move between clean runs by more than builtin:default's type-growth allows;\n` +
        `# each gets its own limit from the measured noise instead.\n`);
  const doc: Record<string, unknown> = { version: 1 };
  if (noisy.length > 0) {
    doc.rules = noisy.map((t, i) => ({
      id: `calibrated-${i + 1}`,
      match: { type: t.name },
      'max-growth': {
        count: Math.max(t.count.tolerance, defaultAllowance('count', t.count.median)),
        bytes: Math.max(t.bytes.tolerance, defaultAllowance('bytes', t.bytes.median)),
      },
      severity: 'error',
      evidence: 3,
      message: `Grew beyond its calibrated noise (clean runs: count ${t.count.min}–${t.count.max}, bytes ${t.bytes.min}–${t.bytes.max}).`,
    }));
    doc.suppressions = noisy.map((t, i) => ({
      match: { type: t.name },
      rule: DEFAULT_TYPE_GROWTH.ruleId,
      reason: `calibrated noise: judged by calibrated-${i + 1}`,
    }));
  }
  return header + stringify(doc, { lineWidth: 0 });
}
