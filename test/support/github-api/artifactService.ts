/**
 * A loopback stand-in for the service @actions/artifact talks to on a runner: the results service
 * (twirp JSON at ACTIONS_RESULTS_URL, authorised by the job's ACTIONS_RUNTIME_TOKEN) and the
 * Azure-blob-like storage its signed URLs point to. The protocol is the one the library itself
 * encodes: requests are parsed with the library's own generated protobuf message types, so a field
 * the service does not define is rejected, as a twirp server does.
 *
 * It rejects what the real service would: a token it did not sign or for another job, backend ids
 * that are not the token's, unknown fields, an unknown method, finalizing before creating or before
 * the blob is committed, creating a name twice in one run, a finalize whose size or sha256 differs
 * from the committed blob, uploads after finalize, block lists naming blocks never staged, signed
 * URLs that are expired, tampered with, or used for what they were not signed for. Every rejection
 * is recorded in `failures`, so a test can insist there were none.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../cli.js';

const SERVICE = 'github.actions.results.api.v1.ArtifactService';
/** How long a signed URL is valid (the real service hands out short-lived URLs). */
const SIGNED_URL_TTL_MS = 10 * 60 * 1000;
/** Retention the service allows at most. */
const MAX_RETENTION_DAYS = 90;

/** The slice of protobuf-ts's MessageType the double uses. */
interface MessageType {
  fromJson(json: unknown, options: { ignoreUnknownFields: boolean }): Record<string, unknown>;
  toJson(message: Record<string, unknown>, options: { useProtoFieldName: boolean }): unknown;
  create(value?: Record<string, unknown>): Record<string, unknown>;
}

interface Generated {
  CreateArtifactRequest: MessageType;
  CreateArtifactResponse: MessageType;
  FinalizeArtifactRequest: MessageType;
  FinalizeArtifactResponse: MessageType;
  ListArtifactsRequest: MessageType;
  ListArtifactsResponse: MessageType;
  GetSignedArtifactURLRequest: MessageType;
  GetSignedArtifactURLResponse: MessageType;
  Timestamp: MessageType & { toDate(t: Record<string, unknown>): Date };
}

let generated: Promise<Generated> | undefined;

/** The library's own message definitions (not exported by its package map, so loaded by path). */
function loadGenerated(): Promise<Generated> {
  generated ??= (async () => {
    const lib = join(repoRoot, 'node_modules', '@actions', 'artifact', 'lib');
    return (await import(pathToFileURL(join(lib, 'generated', 'index.js')).href)) as Generated;
  })();
  return generated;
}

/** Who a runtime token was minted for: one job of one workflow run. */
export interface JobIdentity {
  runId: number;
  runBackendId: string;
  jobBackendId: string;
}

/** A finalized artifact as the service stores it. */
export interface ServiceArtifact {
  id: number;
  name: string;
  runId: number;
  runBackendId: string;
  jobBackendId: string;
  bytes: Buffer;
  /** `sha256:<hex>` of `bytes`. */
  digest: string;
  createdAt: Date;
  expiresAt?: Date;
}

interface PendingArtifact {
  name: string;
  job: JobIdentity;
  blobPath: string;
  expiresAt?: Date;
  finalized: boolean;
}

interface Blob {
  /** Staged but not yet committed blocks, by block id. */
  staged: Map<string, Buffer>;
  blockIdLength?: number;
  committed?: Buffer;
  contentType?: string;
  /** Set once the artifact is finalized: the blob is then read-only. */
  sealed: boolean;
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

class BlobError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class FakeArtifactService {
  /** Rejected requests, one line each; a test of the happy path expects none. */
  readonly failures: string[] = [];
  /** Method names of twirp calls and blob operations, in the order they arrived. */
  readonly calls: string[] = [];
  readonly artifacts: ServiceArtifact[] = [];
  /** Called when an artifact is finalized (the REST double lists it from then on). */
  onFinalized: (a: ServiceArtifact) => void = () => undefined;
  /** Time as the service sees it; tests move it forward to expire URLs. */
  now: () => number = () => Date.now();

  private readonly secret = randomBytes(32);
  private readonly jobs = new Map<string, JobIdentity>();
  private readonly pending = new Map<string, PendingArtifact>();
  private readonly blobs = new Map<string, Blob>();
  private nextId = 5000;
  private results: Server | undefined;
  private storage: Server | undefined;

