/**
 * One report artifact of a run, as the report and aggregate modes read it: its result.json,
 * schema-checked and for the scenario the artifact is named for, and its pull-request.json when the
 * run was a pull request's. Nothing else the run wrote is read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FILES, reportArtifactName } from '../src/ci/names.js';
import { ToolError } from '../src/errors.js';
import { tooDeep } from '../src/json/nesting.js';
import type { CheckReport } from '../src/report/checkReport.js';
import type { ArtifactStore, StoredArtifact } from './artifacts.js';
import { parseResultFile } from './resultFile.js';

const PullRequestFile = z.object({
  number: z.number().int().positive(),
  headSha: z.string().regex(/^[0-9a-f]{40}$/),
});

export interface RunResult {
  report: CheckReport;
  /** The pull request the run says it analysed; verify it with GitHub before trusting it. */
  pullRequest?: z.infer<typeof PullRequestFile>;
}

export async function readRunResult(
  store: ArtifactStore,
  artifact: StoredArtifact,
  runId: number,
  dir: string,
): Promise<RunResult> {
  await store.download({ ...artifact, runId: artifact.runId ?? runId }, dir, [
    FILES.result,
    FILES.pullRequest,
  ]);
  const label = `artifact ${artifact.name} (id ${artifact.id})`;
  const resultFile = join(dir, FILES.result);
  if (!existsSync(resultFile)) throw new ToolError(`${label} is refused: it has no ${FILES.result}`);
  const parsed = parseResultFile(readFileSync(resultFile, 'utf8'));
  if (!parsed.ok) throw new ToolError(`${label} is refused: ${FILES.result} ${parsed.problem}`);
  const report = parsed.report;
  if (reportArtifactName(report.scenario) !== artifact.name)
    throw new ToolError(
      `${label} is refused: its ${FILES.result} is for scenario '${report.scenario}', not the one the artifact is named for`,
    );
  const prFile = join(dir, FILES.pullRequest);
  if (!existsSync(prFile)) return { report };
  let raw: unknown;
  try {
    const text = readFileSync(prFile, 'utf8');
    // Written by the pull request's run: a tiny object, never worth building a deep one.
    raw = tooDeep(text, 4) ? undefined : JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const pr = PullRequestFile.safeParse(raw);
  if (!pr.success)
    throw new ToolError(
      `${label} is refused: ${FILES.pullRequest} is not {"number": N, "headSha": "<40 hex>"}`,
    );
  return { report, pullRequest: pr.data };
}
