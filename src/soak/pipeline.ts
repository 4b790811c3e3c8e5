/**
 * Snapshot files of one soak run -> SoakReport: load statistics, analyse the trend, and for the
 * types that keep growing, GC-root evidence from the last analysed snapshot (the one heap graph
 * loaded). Shared by `heapgate soak` and the Action's soak mode.
 */
import { attachEvidence } from '../check/evidence.js';
import { buildTypeEvidence } from '../graph/evidence.js';
import type { FailOn } from '../rules/findings.js';
import type { RuleSet } from '../rules/types.js';
import { loadSnapshot } from '../snapshot/load.js';
import { UsageError } from '../errors.js';
import { trendRules } from './evaluate.js';
import { loadSoakPoints, type SeriesFile } from './inputs.js';
import { analyseSoak, buildSoakReport, type SoakReport } from './report.js';
import type { WarmupSpec } from './series.js';
import { attachFingerprints } from '../fingerprint/fingerprint.js';
import { suppressLeaks } from '../fingerprint/suppressLeaks.js';

export interface SoakRunOptions {
  rules: RuleSet;
  warmup: WarmupSpec;
  scenario: string;
  failOn: FailOn;
  today: string;
  generatedAt: string;
  tool: string;
  projectHours: number;
  /** Compute GC-root evidence for offending types (loads one object graph). */
  evidence: boolean;
  /** How a file is named in the report (default: its path). */
  shown?: (f: SeriesFile) => string;
}

/** Fails early, before anything runs, when the rules have nothing to say about a series. */
export function requireTrendRules(rules: RuleSet): void {
  if (trendRules(rules).length > 0) return;
  throw new UsageError(
    `no rule in ${rules.files.join(', ')} has a 'trend:' block, so a soak run has nothing to check; add one (see builtin:soak) or pass --rules builtin:soak`,
  );
}

export async function soakReportFromFiles(
  files: readonly SeriesFile[],
  o: SoakRunOptions,
): Promise<SoakReport> {
  const shown = o.shown ?? ((f: SeriesFile) => f.file);
  const points = await loadSoakPoints(files, shown);
  const analysis = analyseSoak({
    points,
    warmup: o.warmup,
    rules: o.rules,
    today: o.today,
    projectHours: o.projectHours,
  });
  let evidenceFrom: string | undefined;
  const wants = analysis.evaluation.findings.some(
    (f) =>
      (f.status === 'fail' || f.status === 'warn' || f.wouldBe) && f.evidenceWanted > 0 && f.types.length > 0,
  );
  const last = analysis.series.length > 0 ? files[files.length - 1] : undefined;
  if (o.evidence && wants && last) {
    const graph = await loadSnapshot(last.file, { graph: true });
    if (graph.graph) {
      attachEvidence(analysis.evaluation.findings, graph, (snap, types, maxClusters) =>
        buildTypeEvidence(snap, types, { maxClusters }),
      );
      evidenceFrom = shown(last);
    }
  }
  attachFingerprints(analysis.evaluation.findings);
  const evaluation = suppressLeaks(analysis.evaluation, o.rules.suppressions, o.today);
  return buildSoakReport(
    { ...analysis, evaluation },
    {
      tool: o.tool,
      scenario: o.scenario,
      generatedAt: o.generatedAt,
      failOn: o.failOn,
      rulesFiles: o.rules.files,
      ...(evidenceFrom !== undefined ? { evidenceFrom } : {}),
    },
  );
}
