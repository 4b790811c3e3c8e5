/** Names of the artifacts the Action stores, one pair per scenario so matrix jobs never collide. */

/** Artifact names allow fewer characters than scenario names; anything else becomes `_`. */
export function artifactSafe(scenario: string): string {
  return scenario.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The baseline recorded on the default branch, looked up by later pull requests. */
export function baselineArtifactName(scenario: string): string {
  return `heapgate-baseline-${artifactSafe(scenario)}`;
}

/** report.md, report.html, result.json, per-type stats (and dumps only when asked). */
export const REPORT_ARTIFACT_PREFIX = 'heapgate-report-';

export function reportArtifactName(scenario: string): string {
  return `${REPORT_ARTIFACT_PREFIX}${artifactSafe(scenario)}`;
}

/** File names inside the artifacts. */
export const FILES = {
  report: 'report.md',
  /** The same report as one self-contained page (heapgate check --format html). */
  html: 'report.html',
  result: 'result.json',
  stats: 'type-stats.json',
  baseline: 'baseline.json',
  /** Which pull request and commit a report belongs to, for the `workflow_run` reporting job. */
  pullRequest: 'pull-request.json',
} as const;