  /** ACTIONS_RESULTS_URL. */
  get resultsUrl(): string {
    return `${origin(this.results)}/`;
  }

  get blobUrl(): string {
    return origin(this.storage);
  }

  async start(): Promise<this> {
    await loadGenerated();
    this.results = await listen((req, res) => this.handleTwirp(req, res));
    this.storage = await listen((req, res) => this.handleBlob(req, res));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of [this.results, this.storage]) {
      if (!s) continue;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  /**
   * ACTIONS_RUNTIME_TOKEN for one job of a workflow run: a JWT signed by this service whose `scp`
   * claim carries the run's and job's backend ids, as the runner's token does.
   */
  runtimeToken(runId: number, validForMs = 60 * 60 * 1000): string {
    const job: JobIdentity = {
      runId,
      runBackendId: uuidFrom(`run-${runId}`),
      jobBackendId: uuidFrom(`job-${runId}-${this.jobs.size}`),
    };
    this.jobs.set(job.jobBackendId, job);
    const now = Math.floor(this.now() / 1000);
    const claims = {
      scp: `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${job.runBackendId}:${job.jobBackendId}`,
      iat: now,
      nbf: now,
      exp: now + Math.floor(validForMs / 1000),
      iss: 'vstoken.actions.githubusercontent.com',
    };
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
    const body = b64url(JSON.stringify(claims));
    return `${head}.${body}.${this.sign(`${head}.${body}`, 'base64url')}`;
  }

  /** A signed read URL for a finalized artifact's blob (the REST double redirects to it). */
  downloadUrl(artifact: ServiceArtifact, ttlMs = SIGNED_URL_TTL_MS): string {
    return this.signedUrl(blobPathOf(artifact.runBackendId, artifact.name), 'r', ttlMs);
  }

  /** Stores an archive as if a run had uploaded it (for archives the library would never write). */
  seed(name: string, runId: number, bytes: Buffer): ServiceArtifact {
    const job = { runId, runBackendId: uuidFrom(`run-${runId}`), jobBackendId: uuidFrom(`seed-${runId}`) };
    const blobPath = blobPathOf(job.runBackendId, name);
    this.blobs.set(blobPath, { staged: new Map(), committed: bytes, sealed: true });
    return this.finalize(name, job, bytes);
  }

  // ---- twirp ---------------------------------------------------------------------------------

  private async handleTwirp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const method = /^\/twirp\/([\w.]+)\/(\w+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const name = method ? method[2] : (req.url ?? '');
    this.calls.push(name);
    try {
      if (req.method !== 'POST') throw new TwirpError(404, 'bad_route', `${req.method} is not allowed`);
      if (!method || method[1] !== SERVICE)
        throw new TwirpError(404, 'bad_route', `no handler for path ${req.url}`);
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
      if (type !== 'application/json')
        throw new TwirpError(400, 'malformed', `unexpected Content-Type: ${type || '(none)'}`);
      const job = this.authenticate(req.headers.authorization);
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new TwirpError(400, 'malformed', 'the request body is not JSON');
      }
      const out = await this.dispatch(method[2], json, job);
      sendJson(res, 200, out);
    } catch (err) {
      const e = err instanceof TwirpError ? err : new TwirpError(500, 'internal', (err as Error).message);
      this.failures.push(`twirp ${name}: ${e.code}: ${e.message}`);
      sendJson(res, e.status, { code: e.code, msg: e.message, meta: {} });
    }
  }

