/**
 * What the runner tells the Action about the run: environment variables and the webhook payload,
 * validated for the few fields heapgate uses.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../src/errors.js';

export interface Repo {
  owner: string;
  repo: string;
}

export type RunEvent =
  | { kind: 'pull_request'; number: number; baseSha: string; headSha: string; fork: boolean }
  | { kind: 'push'; sha: string; onDefaultBranch: boolean }
  | {
      kind: 'workflow_run';
      runId: number;
      headSha: string;
      triggeringEvent: string;
      conclusion: string | null;
    }
  | { kind: 'other'; name: string; sha: string; onDefaultBranch: boolean };

export interface RunContext {
  repo: Repo;
  event: RunEvent;
  eventName: string;
  sha: string;
  runId: number;
  serverUrl: string;
  workspace: string;
  /** Scratch folder for collected snapshots and report files. */
  tempDir: string;
  defaultBranch?: string;
}

const sha = z.string().regex(/^[0-9a-f]{40}$/);
// Loose on purpose: a missing or null repository must still parse, and then counts as a fork.
const repoRef = z
  .object({ id: z.number().int().optional(), full_name: z.string().optional() })
  .nullable()
  .optional();

const PullRequestPayload = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    base: z.object({ sha, ref: z.string(), repo: repoRef }),
    head: z.object({ sha, ref: z.string(), repo: repoRef }),
  }),
  repository: z.object({
    id: z.number().int().optional(),
    default_branch: z.string().optional(),
    full_name: z.string(),
  }),
});

const WorkflowRunPayload = z.object({
  workflow_run: z.object({
    id: z.number().int().positive(),
    head_sha: sha,
    event: z.string(),
    conclusion: z.string().nullable(),
  }),
  repository: z.object({ default_branch: z.string().optional() }),
});

const AnyPayload = z.object({ repository: z.object({ default_branch: z.string().optional() }).optional() });

export function readContext(env: NodeJS.ProcessEnv): RunContext {
  const repository = need(env, 'GITHUB_REPOSITORY');
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new UsageError(`GITHUB_REPOSITORY must be owner/name; got '${repository}'`);
  const eventName = need(env, 'GITHUB_EVENT_NAME');
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const headSha = need(env, 'GITHUB_SHA');
  const ref = env.GITHUB_REF ?? '';
  const defaultBranch = AnyPayload.safeParse(payload).data?.repository?.default_branch;
  const onDefaultBranch = defaultBranch !== undefined && ref === `refs/heads/${defaultBranch}`;

  let event: RunEvent;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const p = parse(PullRequestPayload, payload, eventName);
    const pr = p.pull_request;
    event = {
      kind: 'pull_request',
      number: pr.number,
      baseSha: pr.base.sha,
      headSha: pr.head.sha,
      fork: isFork(pr.head.repo, p.repository),
    };
  } else if (eventName === 'workflow_run') {
    const w = parse(WorkflowRunPayload, payload, eventName).workflow_run;
    event = {
      kind: 'workflow_run',
      runId: w.id,
      headSha: w.head_sha,
      triggeringEvent: w.event,
      conclusion: w.conclusion,
    };
  } else if (eventName === 'push') {
    event = { kind: 'push', sha: headSha, onDefaultBranch };
  } else {
    event = { kind: 'other', name: eventName, sha: headSha, onDefaultBranch };
  }
  const runId = Number(env.GITHUB_RUN_ID ?? '0');
  return {
    repo: { owner, repo },
    event,
    eventName,
    sha: headSha,
    runId: Number.isSafeInteger(runId) ? runId : 0,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    tempDir: env.RUNNER_TEMP ?? env.TMPDIR ?? '/tmp',
    ...(defaultBranch ? { defaultBranch } : {}),
  };
}

/**
 * Fails closed: a pull request is same-repository only when its head repository's id is present and
 * equals the id of the repository the run belongs to. A deleted fork (head.repo null) or a payload
 * without ids counts as a fork.
 */
export function isFork(head: { id?: number } | null | undefined, repository: { id?: number }): boolean {
  return !(head?.id !== undefined && repository.id !== undefined && head.id === repository.id);
}

function need(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new UsageError(`${name} is not set: heapgate's Action must run inside a GitHub Actions job`);
  return v;
}

function readPayload(path: string | undefined): unknown {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    throw new UsageError(
      `GITHUB_EVENT_PATH ${path}: cannot read the event payload (${(err as Error).message})`,
    );
  }
}

function parse<T>(schema: z.ZodType<T>, payload: unknown, eventName: string): T {
  const r = schema.safeParse(payload);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new UsageError(
      `the ${eventName} event payload lacks ${issue ? issue.path.join('.') : 'expected fields'} (${issue?.message ?? 'invalid'})`,
    );
  }
  return r.data;
}
