/**
 * A gate run's result.json read back in `mode: report`. The file comes from an artifact that a fork's
 * code may have written, so it is parsed against the CheckReport shape (unknown keys dropped, sizes
 * bounded) and the comment is rendered from it by heapgate itself: no text the fork wrote reaches
 * the pull request except through the renderer, which escapes every name.
 */
import { z } from 'zod';
import { CHECK_REPORT_SCHEMA_VERSION, type CheckReport } from '../src/report/checkReport.js';
import { isScenarioName } from '../src/baseline/scenarioName.js';
import { RULE_KINDS } from '../src/rules/kinds/index.js';
import { lineCol, tooDeep } from '../src/json/nesting.js';

const MAX_ITEMS = 100_000;
const text = z.string().max(100_000);
const num = z.number().finite();
const pct = num.nullable();
const countBytes = z.object({ count: num, bytes: num });
const status = z.enum(['pass', 'fail', 'warn', 'inconclusive']);
const severity = z.enum(['error', 'warning', 'notice']);
const ruleRef = z.object({ id: text, file: text, line: num, col: num });
const rootKind = z.enum([
  'static field',
  'thread-static field',
  'stack local',
  'strong handle',
  'pinned handle',
  'async pinned handle',
  'weak handle',
  'finalizer queue',
  'COM/WinRT',
  'ref-counted handle',
  'dependent handle',
  'sized-ref handle',
  'other root',
  'unreachable',
]);
const pathStep = z.object({
  type: text,
  address: text.optional(),
  size: num.optional(),
  repeat: num.optional(),
});
const cluster = z.object({
  signature: text,
  rootKind,
  rootName: text.optional(),
  holders: z.array(text).max(MAX_ITEMS),
  count: num,
  bytes: num,
  sample: z.object({ rootKind, rootName: text.optional(), steps: z.array(pathStep).max(MAX_ITEMS) }),
  merged: num.optional(),
});
const ref = z.object({ type: text, address: text.optional() });
const accumulation = z.object({
  summary: text,
  kind: z.enum([
    'collection',
    'delegate invocation list',
    'linked list',
    'timer list',
    'channel',
    'array',
    'object',
  ]),
  count: num,
  holder: z.object({
    type: text,
    address: text.optional(),
    field: text.optional(),
    fieldKnownBy: z.literal('type').optional(),
    via: text.optional(),
  }),
  structure: z.object({ type: text, address: text.optional(), elements: num, structures: num }),
  owner: ref.optional(),
  reachedFrom: text,
  sinceBaseline: z.object({ baseline: num, added: z.number().int() }).optional(),
  path: z.object({ rootKind, rootName: text.optional(), steps: z.array(pathStep).max(MAX_ITEMS) }),
});
const evidence = z.object({
  type: text,
  instances: num,
  bytes: num.optional(),
  accumulation: z.array(accumulation).max(MAX_ITEMS).optional(),
  clusters: z.array(cluster).max(MAX_ITEMS),
  omitted: z.object({ clusters: num, count: num, bytes: num }).optional(),
  retainedBytes: num.optional(),
  retainedDelta: num.optional(),
  sampled: num.optional(),
});
/** Every check a finding can carry: the rule kinds' own (from their registry) and the suppression expiry. */
const CHECKS: [string, ...string[]] = [
  'suppression-expired',
  ...RULE_KINDS.flatMap((k) => Object.keys(k.describe)),
];
const finding = z.object({
  rule: ruleRef,
  alsoBy: z.array(ruleRef).max(MAX_ITEMS).optional(),
  fingerprint: z.object({ id: text, kind: z.enum(['path', 'type']), basis: text }).optional(),
  leak: z
    .union([
      z.object({ status: z.literal('new') }),
      z.object({ status: z.literal('known'), firstSeen: z.object({ date: text, commit: text.optional() }) }),
    ])
    .optional(),
  status: z.enum(['fail', 'warn', 'inconclusive']),
  wouldBe: z.enum(['fail', 'warn']).optional(),
  severity,
  check: z.enum(CHECKS),
  subject: text,
  types: z.array(text).max(MAX_ITEMS),
  metric: z.enum(['count', 'bytes']).optional(),
  actual: num.optional(),
  limit: num.optional(),
  base: num.optional(),
  head: num.optional(),
  pct: pct.optional(),
  message: text.optional(),
  hint: text.optional(),
  suppressionExpires: text.optional(),
  suppressedBy: z
    .object({ reason: text, expires: text.optional(), expired: z.boolean(), file: text, line: num })
    .optional(),
  trend: z
    .object({
      per: z.enum(['round', 'hour']),
      slope: num.optional(),
      pIncreasing: num,
      rising: num,
      points: num,
      settling: z.object({ peakRound: num, flatRounds: num, warmup: num }).optional(),
    })
    .optional(),
  noise: z.object({ tolerance: num, runs: num, confidence: num }).optional(),
  evidenceWanted: num,
  evidence: z.array(evidence).max(MAX_ITEMS).optional(),
});
const typeDelta = z.object({
  name: text,
  base: countBytes.optional(),
  head: countBytes.optional(),
  countDelta: num,
  bytesDelta: num,
  countPct: pct,
  bytesPct: pct,
  status: z.enum(['new', 'gone', 'changed', 'same']),
});