  private async dispatch(method: string, json: unknown, job: JobIdentity): Promise<unknown> {
    const g = await loadGenerated();
    const parse = (t: MessageType): Record<string, unknown> => {
      try {
        return t.fromJson(json, { ignoreUnknownFields: false });
      } catch (err) {
        throw new TwirpError(400, 'malformed', `${method}: ${(err as Error).message}`);
      }
    };
    const reply = (t: MessageType, value: Record<string, unknown>): unknown =>
      t.toJson(t.create(value), { useProtoFieldName: true });
    switch (method) {
      case 'CreateArtifact': {
        const r = parse(g.CreateArtifactRequest);
        this.ownIds(r, job);
        const name = validName(r.name);
        if (typeof r.version !== 'number' || r.version < 4)
          throw new TwirpError(
            400,
            'invalid_argument',
            `artifact version ${String(r.version)} is not supported`,
          );
        const key = `${job.runBackendId}/${name}`;
        if (
          this.pending.has(key) ||
          this.artifacts.some((a) => a.runBackendId === job.runBackendId && a.name === name)
        )
          throw new TwirpError(409, 'already_exists', `an artifact named ${name} already exists in this run`);
        let expiresAt: Date | undefined;
        if (r.expiresAt) {
          expiresAt = g.Timestamp.toDate(r.expiresAt as Record<string, unknown>);
          const days = (expiresAt.getTime() - this.now()) / 86_400_000;
          if (days <= 0 || days > MAX_RETENTION_DAYS + 1)
            throw new TwirpError(
              400,
              'invalid_argument',
              `expires_at ${expiresAt.toISOString()} is outside the allowed retention`,
            );
        }
        const blobPath = blobPathOf(job.runBackendId, name);
        this.pending.set(key, { name, job, blobPath, ...(expiresAt ? { expiresAt } : {}), finalized: false });
        this.blobs.set(blobPath, { staged: new Map(), sealed: false });
        return reply(g.CreateArtifactResponse, {
          ok: true,
          signedUploadUrl: this.signedUrl(blobPath, 'cw', SIGNED_URL_TTL_MS),
        });
      }
      case 'FinalizeArtifact': {
        const r = parse(g.FinalizeArtifactRequest);
        this.ownIds(r, job);
        const name = validName(r.name);
        const p = this.pending.get(`${job.runBackendId}/${name}`);
        if (!p) throw new TwirpError(404, 'not_found', `no artifact named ${name} was created in this run`);
        if (p.finalized)
          throw new TwirpError(412, 'failed_precondition', `artifact ${name} is already finalized`);
        const blob = this.blobs.get(p.blobPath);
        if (!blob?.committed)
          throw new TwirpError(412, 'failed_precondition', `artifact ${name} has no uploaded content`);
        const size = String(r.size ?? '0');
        if (size !== String(blob.committed.length))
          throw new TwirpError(
            400,
            'invalid_argument',
            `size ${size} does not match the uploaded ${blob.committed.length} bytes`,
          );
        const digest = `sha256:${createHash('sha256').update(blob.committed).digest('hex')}`;
        const hash = (r.hash as { value?: string } | undefined)?.value;
        if (hash !== undefined && hash !== digest)
          throw new TwirpError(
            400,
            'invalid_argument',
            `hash ${hash} does not match the uploaded content (${digest})`,
          );
        p.finalized = true;
        blob.sealed = true;
        const a = this.finalize(name, p.job, blob.committed, p.expiresAt);
        return reply(g.FinalizeArtifactResponse, { ok: true, artifactId: String(a.id) });
      }
      case 'ListArtifacts': {
        const r = parse(g.ListArtifactsRequest);
        this.ownIds(r, job);
        const nameFilter = (r.nameFilter as { value?: string } | undefined)?.value;
        const idFilter = (r.idFilter as { value?: string } | undefined)?.value;
        const list = this.artifacts.filter(
          (a) =>
            a.runBackendId === job.runBackendId &&
            !this.expired(a) &&
            (nameFilter === undefined || a.name === nameFilter) &&
            (idFilter === undefined || String(a.id) === String(idFilter)),
        );
        return reply(g.ListArtifactsResponse, {
          artifacts: list.map((a) => ({
            workflowRunBackendId: a.runBackendId,
            workflowJobRunBackendId: a.jobBackendId,
            databaseId: String(a.id),
            name: a.name,
            size: String(a.bytes.length),
            createdAt: g.Timestamp.fromJson(a.createdAt.toISOString(), { ignoreUnknownFields: false }),
            digest: { value: a.digest },
          })),
        });
      }
      case 'GetSignedArtifactURL': {
        const r = parse(g.GetSignedArtifactURLRequest);
        this.ownIds(r, job);
        const name = validName(r.name);
        const a = this.artifacts.find((x) => x.runBackendId === job.runBackendId && x.name === name);
        if (!a || this.expired(a))
          throw new TwirpError(404, 'not_found', `no artifact named ${name} in this run`);
        return reply(g.GetSignedArtifactURLResponse, { signedUrl: this.downloadUrl(a) });
      }
      default:
        throw new TwirpError(404, 'bad_route', `${SERVICE} has no method ${method}`);
    }
  }

  private finalize(name: string, job: JobIdentity, bytes: Buffer, expiresAt?: Date): ServiceArtifact {
    const a: ServiceArtifact = {
      id: this.nextId++,
      name,
      runId: job.runId,
      runBackendId: job.runBackendId,
      jobBackendId: job.jobBackendId,
      bytes,
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      createdAt: new Date(this.now()),
      ...(expiresAt ? { expiresAt } : {}),
    };
    this.artifacts.push(a);
    this.onFinalized(a);
    return a;
  }

