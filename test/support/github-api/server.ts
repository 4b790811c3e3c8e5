/**
 * A loopback stand-in for api.github.com, for running the Action as a runner does. It binds to
 * 127.0.0.1 only, validates every request against GitHub's OpenAPI description (openapi.ts), answers
 * unknown routes with 404 and records them as failures, and keeps state: issue comments (created,
 * edited, paginated), a linear commit history, pull requests and artifact listings.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeArtifactService, ServiceArtifact } from './artifactService.js';
import { OpenApiValidator, type MatchedOperation } from './openapi.js';

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  createdAt: string;
  updatedAt: string;
  /** How many times it was edited. */
  edits: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  operationId?: string;
  /** The Authorization header as received, so tests can check which token was used. */
  authorization?: string;
}

export interface FakeArtifact {
  id: number;
  name: string;
  runId: number;
  headSha: string;
  headBranch: string;
  expired?: boolean;
  fromFork?: boolean;
  createdAt?: string;
  /** The stored archive, when the artifact was uploaded through the artifact service. */
  stored?: ServiceArtifact;
}

let validator: OpenApiValidator | undefined;
/** Per response: checks the body the fake is about to send against the operation's description. */
const responseChecks = new WeakMap<ServerResponse, (status: number, body: unknown) => void>();

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly requests: LoggedRequest[] = [];
  /** Requests the API description rejects, and unknown routes: a test fails when any are present. */
  readonly failures: string[] = [];
  readonly comments: StoredComment[] = [];
  /** Newest first; `history(sha)` is this list from `sha` on. */
  commits: string[] = [];
  readonly pulls = new Map<number, { headSha: string; baseSha: string; state: 'open' | 'closed' }>();
  readonly artifacts: FakeArtifact[] = [];
  /** Answer comment reads and writes with this status (403 = a fork's read-only token). */
  commentStatus: number | undefined;
  /** Answer these operations (by operationId) with an error status instead, as GitHub does when a permission is missing. */
  readonly failWith = new Map<string, number>();
  /** Workflow runs by id: who uploaded an artifact, checked before a baseline is trusted. */
  readonly runs = new Map<
    number,
    { event: string; headBranch: string; headSha: string; fromFork?: boolean }
  >();
  private nextId = 1000;
  private server: Server | undefined;
  private artifactService: FakeArtifactService | undefined;

  /** The repository's id (the webhook examples' Codertocat/Hello-World is 186853002). */
  readonly repoId: number;

  constructor(fullName = 'heapgate-test/shop', repoId = 186853002) {
    [this.owner, this.repo] = fullName.split('/');
    this.repoId = repoId;
    validator ??= new OpenApiValidator();
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('FakeGitHub is not listening');
    return `http://127.0.0.1:${addr.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /**
   * Artifacts finalized in the artifact service are listed here from then on, with the run that
   * uploaded them, and their archives are downloaded through a redirect to a signed blob URL.
   */
  useArtifactService(service: FakeArtifactService): void {
    this.artifactService = service;
    service.onFinalized = (a) => {
      const run = this.runs.get(a.runId);
      if (!run)
        throw new Error(`artifact ${a.name} was uploaded by run ${a.runId}, which the fake does not know`);
      this.artifacts.push({
        id: a.id,
        name: a.name,
        runId: a.runId,
        headSha: run.headSha,
        headBranch: run.headBranch,
        ...(run.fromFork ? { fromFork: true } : {}),
        createdAt: a.createdAt.toISOString(),
        stored: a,
      });
    };
  }

  commentsOn(issue: number): StoredComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  /** Seeds a comment written by someone else (or an older run). */
  addComment(issue: number, body: string): StoredComment {
    const now = new Date().toISOString();
    const c = { id: this.nextId++, issue, body, createdAt: now, updatedAt: now, edits: 0 };
    this.comments.push(c);
    return c;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const logged: LoggedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    this.requests.push(logged);
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        this.failures.push(`${req.method} ${url.pathname}: body is not JSON`);
        return send(res, 400, { message: 'Problems parsing JSON' });
      }
    }
    const v = validator?.validate(logged.method, url, body, raw.length > 0);
    if (!v || !v.ok) {
      const problems = v && !v.ok ? v.problems : ['no validator'];
      this.failures.push(...problems);
      return send(res, v && !v.ok && v.unknownRoute ? 404 : 422, { message: problems.join('; ') });
    }
    logged.operationId = v.op.operationId;
    const operationId = v.op.operationId;
    responseChecks.set(res, (status, sent) => {
      for (const p of validator?.validateResponse(operationId, status, sent) ?? [])
        this.failures.push(`the fake's own answer is not GitHub's: ${p}`);
    });
    if (v.op.pathParams.owner !== this.owner || v.op.pathParams.repo !== this.repo) {
      return send(res, 404, { message: 'Not Found' });
    }
    const failStatus = this.failWith.get(v.op.operationId);
    if (failStatus !== undefined)
      return send(res, failStatus, {
        message: failStatus === 403 ? 'Resource not accessible by integration' : 'Server Error',
        documentation_url: 'https://docs.github.com/rest',
      });
    try {
      this.route(v.op, body, url, res);
    } catch (err) {
      this.failures.push(`${v.op.operationId}: the fake server failed: ${(err as Error).message}`);
      send(res, 500, { message: (err as Error).message });
    }
  }

  private route(op: MatchedOperation, body: unknown, url: URL, res: ServerResponse): void {
    const p = op.pathParams;
    const q = op.query;
    switch (op.operationId) {
      case 'issues/list-comments': {
        if (this.commentStatus)
          return send(res, this.commentStatus, { message: 'Resource not accessible by integration' });
        const all = this.commentsOn(Number(p.issue_number)).map((c) => this.commentJson(c));
        return sendPage(res, url, all, (items) => items);
      }
      case 'issues/create-comment': {
        if (this.commentStatus)
          return send(res, this.commentStatus, { message: 'Resource not accessible by integration' });
        const c = this.addComment(Number(p.issue_number), (body as { body: string }).body);
        return send(res, 201, this.commentJson(c));
      }
      case 'issues/update-comment': {
        if (this.commentStatus)
          return send(res, this.commentStatus, { message: 'Resource not accessible by integration' });
        const c = this.comments.find((x) => x.id === Number(p.comment_id));
        if (!c) return send(res, 404, { message: 'Not Found' });
        c.body = (body as { body: string }).body;
        c.updatedAt = new Date().toISOString();
        c.edits++;
        return send(res, 200, this.commentJson(c));
      }
      case 'repos/compare-commits-with-basehead': {
        const [base, head] = p.basehead.split('...');
        const mergeBase = this.mergeBase(base, head);
        if (!mergeBase) return send(res, 404, { message: 'Not Found' });
        const cmp = this.example('repos/compare-commits-with-basehead', 200);
        return send(res, 200, {
          ...cmp,
          url: `${this.repoUrl}/compare/${base}...${head}`,
          status: 'ahead',
          ahead_by: 1,
          behind_by: 0,
          total_commits: 1,
          base_commit: this.commitJson(base),
          merge_base_commit: this.commitJson(mergeBase),
          commits: [],
          files: [],
        });
      }
      case 'repos/list-commits': {
        const from = q.sha ? this.commits.indexOf(q.sha) : 0;
        if (from < 0) return send(res, 404, { message: 'No commit found for SHA' });
        return sendPage(
          res,
          url,
          this.commits.slice(from).map((sha) => this.commitJson(sha)),
          (items) => items,
        );
      }
      case 'pulls/get': {
        const pr = this.pulls.get(Number(p.pull_number));
        if (!pr) return send(res, 404, { message: 'Not Found' });
        const json = this.example('pulls/get', 200);
        const side = json.head as Record<string, unknown>;
        const baseSide = json.base as Record<string, unknown>;
        return send(res, 200, {
          ...json,
          number: Number(p.pull_number),
          state: pr.state,
          // GitHub's example lists a team without the 'type' its own schema requires.
          requested_teams: [],
          head: { ...side, sha: pr.headSha, ref: 'feature' },
          base: { ...baseSide, sha: pr.baseSha, ref: 'master' },
        });
      }
      case 'actions/get-workflow-run': {
        const run = this.runs.get(Number(p.run_id));
        if (!run) return send(res, 404, { message: 'Not Found' });
        return send(res, 200, this.runJson(Number(p.run_id), run));
      }
      case 'actions/list-artifacts-for-repo': {
        const list = this.artifacts
          .filter((a) => q.name === undefined || a.name === q.name)
          .sort((a, b) => b.id - a.id);
        return sendPage(
          res,
          url,
          list.map((a) => this.artifactJson(a)),
          (items, total) => ({ total_count: total, artifacts: items }),
        );
      }
      case 'actions/list-workflow-run-artifacts': {
        const list = this.artifacts.filter(
          (a) => a.runId === Number(p.run_id) && (q.name === undefined || a.name === q.name),
        );
        return sendPage(
          res,
          url,
          list.map((a) => this.artifactJson(a)),
          (items, total) => ({ total_count: total, artifacts: items }),
        );
      }
      case 'actions/download-artifact': {
        const a = this.artifacts.find((x) => x.id === Number(p.artifact_id));
        if (!a) return send(res, 404, { message: 'Not Found' });
        if (p.archive_format !== 'zip')
          return send(res, 422, { message: `archive_format ${p.archive_format} is not supported` });
        if (this.isExpired(a)) return send(res, 410, { message: 'Artifact has expired' });
        if (!a.stored || !this.artifactService)
          return send(res, 404, { message: 'the fake holds no archive for this artifact' });
        res.writeHead(302, { location: this.artifactService.downloadUrl(a.stored), 'content-length': 0 });
        res.end();
        return;
      }
      default:
        // Valid for GitHub, but not something the Action is expected to call.
        this.failures.push(`unexpected call to ${op.operationId} (${op.template})`);
        return send(res, 404, { message: `the fake does not implement ${op.operationId}` });
    }
  }

  /** The newest commit that is an ancestor of both (the history is linear, so: the older one). */
  private mergeBase(base: string, head: string): string | undefined {
    const pr = [...this.pulls.values()].find((x) => x.headSha === head);
    const bi = this.commits.indexOf(base);
    if (bi < 0) return undefined;
    // A pull request's head is off the main line: its merge-base is recorded as its base.
    if (pr) return pr.baseSha === base ? base : undefined;
    const hi = this.commits.indexOf(head);
    return hi < 0 ? undefined : this.commits[Math.max(bi, hi)];
  }

  private get repoUrl(): string {
    return `${this.url}/repos/${this.owner}/${this.repo}`;
  }

  /** GitHub's documented example answer, as a base the fake's state is written over. */
  private example(operationId: string, status: number): Record<string, unknown> {
    return validator?.example(operationId, status) as Record<string, unknown>;
  }

  private commentJson(c: StoredComment): object {
    const html = `https://github.com/${this.owner}/${this.repo}/pull/${c.issue}#issuecomment-${c.id}`;
    return {
      ...this.example('issues/update-comment', 200),
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.repoUrl}/issues/comments/${c.id}`,
      html_url: html,
      issue_url: `${this.repoUrl}/issues/${c.issue}`,
      body: c.body,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: 'NONE',
    };
  }

  private commitJson(sha: string): object {
    const [json] = this.example('repos/list-commits', 200) as unknown as Record<string, unknown>[];
    const parent = this.commits[this.commits.indexOf(sha) + 1];
    return {
      ...json,
      sha,
      node_id: `C_${sha.slice(0, 8)}`,
      url: `${this.repoUrl}/commits/${sha}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/commit/${sha}`,
      comments_url: `${this.repoUrl}/commits/${sha}/comments`,
      commit: { ...(json.commit as object), message: `commit ${sha.slice(0, 7)}` },
      parents: parent
        ? [
            {
              sha: parent,
              url: `${this.repoUrl}/commits/${parent}`,
              html_url: `https://github.com/${this.owner}/${this.repo}/commit/${parent}`,
            },
          ]
        : [],
    };
  }

  private runJson(
    id: number,
    run: { event: string; headBranch: string; headSha: string; fromFork?: boolean },
  ): object {
    const json = this.example('actions/get-workflow-run', 200);
    const repository = json.repository as Record<string, unknown>;
    return {
      ...json,
      id,
      event: run.event,
      head_branch: run.headBranch,
      head_sha: run.headSha,
      repository: {
        ...repository,
        id: this.repoId,
        name: this.repo,
        full_name: `${this.owner}/${this.repo}`,
      },
      head_repository: {
        ...(json.head_repository as object),
        id: run.fromFork ? this.repoId + 1 : this.repoId,
        name: this.repo,
        full_name: run.fromFork ? `mallory/${this.repo}` : `${this.owner}/${this.repo}`,
        fork: run.fromFork === true,
      },
    };
  }

  private isExpired(a: FakeArtifact): boolean {
    return a.expired === true || (a.stored !== undefined && this.artifactService?.expired(a.stored) === true);
  }

  private artifactJson(a: FakeArtifact): object {
    const base = `${this.url}/repos/${this.owner}/${this.repo}/actions/artifacts/${a.id}`;
    const created = a.createdAt ?? new Date().toISOString();
    const [example] = (this.example('actions/list-artifacts-for-repo', 200).artifacts ?? []) as Record<
      string,
      unknown
    >[];
    // The example's digest describes another archive: only a stored archive has one.
    const { digest: _digest, ...json } = example;
    return {
      ...json,
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
      name: a.name,
      size_in_bytes: a.stored?.bytes.length ?? 1024,
      url: base,
      archive_download_url: `${base}/zip`,
      expired: this.isExpired(a),
      created_at: created,
      expires_at: a.stored?.expiresAt?.toISOString() ?? null,
      updated_at: created,
      ...(a.stored ? { digest: a.stored.digest } : {}),
      workflow_run: {
        id: a.runId,
        repository_id: this.repoId,
        head_repository_id: a.fromFork ? this.repoId + 1 : this.repoId,
        head_branch: a.headBranch,
        head_sha: a.headSha,
      },
    };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  responseChecks.get(res)?.(status, body);
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** GitHub's pagination: `page`/`per_page` (default 30) and a Link header with rel="next". */
function sendPage<T>(
  res: ServerResponse,
  url: URL,
  all: T[],
  wrap: (items: T[], total: number) => unknown,
): void {
  const perPage = Number(url.searchParams.get('per_page') ?? '30');
  const page = Number(url.searchParams.get('page') ?? '1');
  const items = all.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (page * perPage < all.length) {
    const next = new URL(url.toString());
    next.searchParams.set('page', String(page + 1));
    const host = res.req.headers.host ?? '127.0.0.1';
    headers.link = `<http://${host}${next.pathname}${next.search}>; rel="next"`;
  }
  send(res, 200, wrap(items, all.length), headers);
}
