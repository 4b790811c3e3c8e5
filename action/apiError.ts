/**
 * A failed GitHub call as one line a workflow author can act on: what heapgate was doing, the HTTP
 * status and endpoint, and what to check (a permission, artifact retention, the token). Never the
 * library's stack, never a token.
 */
import { HeapgateError } from '../src/errors.js';

export type ApiCall =
  | 'list-artifacts'
  | 'list-run-artifacts'
  | 'download-artifact'
  | 'get-run'
  | 'list-commits'
  | 'compare'
  | 'list-comments'
  | 'create-comment'
  | 'update-comment'
  | 'get-pull';

const CALLS: Record<ApiCall, { doing: string; permission: string }> = {
  'list-artifacts': { doing: 'listing baseline artifacts', permission: 'actions: read' },
  'list-run-artifacts': { doing: "listing the workflow run's artifacts", permission: 'actions: read' },
  'download-artifact': { doing: 'downloading an artifact', permission: 'actions: read' },
  'get-run': { doing: 'reading the workflow run that uploaded an artifact', permission: 'actions: read' },
  'list-commits': { doing: 'reading the commit history', permission: 'contents: read' },
  compare: { doing: "finding the pull request's merge-base", permission: 'contents: read' },
  'list-comments': { doing: 'reading pull request comments', permission: 'pull-requests: write' },
  'create-comment': { doing: 'posting the pull request comment', permission: 'pull-requests: write' },
  'update-comment': { doing: 'updating the pull request comment', permission: 'pull-requests: write' },
  'get-pull': { doing: 'reading the pull request', permission: 'pull-requests: read' },
};

export class GitHubApiError extends HeapgateError {
  override name = 'GitHubApiError';
  constructor(
    message: string,
    readonly call: ApiCall,
    /** Undefined when GitHub was not reached at all. */
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

interface RequestErrorLike {
  status?: unknown;
  message?: unknown;
  request?: { method?: unknown; url?: unknown };
  response?: { data?: unknown };
  cause?: unknown;
}

export function apiError(call: ApiCall, err: unknown): GitHubApiError {
  if (err instanceof GitHubApiError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as RequestErrorLike;
  const { doing, permission } = CALLS[call];
  const endpoint = endpointOf(e);
  const code = networkCode(e);
  if (code !== undefined || typeof e.status !== 'number') {
    return new GitHubApiError(
      `GitHub API: ${doing} failed before GitHub answered${endpoint ? ` (${endpoint})` : ''}: ${code ?? firstLine(e.message)}; check GITHUB_API_URL and the runner's network.`,
      call,
      undefined,
    );
  }
  const status = e.status;
  const said = serverMessage(e);
  return new GitHubApiError(
    `GitHub API: ${doing} failed with HTTP ${status}${said ? ` (${said})` : ''} at ${endpoint ?? 'GitHub'}: ${advice(call, status, permission)}`,
    call,
    status,
  );
}

function advice(call: ApiCall, status: number, permission: string): string {
  const grant = `add 'permissions: ${permission}' to the job (a fork's pull request gets a read-only token)`;
  if (status === 401)
    return "the token was refused; check the 'github-token' input (the default is the job's github.token).";
  if (status === 403) return `the token may not do this: ${grant}.`;
  if (status === 404 && call === 'download-artifact')
    return `the artifact is gone (past its retention period, or deleted), or the token lacks '${permission}'.`;
  if (status === 404 && (call === 'compare' || call === 'list-commits'))
    return `GitHub does not know the commit (force-pushed, or not pushed yet), or the token lacks '${permission}'.`;
  if (status === 404) return `not found, or the token may not see it: ${grant}.`;
  if (status === 410)
    return 'the artifact has expired (past its retention period); a newer run records a new one.';
  if (status === 422) return 'GitHub rejected the request; the commits may be unrelated or gone.';
  if (status === 429 || status >= 500) return 'GitHub is busy or failing; re-run the job later.';
  return `check that the token has '${permission}'.`;
}

/** `GET /repos/o/r/actions/artifacts`: method and path only (the query may carry names, never secrets, but stays out). */
function endpointOf(e: RequestErrorLike): string | undefined {
  const method = typeof e.request?.method === 'string' ? e.request.method : undefined;
  const url = typeof e.request?.url === 'string' ? e.request.url : undefined;
  if (!url) return undefined;
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split('?')[0];
  }
  return `${method ?? 'GET'} ${path}`;
}

function serverMessage(e: RequestErrorLike): string | undefined {
  const data = e.response?.data;
  if (typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string')
    return redact(firstLine(data.message)).slice(0, 200);
  return undefined;
}

function networkCode(e: RequestErrorLike): string | undefined {
  for (let c: unknown = e.cause, depth = 0; c && depth < 4; depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return code;
    c = (c as { cause?: unknown }).cause;
  }
  return undefined;
}

function firstLine(v: unknown): string {
  return redact(String(v ?? 'unknown error').split('\n')[0]).slice(0, 200);
}

/** GitHub token shapes and bearer credentials; the runner masks registered secrets, this catches the rest. */
export function redact(text: string): string {
  return text
    .replace(/\b(gh[opsur]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,})/g, '***')
    .replace(/\b(Bearer|token)\s+[A-Za-z0-9._~+/=-]{16,}/gi, '$1 ***')
    .replace(/([?&](sig|se|sv|token)=)[^&\s]+/gi, '$1***');
}
