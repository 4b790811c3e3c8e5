/**
 * The base side of the gate: a committed baseline file, or the baseline artifact the default branch
 * recorded at the pull request's merge-base (else at its newest ancestor that has one).
 */
import { join, resolve } from 'node:path';
import { ageText, chooseBaseline, describeChoice, type CandidateCommit } from '../src/ci/baselineChoice.js';
import { baselineArtifactName, FILES } from '../src/ci/names.js';
import { describeBaseline, exists, loadSide } from '../src/check/inputs.js';
import { ToolError } from '../src/errors.js';
import type { HeapSnapshot } from '../src/model/snapshot.js';
import type { BaselineInfo } from '../src/report/checkReport.js';
import type { ArtifactStore, StoredArtifact } from './artifacts.js';
import type { BaselineSource } from './config.js';
import type { RunContext } from './context.js';
import type { GitHubApi } from './github.js';

export interface ResolvedBaseline {
  snapshot?: HeapSnapshot;
  info: BaselineInfo;
  /** One sentence for the log and job summary: what was compared, or why nothing was. */
  note: string;
  /** The commit the baseline was recorded at, when known. */
  commit?: string;
}

export interface BaselineDeps {
  api: GitHubApi;
  store: ArtifactStore;
  ctx: RunContext;
  cwd: string;
  scratch: string;
  now: Date;
}

/** How many commits back from the merge-base (or parent) a baseline is looked for. */
const MAX_ANCESTORS = 100;

export async function resolveBaseline(
  source: BaselineSource,
  scenario: string,
  deps: BaselineDeps,
): Promise<ResolvedBaseline> {
  return source.kind === 'file'
    ? fromFile(resolve(deps.cwd, source.path), source.path)
    : fromArtifact(scenario, deps);
}

async function fromFile(path: string, shown: string): Promise<ResolvedBaseline> {
  if (!(await exists(path))) {
    return {
      info: { source: shown, missing: true },
      note: `No baseline at ${shown} yet: this first run passes. Commit the baseline.json of this run's report artifact there to gate later changes.`,
    };
  }
  const side = await loadSide(path);
  const b = side.baseline;
  return {
    snapshot: side.snapshot,
    info: describeBaseline(shown, b),
    note: `Compared with the committed baseline ${shown}${b?.commit ? ` (recorded at ${b.commit.slice(0, 10)})` : ''}.`,
    ...(b?.commit ? { commit: b.commit } : {}),
  };
}

async function fromArtifact(scenario: string, deps: BaselineDeps): Promise<ResolvedBaseline> {
  const { api, store, ctx } = deps;
  const name = baselineArtifactName(scenario);
  const { candidates, anchor } = await candidateCommits(api, ctx);
  const trusted = (await store.named(name)).filter(
    (a) =>
      !a.fromFork &&
      a.commit !== undefined &&
      (ctx.defaultBranch === undefined || a.branch === undefined || a.branch === ctx.defaultBranch),
  );
  const choice = chooseBaseline(
    candidates,
    trusted.map((a) => ({ commit: a.commit as string, item: a })),
  );
  if (choice === undefined) {
    const where = anchor === 'merge-base' ? 'the merge-base' : 'the parent commit';
    return {
      info: { source: `${name} artifact`, missing: true },
      note: `No ${name} artifact was recorded for ${where} or its ${MAX_ANCESTORS - 1} previous commits: this first run passes. Pushes to the default branch record one.`,
    };
  }
  const dir = join(deps.scratch, 'baseline-artifact');
  await download(store, choice.item, dir);
  const file = join(dir, FILES.baseline);
  if (!(await exists(file)))
    throw new ToolError(
      `the ${name} artifact (id ${choice.item.id}) has no ${FILES.baseline}; it was not uploaded by heapgate`,
    );
  const side = await loadSide(file);
  const b = side.baseline;
  const origin = describeChoice(choice, anchor);
  const age = ageText(b?.createdAt ?? choice.item.createdAt, deps.now);
  return {
    snapshot: side.snapshot,
    info: {
      source: `${name} artifact of ${origin}${age ? `, ${age}` : ''}`,
      missing: false,
      ...(b ? { scenario: b.scenario, createdAt: b.createdAt, samples: b.samples.length } : {}),
      commit: choice.commit,
    },
    note: `Compared with the baseline recorded at ${origin}${age ? `, ${age}` : ''}.`,
    commit: choice.commit,
  };
}

/** Candidates in preference order with their distance from the anchor. */
async function candidateCommits(
  api: GitHubApi,
  ctx: RunContext,
): Promise<{ candidates: CandidateCommit[]; anchor: 'merge-base' | 'parent' }> {
  const ev = ctx.event;
  if (ev.kind === 'pull_request') {
    const mergeBase = await api.mergeBase(ev.baseSha, ev.headSha);
    const history = await api.history(mergeBase, MAX_ANCESTORS);
    const list = history[0] === mergeBase ? history : [mergeBase, ...history];
    return { candidates: list.map((sha, distance) => ({ sha, distance })), anchor: 'merge-base' };
  }
  // Any other event compares with what came before this commit: its own recording is not a baseline.
  const history = (await api.history(ctx.sha, MAX_ANCESTORS + 1)).filter((sha) => sha !== ctx.sha);
  return { candidates: history.map((sha, distance) => ({ sha, distance })), anchor: 'parent' };
}

async function download(store: ArtifactStore, artifact: StoredArtifact, dir: string): Promise<void> {
  try {
    await store.download(artifact, dir);
  } catch (err) {
    throw new ToolError(
      `downloading the ${artifact.name} artifact (id ${artifact.id}) from ${store.description} failed: ${(err as Error).message}`,
    );
  }
}
