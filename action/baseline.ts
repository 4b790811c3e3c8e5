/**
 * The base side of the gate: a committed baseline file, or the baseline artifact the default branch
 * recorded at the pull request's merge-base (else at its newest ancestor that has one).
 */
import { join, resolve } from 'node:path';
import {
  ageText,
  chooseBaseline,
  describeChoice,
  type BaselineChoice,
  type CandidateCommit,
} from '../src/ci/baselineChoice.js';
import { baselineArtifactName, FILES } from '../src/ci/names.js';
import { describeBaseline, exists, loadSide } from '../src/check/inputs.js';
import { HeapgateError, ToolError } from '../src/errors.js';
import type { HeapSnapshot } from '../src/model/snapshot.js';
import type { BaselineInfo } from '../src/report/checkReport.js';
import { GitHubApiError } from './apiError.js';
import type { ArtifactStore, StoredArtifact } from './artifacts.js';
import type { BaselineSource } from './config.js';
import type { RunContext } from './context.js';
import type { GitHubApi } from './github.js';

export interface ResolvedBaseline {
  /** Statistics; a snapshot file's graph is read by `withGraph` when evidence is needed. */
  snapshot?: HeapSnapshot;
  /** The baseline snapshot file again with its object graph (absent for baseline JSON). */
  withGraph?: () => Promise<HeapSnapshot>;
  info: BaselineInfo;
  /** One sentence for the log and job summary: what was compared, or why nothing was. */
  note: string;
  /** The commit the baseline was recorded at, when known. */
  commit?: string;
  /** Set when GitHub could not be asked: one line for a warning annotation. */
  problem?: string;
  /** Baseline-named artifacts that were not trusted, one line each. */
  refusals?: string[];
}

export interface BaselineDeps {
  api: GitHubApi;
  store: ArtifactStore;
  ctx: RunContext;
  cwd: string;
  scratch: string;
  now: Date;
}

/** How many commits back from the merge-base (or parent) a baseline is looked for (several API pages). */
export const MAX_ANCESTORS = 300;
/** Recorded runs checked with GitHub before giving up on finding a trusted one. */
const MAX_RUN_CHECKS = 10;
/** Events whose runs run the default branch's own code, as pushed by people with write access. */
export const TRUSTED_EVENTS = ['push', 'schedule', 'workflow_dispatch'];

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
    // A snapshot file as the baseline has an object graph: accumulation points then say how many
    // instances their place gained since.
    ...(b
      ? {}
      : {
          withGraph: async () => (await loadSide(path, { graph: true })).snapshot,
        }),
    info: describeBaseline(shown, b),
    note: `Compared with the committed baseline ${shown}${b?.commit ? ` (recorded at ${b.commit.slice(0, 10)})` : ''}.`,
    ...(b?.commit ? { commit: b.commit } : {}),
  };
}

async function fromArtifact(scenario: string, deps: BaselineDeps): Promise<ResolvedBaseline> {
  const { api, store, ctx } = deps;
  const name = baselineArtifactName(scenario);
  const refusals: string[] = [];
  let candidates: CandidateCommit[];
  let anchor: 'merge-base' | 'parent';
  let listed: StoredArtifact[];
  try {
    ({ candidates, anchor } = await candidateCommits(api, ctx));
    listed = await store.named(name);
  } catch (err) {
    if (err instanceof GitHubApiError) return unavailable(name, err.message);
    throw err;
  }
  const usable: StoredArtifact[] = [];
  for (const a of listed) {
    const why = listingRefusal(a, ctx);
    if (why) refusals.push(`artifact ${a.id}: ${why}`);
    else usable.push(a);
  }
  // The run behind the chosen recording is checked with GitHub; a refused one makes way for the next.
  for (let attempt = 0; attempt < MAX_RUN_CHECKS; attempt++) {
    const choice = chooseBaseline(
      candidates,
      usable.map((a) => ({ commit: a.commit as string, item: a })),
    );
    if (choice === undefined) break;
    let why: string | undefined;
    try {
      why = await runRefusal(store, choice.item, ctx);
    } catch (err) {
      if (err instanceof GitHubApiError) return unavailable(name, err.message, refusals);
      throw err;
    }
    if (why) {
      refusals.push(`artifact ${choice.item.id}: ${why}`);
      usable.splice(usable.indexOf(choice.item), 1);
      continue;
    }
    return fromChoice(deps, name, choice, anchor, refusals);
  }
  const where = anchor === 'merge-base' ? 'the merge-base' : 'the parent commit';
  return {
    info: { source: `${name} artifact`, missing: true },
    note: `No ${name} artifact was recorded for ${where} or its ${MAX_ANCESTORS - 1} previous commits: this first run passes. Pushes to the default branch record one.`,
    refusals,
  };
}

/** Why a listed artifact cannot be a baseline, from what the listing itself says. */
function listingRefusal(a: StoredArtifact, ctx: RunContext): string | undefined {
  if (a.fromFork)
    return 'uploaded by a run of code from another repository (a fork), or GitHub did not say which';
  if (a.commit === undefined) return 'GitHub did not say which commit uploaded it';
  if (a.runId === undefined) return 'GitHub did not say which workflow run uploaded it';
  if (ctx.defaultBranch !== undefined && a.branch !== ctx.defaultBranch)
    return `recorded on branch '${a.branch ?? 'unknown'}', not the default branch '${ctx.defaultBranch}'`;
  return undefined;
}

/** Only runs of this repository's own code, on its default branch, started by a trusted event. */
async function runRefusal(
  store: ArtifactStore,
  a: StoredArtifact,
  ctx: RunContext,
): Promise<string | undefined> {
  const run = await store.uploadedBy(a);
  if (run === undefined) return 'GitHub did not say which workflow run uploaded it';
  if (!run.sameRepository)
    return `workflow run ${run.id} ran code from another repository, or GitHub did not say`;
  if (!TRUSTED_EVENTS.includes(run.event))
    return `workflow run ${run.id} was started by '${run.event}' (baselines come from ${TRUSTED_EVENTS.join(', ')})`;
  if (ctx.defaultBranch !== undefined && run.headBranch !== ctx.defaultBranch)
    return `workflow run ${run.id} ran on '${run.headBranch ?? 'unknown'}', not the default branch '${ctx.defaultBranch}'`;
  if (a.commit !== undefined && run.headSha !== a.commit)
    return `workflow run ${run.id} ran ${run.headSha.slice(0, 10)}, not the listed ${a.commit.slice(0, 10)}`;
  return undefined;
}

function unavailable(name: string, problem: string, refusals: string[] = []): ResolvedBaseline {
  return {
    info: { source: `${name} artifact`, missing: true },
    note: `No baseline could be looked up, so this run is inconclusive. ${problem}`,
    problem,
    refusals,
  };
}

async function fromChoice(
  deps: BaselineDeps,
  name: string,
  choice: BaselineChoice<StoredArtifact>,
  anchor: 'merge-base' | 'parent',
  refusals: string[],
): Promise<ResolvedBaseline> {
  const dir = join(deps.scratch, 'baseline-artifact');
  try {
    await deps.store.download(choice.item, dir, [FILES.baseline]);
  } catch (err) {
    if (err instanceof HeapgateError)
      return unavailable(
        name,
        err.message.includes(' is refused: ')
          ? err.message
          : `Downloading the ${name} artifact (id ${choice.item.id}) from ${deps.store.description} failed: ${err.message}`,
        refusals,
      );
    throw err;
  }
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
    refusals,
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