  expired(a: ServiceArtifact): boolean {
    return a.expiresAt !== undefined && a.expiresAt.getTime() <= this.now();
  }

  /** The bearer token must be one this service minted, unexpired, with an Actions.Results scope. */
  private authenticate(header: string | undefined): JobIdentity {
    const m = /^Bearer (.+)$/.exec(header ?? '');
    if (!m) throw new TwirpError(401, 'unauthenticated', 'no bearer token');
    const [head, body, sig] = m[1].split('.');
    if (!head || !body || !sig || !this.verify(`${head}.${body}`, sig, 'base64url'))
      throw new TwirpError(401, 'unauthenticated', 'the runtime token is not signed by this service');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      scp?: string;
      exp?: number;
    };
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now())
      throw new TwirpError(401, 'unauthenticated', 'the runtime token has expired');
    const scope = (claims.scp ?? '').split(' ').find((s) => s.startsWith('Actions.Results:'));
    const job = scope ? this.jobs.get(scope.split(':')[2] ?? '') : undefined;
    if (!job)
      throw new TwirpError(403, 'permission_denied', 'the runtime token has no Actions.Results scope');
    return job;
  }

  /** A job may only act on its own run: the backend ids in the request must be the token's. */
  private ownIds(r: Record<string, unknown>, job: JobIdentity): void {
    if (r.workflowRunBackendId !== job.runBackendId || r.workflowJobRunBackendId !== job.jobBackendId)
      throw new TwirpError(403, 'permission_denied', 'the backend ids are not those of the runtime token');
  }

  // ---- blob storage --------------------------------------------------------------------------

  private signedUrl(path: string, permissions: string, ttlMs: number): string {
    const se = new Date(this.now() + ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const q = new URLSearchParams({ sv: '2021-12-02', sr: 'b', sp: permissions, se });
    q.set('sig', this.sign(`${path}\n${permissions}\n${se}`, 'base64'));
    return `${this.blobUrl}${path}?${q.toString()}`;
  }

  private async handleBlob(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const comp = url.searchParams.get('comp');
    const op = `${req.method ?? ''} ${comp ?? 'blob'}`;
    this.calls.push(`blob ${op}`);
    const raw = await readBody(req);
    try {
      const sp = this.checkSignature(url);
      const blob = this.blobs.get(url.pathname);
      if (req.method === 'GET' || req.method === 'HEAD') {
        if (!sp.includes('r'))
          throw new BlobError(403, 'AuthorizationPermissionMismatch', 'this URL does not allow reading');
        if (!blob?.committed || !blob.sealed)
          throw new BlobError(404, 'BlobNotFound', 'The specified blob does not exist.');
        const file = url.pathname.split('/').pop() ?? 'artifact.zip';
        res.writeHead(200, {
          'content-type': 'application/zip',
          'content-length': blob.committed.length,
          'content-disposition': `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(file)}`,
          'x-ms-blob-type': 'BlockBlob',
          etag: `"0x${createHash('md5').update(blob.committed).digest('hex').slice(0, 15).toUpperCase()}"`,
        });
        res.end(req.method === 'HEAD' ? undefined : blob.committed);
        return;
      }
      if (req.method !== 'PUT')
        throw new BlobError(405, 'UnsupportedHttpVerb', `${req.method} is not supported`);
      if (!sp.includes('w') && !sp.includes('c'))
        throw new BlobError(403, 'AuthorizationPermissionMismatch', 'this URL does not allow writing');
      if (!blob) throw new BlobError(404, 'ContainerNotFound', 'no artifact was created for this blob');
      if (blob.sealed)
        throw new BlobError(409, 'BlobImmutable', 'the artifact is finalized; its blob cannot change');
      const length = Number(req.headers['content-length'] ?? '-1');
      if (length !== raw.length)
        throw new BlobError(
          400,
          'InvalidHeaderValue',
          `Content-Length ${length} does not match the ${raw.length} bytes sent`,
        );
      const md5 = req.headers['content-md5'];
      if (typeof md5 === 'string' && md5 !== createHash('md5').update(raw).digest('base64'))
        throw new BlobError(400, 'Md5Mismatch', 'Content-MD5 does not match the body');
      if (comp === 'block') {
        const id = url.searchParams.get('blockid') ?? '';
        const decoded = Buffer.from(id, 'base64');
        if (!id || decoded.toString('base64') !== id || decoded.length > 64)
          throw new BlobError(
            400,
            'InvalidQueryParameterValue',
            `blockid '${id}' is not base64 of at most 64 bytes`,
          );
        if (blob.blockIdLength !== undefined && blob.blockIdLength !== id.length)
          throw new BlobError(
            400,
            'InvalidBlobOrBlock',
            'block ids of one blob must all have the same length',
          );
        blob.blockIdLength = id.length;
        blob.staged.set(id, raw);
      } else if (comp === 'blocklist') {
        const xml = raw.toString('utf8');
        if (!/^(<\?xml[^>]*\?>)?\s*<BlockList>[\s\S]*<\/BlockList>\s*$/.test(xml))
          throw new BlobError(400, 'InvalidXmlDocument', 'the block list is not a <BlockList> document');
        const ids = [...xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2]);
        const parts: Buffer[] = [];
        for (const id of ids) {
          const part = blob.staged.get(id);
          if (!part) throw new BlobError(400, 'InvalidBlockList', `block ${id} was never staged`);
          parts.push(part);
        }
        blob.committed = Buffer.concat(parts);
        blob.staged.clear();
        const type = req.headers['x-ms-blob-content-type'];
        if (typeof type === 'string') blob.contentType = type;
      } else if (comp === null) {
        if (req.headers['x-ms-blob-type'] !== 'BlockBlob')
          throw new BlobError(400, 'MissingRequiredHeader', 'x-ms-blob-type must be BlockBlob');
        blob.committed = raw;
      } else {
        throw new BlobError(400, 'InvalidQueryParameterValue', `comp=${comp} is not supported`);
      }
      res.writeHead(201, {
        etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
        'last-modified': new Date(this.now()).toUTCString(),
        'x-ms-request-id': randomBytes(16).toString('hex'),
        'x-ms-version': '2021-12-02',
        'x-ms-request-server-encrypted': 'true',
        'content-length': 0,
      });
      res.end();
    } catch (err) {
      const e = err instanceof BlobError ? err : new BlobError(500, 'InternalError', (err as Error).message);
      this.failures.push(`blob ${op}: ${e.code}: ${e.message}`);
      const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${e.code}</Code><Message>${e.message}</Message></Error>`;
      res.writeHead(e.status, {
        'content-type': 'application/xml',
        'x-ms-error-code': e.code,
        'content-length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    }
  }

  /** The SAS must be this service's signature over path, permissions and expiry, and unexpired. */
  private checkSignature(url: URL): string {
    const sp = url.searchParams.get('sp') ?? '';
    const se = url.searchParams.get('se') ?? '';
    const sig = url.searchParams.get('sig') ?? '';
    if (!sig || !this.verify(`${url.pathname}\n${sp}\n${se}`, sig, 'base64'))
      throw new BlobError(403, 'AuthenticationFailed', 'Signature did not match.');
    const expiry = Date.parse(se);
    if (!Number.isFinite(expiry) || expiry <= this.now())
      throw new BlobError(
        403,
        'AuthenticationFailed',
        `Signed expiry time [${se}] must be after the current time`,
      );
    return sp;
  }

  private sign(text: string, encoding: 'base64' | 'base64url'): string {
    return createHmac('sha256', this.secret).update(text).digest(encoding);
  }

  private verify(text: string, sig: string, encoding: 'base64' | 'base64url'): boolean {
    const expected = Buffer.from(this.sign(text, encoding));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** The same characters @actions/artifact refuses in names, refused here too (the service's rule). */
function validName(name: unknown): string {
  if (typeof name !== 'string' || name === '')
    throw new TwirpError(400, 'invalid_argument', 'name is required');
  if (/[":<>|*?\r\n\\/]/.test(name))
    throw new TwirpError(
      400,
      'invalid_argument',
      `the artifact name ${JSON.stringify(name)} has a forbidden character`,
    );
  return name;
}

function blobPathOf(runBackendId: string, name: string): string {
  return `/actions-results/${runBackendId}/${encodeURIComponent(name)}.zip`;
}

function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function origin(server: Server | undefined): string {
  const addr = server?.address() as AddressInfo | null | undefined;
  if (!addr) throw new Error('FakeArtifactService is not listening');
  return `http://127.0.0.1:${addr.port}`;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<Server> {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
