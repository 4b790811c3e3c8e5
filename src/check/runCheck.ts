/**
 * The gate, pure: head snapshot(s) + baseline + rules -> CheckReport. The CLI and the Action do the
 * file and network I/O around it.
 */
import { combineSamples, combinedStats } from '../baseline/median.js';
import { diffStats, type StatsSide } from '../diff/diffStats.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { DEFAULT_NOISE_CONFIDENCE, noiseModel } from '../calibrate/noiseModel.js';
import { evaluate } from '../rules/evaluate.js';
import { exitCodeFor, type FailOn } from '../rules/findings.js';
import type { RuleSet } from '../rules/types.js';
import type { HeadValues } from '../rules/kinds/kind.js';
import { buildCheckReport, type BaselineInfo, type CheckReport } from '../report/checkReport.js';
import { attachEvidence, type EvidenceProvider } from './evidence.js';
import { attachFingerprints } from '../fingerprint/fingerprint.js';
import { classifyLeaks } from '../fingerprint/knownLeaks.js';
import { suppressLeaks } from '../fingerprint/suppressLeaks.js';

export interface CheckInput {
  heads: readonly HeapSnapshot[];
  /** The base heap (a baseline adapted to a snapshot, or a snapshot); undefined when missing. */
  base?: HeapSnapshot;
  baselineInfo: BaselineInfo;
  rules: RuleSet;
  scenario: string;
  failOn: FailOn;
  /** YYYY-MM-DD for suppression expiry. */
  today: string;
  generatedAt: string;
  tool: string;
  /** Computes retention evidence from a graph snapshot; omit to attach none. */
  evidence?: EvidenceProvider;
  /**
   * Confidence of the noise model taken from a baseline of several clean runs (default 0.99);
   * null to judge by the rules alone.
   */
  noiseConfidence?: number | null;
  /** Facts from the head's values (full dumps), for rules that judge them (waste inspections). */
  values?: HeadValues;
}

const EMPTY: StatsSide = { stats: [], totals: { objects: 0, bytes: 0 } };

/**
 * Several head snapshots are combined per type by their median, the same statistic a baseline
 * recorded from several samples uses: one noisy run can neither fail the gate alone nor hide a
 * leak that most runs show.
 */
export function combineHeads(heads: readonly HeapSnapshot[]): StatsSide {
  if (heads.length === 1) return heads[0];
  const c = combineSamples(heads);
  return { stats: combinedStats(c), totals: c.totals };
}

/** Retained bytes per type recorded in the baseline, when it has them (for "fixing this frees ~X"). */
function baselineRetained(base: HeapSnapshot | undefined): Map<string, number> | undefined {
  if (!base || !base.stats.some((s) => s.retained !== undefined)) return undefined;
  return new Map(base.stats.map((s) => [s.name, s.retained ?? 0]));
}

/** Why heads read without their values cannot answer value rules. */
function noValues(heads: readonly HeapSnapshot[]): HeadValues {
  const head = heads[heads.length - 1];
  return {
    unavailable:
      head.meta.format === 'dump'
        ? `the values of ${head.meta.source} were not read`
        : `${head.meta.source} is a ${head.meta.format} snapshot, which records types, sizes and references but no values`,
  };
}

export function runCheck(input: CheckInput): CheckReport {
  if (input.heads.length === 0) throw new Error('runCheck needs at least one head snapshot');
  const head = combineHeads(input.heads);
  const diff = diffStats(input.base ?? EMPTY, head);
  const estimatedReasons = [
    ...input.heads.flatMap((h) => h.meta.estimateReasons.map((r) => `head ${h.meta.source}: ${r}`)),
    ...(input.heads.some((h) => h.meta.estimated && h.meta.estimateReasons.length === 0)
      ? ['a head snapshot is marked estimated']
      : []),
    ...(input.base?.meta.estimated
      ? input.base.meta.estimateReasons.length
        ? input.base.meta.estimateReasons.map((r) => `baseline: ${r}`)
        : ['the baseline is marked estimated']
      : []),
  ];
  const uncertainHeads = input.heads.filter((h) => h.meta.uncertainTypes);
  const uncertain =
    uncertainHeads.length === 0
      ? undefined
      : {
          names: [...new Set(uncertainHeads.flatMap((h) => h.meta.uncertainTypes?.names ?? []))],
          reasons: uncertainHeads.map((h) => `head ${h.meta.source}: ${h.meta.uncertainTypes?.reason}`),
        };
  const noise =
    input.noiseConfidence === null
      ? undefined
      : noiseModel(input.base?.samples, input.noiseConfidence ?? DEFAULT_NOISE_CONFIDENCE);
  const judged = evaluate({
    rules: input.rules,
    diff,
    baselineMissing: input.base === undefined,
    estimatedReasons,
    today: input.today,
    ...(noise ? { noise } : {}),
    values: input.values ?? noValues(input.heads),
    ...(uncertain ? { uncertain } : {}),
  });

  // Evidence comes from the last head snapshot that has an object graph (the latest state of the heap).
  const graphHead = [...input.heads].reverse().find((h) => h.graph !== undefined);
  if (graphHead && input.evidence)
    attachEvidence(
      judged.findings,
      graphHead,
      input.evidence,
      baselineRetained(input.base),
      input.base?.graph !== undefined ? input.base : undefined,
    );
  attachFingerprints(judged.findings);
  const evaluation = suppressLeaks(judged, input.rules.suppressions, input.today);
  const leaks = classifyLeaks(evaluation.findings, input.base?.leaks);

  return buildCheckReport({
    tool: input.tool,
    scenario: input.scenario,
    generatedAt: input.generatedAt,
    failOn: input.failOn,
    exitCode: exitCodeFor(evaluation, input.failOn),
    evaluation,
    diff,
    baseline: noise
      ? {
          ...input.baselineInfo,
          noise: { runs: noise.runs, confidence: noise.confidence, movingTypes: noise.types.size },
        }
      : input.baselineInfo,
    head: {
      sources: input.heads.map((h) => h.meta.source),
      combined: input.heads.length > 1 ? 'median' : 'single',
      estimated: input.heads.some((h) => h.meta.estimated),
      estimateReasons: input.heads.flatMap((h) => h.meta.estimateReasons),
      ...(graphHead && input.evidence ? { evidenceFrom: graphHead.meta.source } : {}),
      ...readWith(input.heads),
    },
    rulesFiles: input.rules.files,
    ...(leaks ? { leaks } : {}),
  });
}

/** The notes of full-dump heads that say which path read them (ClrMD or dotnet-dump, and why). */
function readWith(heads: readonly HeapSnapshot[]): { readWith?: string[] } {
  const lines = heads
    .filter((h) => h.meta.format === 'dump')
    .flatMap((h) => h.meta.notes.filter((n) => / read with |^not read with ClrMD/.test(n)));
  return lines.length > 0 ? { readWith: lines } : {};
}
