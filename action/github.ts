/**
 * The handful of GitHub REST calls the Action makes: pull request comments (found again by the
 * report's hidden marker), the merge-base and its ancestors, and artifact listings.
 */
import { getOctokit } from '@actions/github';
import { apiError, type ApiCall } from './apiError.js';
import type { Repo } from './context.js';

type Octokit = ReturnType<typeof getOctokit>;

export interface IssueComment {
  id: number;
  body: string;
}

export interface ListedArtifact {
  id: number;
  name: string;
  expired: boolean;
  createdAt?: string;
  /** Size of the archive, as GitHub lists it. */
  sizeInBytes?: number;
  /** `sha256:<hex>` of the archive, when GitHub lists one. */
  digest?: string;
  runId?: number;
  headSha?: string;
  headBranch?: string;
  /**
   * False only when GitHub says the uploading run's code came from this repository itself; a fork's
   * run, or a listing without both repository ids, is not trusted.
   */
  fromFork: boolean;
}

/** The workflow run that uploaded an artifact, as far as trusting its baseline goes. */
export interface WorkflowRunInfo {
  id: number;
  event: string;
  headBranch?: string;
  headSha: string;
  /** True only when both repository ids are present and equal. */
  sameRepository: boolean;
}

/** A REST call failed with this HTTP status (403/404 on comments mean: no write access, e.g. a fork). */
export function httpStatus(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number')
    return err.status;
  return undefined;
}

export class GitHubApi {
  private readonly octokit: Octokit;

  constructor(
    token: string,
    private readonly repo: Repo,
    /** The REST API's root; by default GITHUB_API_URL, as the runner sets it. */
    baseUrl?: string,
  ) {
    // Retries and throttling are left out on purpose: one failed call is reported, not hidden.
    this.octokit = getOctokit(token, baseUrl ? { baseUrl } : {});
  }

  /** The first comment on the issue whose body starts with `marker`; every page is searched. */
  async findComment(issue: number, marker: string): Promise<IssueComment | undefined> {
    return call('list-comments', async () => {
      const iterator = this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
        ...this.repo,
        issue_number: issue,
        per_page: 100,
      });
      for await (const page of iterator) {
        for (const c of page.data) {
          if (c.body !== undefined && c.body.trimStart().startsWith(marker))
            return { id: c.id, body: c.body };
        }
      }
      return undefined;
    });
  }

  async createComment(issue: number, body: string): Promise<number> {
    return call('create-comment', async () => {
      const r = await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: issue, body });
      return r.data.id;
    });
  }

  async updateComment(id: number, body: string): Promise<void> {
    await call('update-comment', () =>
      this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: id, body }),
    );
  }

  async mergeBase(base: string, head: string): Promise<string> {
    return call('compare', async () => {
      const r = await this.octokit.rest.repos.compareCommitsWithBasehead({
        ...this.repo,
        basehead: `${base}...${head}`,
        per_page: 1,
      });
      return r.data.merge_base_commit.sha;
    });
  }

  /** `sha` and up to `max - 1` of its ancestors, newest first (the order `git log` gives), page by page. */
  async history(sha: string, max = 100): Promise<string[]> {
    return call('list-commits', async () => {
      const out: string[] = [];
      const perPage = Math.min(100, max);
      for (let page = 1; out.length < max; page++) {
        const r = await this.octokit.rest.repos.listCommits({ ...this.repo, sha, per_page: perPage, page });
        out.push(...r.data.map((c) => c.sha));
        if (r.data.length < perPage) break;
      }
      return out.slice(0, max);
    });
  }

  async pullRequestHead(number: number): Promise<{ sha: string; state: string }> {
    return call('get-pull', async () => {
      const r = await this.octokit.rest.pulls.get({ ...this.repo, pull_number: number });
      return { sha: r.data.head.sha, state: r.data.state };
    });
  }

  async workflowRun(runId: number): Promise<WorkflowRunInfo> {
    return call('get-run', async () => {
      const r = await this.octokit.rest.actions.getWorkflowRun({ ...this.repo, run_id: runId });
      const d = r.data;
      const repoId = d.repository?.id;
      const headRepoId = d.head_repository?.id;
      return {
        id: d.id,
        event: d.event,
        ...(d.head_branch ? { headBranch: d.head_branch } : {}),
        headSha: d.head_sha,
        sameRepository: typeof repoId === 'number' && typeof headRepoId === 'number' && repoId === headRepoId,
      };
    });
  }

  /** Artifacts of the repository with exactly this name, newest first (at most `maxPages` pages). */
  async artifactsNamed(name: string, maxPages = 5): Promise<ListedArtifact[]> {
    return call('list-artifacts', async () => {
      const out: ListedArtifact[] = [];
      let pages = 0;
      const iterator = this.octokit.paginate.iterator(this.octokit.rest.actions.listArtifactsForRepo, {
        ...this.repo,
        name,
        per_page: 100,
      });
      for await (const page of iterator) {
        out.push(...page.data.map(toListed));
        if (++pages >= maxPages) break;
      }
      return out;
    });
  }

  async artifactsOfRun(runId: number): Promise<ListedArtifact[]> {
    return call('list-run-artifacts', async () => {
      const all = await this.octokit.paginate(this.octokit.rest.actions.listWorkflowRunArtifacts, {
        ...this.repo,
        run_id: runId,
        per_page: 100,
      });
      return all.map(toListed);
    });
  }
}

async function call<T>(what: ApiCall, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw apiError(what, err);
  }
}

interface RestArtifact {
  id: number;
  name: string;
  expired: boolean;
  created_at: string | null;
  size_in_bytes?: number;
  digest?: string | null;
  workflow_run?: {
    id?: number;
    head_sha?: string;
    head_branch?: string;
    repository_id?: number;
    head_repository_id?: number;
  } | null;
}

function toListed(a: RestArtifact): ListedArtifact {
  const run = a.workflow_run ?? undefined;
  return {
    id: a.id,
    name: a.name,
    expired: a.expired,
    ...(a.created_at ? { createdAt: a.created_at } : {}),
    ...(typeof a.size_in_bytes === 'number' ? { sizeInBytes: a.size_in_bytes } : {}),
    ...(a.digest ? { digest: a.digest } : {}),
    ...(run?.id !== undefined ? { runId: run.id } : {}),
    ...(run?.head_sha ? { headSha: run.head_sha } : {}),
    ...(run?.head_branch ? { headBranch: run.head_branch } : {}),
    // Fails closed: missing ids are not evidence of "same repository".
    fromFork: !(
      typeof run?.repository_id === 'number' &&
      typeof run.head_repository_id === 'number' &&
      run.repository_id === run.head_repository_id
    ),
  };
}
