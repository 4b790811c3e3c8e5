/**
 * The handful of GitHub REST calls the Action makes: pull request comments (found again by the
 * report's hidden marker), the merge-base and its ancestors, and artifact listings.
 */
import { getOctokit } from '@actions/github';
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
  runId?: number;
  headSha?: string;
  headBranch?: string;
  /** True when the run that uploaded it came from another repository (a fork). */
  fromFork: boolean;
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
  ) {
    // Retries and throttling are left out on purpose: one failed call is reported, not hidden.
    this.octokit = getOctokit(token);
  }

  /** The first comment on the issue whose body starts with `marker`; every page is searched. */
  async findComment(issue: number, marker: string): Promise<IssueComment | undefined> {
    const iterator = this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
      ...this.repo,
      issue_number: issue,
      per_page: 100,
    });
    for await (const page of iterator) {
      for (const c of page.data) {
        if (c.body !== undefined && c.body.trimStart().startsWith(marker)) return { id: c.id, body: c.body };
      }
    }
    return undefined;
  }

  async createComment(issue: number, body: string): Promise<number> {
    const r = await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: issue, body });
    return r.data.id;
  }

  async updateComment(id: number, body: string): Promise<void> {
    await this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: id, body });
  }

  async mergeBase(base: string, head: string): Promise<string> {
    const r = await this.octokit.rest.repos.compareCommitsWithBasehead({
      ...this.repo,
      basehead: `${base}...${head}`,
      per_page: 1,
    });
    return r.data.merge_base_commit.sha;
  }

  /** `sha` and up to `max - 1` of its ancestors, newest first (the order `git log` gives). */
  async history(sha: string, max = 100): Promise<string[]> {
    const r = await this.octokit.rest.repos.listCommits({ ...this.repo, sha, per_page: Math.min(100, max) });
    return r.data.map((c) => c.sha);
  }

  async pullRequestHead(number: number): Promise<{ sha: string; state: string }> {
    const r = await this.octokit.rest.pulls.get({ ...this.repo, pull_number: number });
    return { sha: r.data.head.sha, state: r.data.state };
  }

  /** Artifacts of the repository with exactly this name, newest first (at most `maxPages` pages). */
  async artifactsNamed(name: string, maxPages = 5): Promise<ListedArtifact[]> {
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
  }

  async artifactsOfRun(runId: number): Promise<ListedArtifact[]> {
    const all = await this.octokit.paginate(this.octokit.rest.actions.listWorkflowRunArtifacts, {
      ...this.repo,
      run_id: runId,
      per_page: 100,
    });
    return all.map(toListed);
  }
}

interface RestArtifact {
  id: number;
  name: string;
  expired: boolean;
  created_at: string | null;
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
    ...(run?.id !== undefined ? { runId: run.id } : {}),
    ...(run?.head_sha ? { headSha: run.head_sha } : {}),
    ...(run?.head_branch ? { headBranch: run.head_branch } : {}),
    fromFork:
      run?.repository_id !== undefined &&
      run.head_repository_id !== undefined &&
      run.repository_id !== run.head_repository_id,
  };
}
