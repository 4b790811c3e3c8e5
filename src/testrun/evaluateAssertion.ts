/**
 * One test assertion, pure: the checkpoints' snapshots + the assertion -> a check report and the
 * message a failing test shows. `heapgate test` (over the channel) and `heapgate assert` (the
 * library on its own) both call this, so an assertion means the same on either path.
 */
import { graphEvidence } from '../check/heapEvidence.js';
import { runCheck } from '../check/runCheck.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import type { CheckReport } from '../report/checkReport.js';
import { UsageError } from '../errors.js';
import { assertionRules, needsBase } from './assertionRules.js';
import { failureMessage } from './failureMessage.js';
import type { AssertionSpec } from './protocol.js';

export interface AssertionInput {
  spec: AssertionSpec;
  /** Names the assertion in rule errors and the report (`assertion 3 in MyTests.Login`). */
  label: string;
  description?: string;
  base?: { snapshot: HeapSnapshot; name: string };
  head: { snapshot: HeapSnapshot; name: string };
  now: Date;
  tool: string;
}

export interface AssertionResult {
  report: CheckReport;
  passed: boolean;
  message: string;
}

export function evaluateAssertion(input: AssertionInput): AssertionResult {
  const { spec, base, head } = input;
  if (needsBase(spec) && !base)
    throw new UsageError(
      `${input.label}: a ${spec.kind} assertion compares two checkpoints; pass the earlier one`,
    );
  const rules = assertionRules(spec, input.label);
  const report = runCheck({
    heads: [head.snapshot],
    ...(base ? { base: base.snapshot } : {}),
    baselineInfo: base
      ? { source: base.name, missing: false }
      : { source: '(none: absolute limits only)', missing: true },
    rules,
    scenario: input.label,
    failOn: 'error',
    today: input.now.toISOString().slice(0, 10),
    generatedAt: input.now.toISOString(),
    tool: input.tool,
    evidence: graphEvidence,
    // A test compares two moments of one process: no recorded runs, so no noise model.
    noiseConfidence: null,
  });
  const passed = report.exitCode === 0;
  return {
    report,
    passed,
    message: failureMessage(report, {
      ...(input.description !== undefined ? { description: input.description } : {}),
      head: head.name,
      ...(base ? { base: base.name } : {}),
    }),
  };
}