/** The scenario names the Action accepts (they end up in a comment marker and artifact names). */
const scenario = z.string().refine(isScenarioName);

export const CheckReportFile: z.ZodType<CheckReport> = z.object({
  // Versions 1 (no fingerprints), 2 (no accumulation points) and 3 (no growth per point) still
  // read: the report job may run a newer heapgate than the gate.
  schemaVersion: z
    .union([z.literal(1), z.literal(2), z.literal(3), z.literal(CHECK_REPORT_SCHEMA_VERSION)])
    .transform((): typeof CHECK_REPORT_SCHEMA_VERSION => CHECK_REPORT_SCHEMA_VERSION),
  tool: text,
  scenario,
  generatedAt: text,
  verdict: status,
  failOn: z.enum(['error', 'warning', 'never']),
  exitCode: z.union([z.literal(0), z.literal(1)]),
  counts: z.object({ fail: num, warn: num, inconclusive: num, suppressed: num }),
  inconclusiveReasons: z.array(text).max(MAX_ITEMS),
  leaks: z
    .object({
      new: num,
      known: num,
      fixed: z
        .array(
          z.object({
            id: text,
            subject: text,
            kind: z.enum(['path', 'type']),
            basis: text,
            firstSeen: z.object({ date: text, commit: text.optional() }),
          }),
        )
        .max(MAX_ITEMS),
    })
    .optional(),
  findings: z.array(finding).max(MAX_ITEMS),
  suppressed: z.array(finding).max(MAX_ITEMS),
  rules: z
    .array(z.object({ rule: ruleRef, severity, status, matchedTypes: num, findings: num }))
    .max(MAX_ITEMS),
  diff: z.object({
    totals: z.object({
      base: countBytes,
      head: countBytes,
      countDelta: num,
      bytesDelta: num,
      countPct: pct,
      bytesPct: pct,
    }),
    newTypes: num,
    goneTypes: num,
    changedTypes: num,
    types: z.array(typeDelta).max(1_000_000),
  }),
  meta: z.object({
    baseline: z.object({
      source: text,
      missing: z.boolean(),
      recordedTo: text.optional(),
      scenario: text.optional(),
      createdAt: text.optional(),
      commit: text.optional(),
      samples: num.optional(),
      noise: z.object({ runs: num, confidence: num, movingTypes: num }).optional(),
    }),
    head: z.object({
      sources: z.array(text).max(MAX_ITEMS),
      combined: z.enum(['single', 'median']),
      estimated: z.boolean(),
      estimateReasons: z.array(text).max(MAX_ITEMS),
      evidenceFrom: text.optional(),
    }),
    rulesFiles: z.array(text).max(MAX_ITEMS),
    ab: z.object({ runsPerSide: num, order: z.array(text).max(MAX_ITEMS) }).optional(),
  }),
});

/** The report, or one line saying what in the file is wrong. */
export function parseResultFile(
  json: string,
): { ok: true; report: CheckReport } | { ok: false; problem: string } {
  // A result nests about 10 levels (findings → evidence → clusters → sample → steps); a file from a
  // pull request's run could nest millions, which JSON.parse would build before failing.
  const deep = tooDeep(json, 64);
  if (deep)
    return { ok: false, problem: `it nests more than 64 levels deep at ${lineCol(json, deep.offset)}` };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    return { ok: false, problem: `it is not JSON (${(err as Error).message})` };
  }
  const r = CheckReportFile.safeParse(raw);
  if (r.success) return { ok: true, report: r.data };
  const issue = r.error.issues[0];
  return {
    ok: false,
    problem: `${issue?.path.length ? issue.path.join('.') : 'the file'}: ${issue?.message ?? 'does not match a heapgate result'}`,
  };
}
