/**
 * The artifact service double against the real @actions/artifact client: what the library sends is
 * accepted (upload, finalize, listing, download through the REST redirect), and what the real
 * service would refuse is refused: unknown fields, calls out of order, a size or hash that is not the
 * uploaded blob's, expired or tampered signed URLs, another job's ids, uploads after finalize.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeArtifactService } from '../support/github-api/artifactService.js';
import { FakeGitHub } from '../support/github-api/server.js';
import { readZip } from '../support/zip.js';

type ArtifactModule = typeof import('@actions/artifact');

const RUN = 4242;
let service: FakeArtifactService;
let github: FakeGitHub;
let dir: string;
let lib: ArtifactModule;
const saved = { ...process.env };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heapgate-artifact-service-'));
  service = await new FakeArtifactService().start();
  github = await new FakeGitHub('heapgate-test/shop').start();
  github.useArtifactService(service);
  github.runs.set(RUN, { event: 'push', headBranch: 'main', headSha: 'a'.repeat(40) });
  Object.assign(process.env, {
    ACTIONS_RUNTIME_TOKEN: service.runtimeToken(RUN),
    ACTIONS_RESULTS_URL: service.resultsUrl,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: dir,
  });
  // @actions/github reads GITHUB_API_URL when it is first loaded.
  lib = await import('@actions/artifact');
});
afterAll(async () => {
  process.env = saved;
  await service.stop();
  await github.stop();
  rmSync(dir, { recursive: true, force: true });
});

function twirp(
  method: string,
  body: unknown,
  token = process.env.ACTIONS_RUNTIME_TOKEN ?? '',
): Promise<Response> {
  return fetch(`${service.resultsUrl}twirp/github.actions.results.api.v1.ArtifactService/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}

function ids(token = process.env.ACTIONS_RUNTIME_TOKEN ?? ''): Record<string, string> {
  const scp = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { scp: string }).scp;
  const [, run, job] =
    scp
      .split(' ')
      .find((s) => s.startsWith('Actions.Results:'))
      ?.split(':') ?? [];
  return { workflow_run_backend_id: run, workflow_job_run_backend_id: job };
}

describe('the real client against the double', () => {
  it('uploads, finalizes, lists and downloads an archive; the REST listing shows it with its run', async () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'nested'), { recursive: true });
    writeFileSync(join(src, 'baseline.json'), '{"schemaVersion":1}\n');
    writeFileSync(join(src, 'nested', 'more.txt'), 'x'.repeat(100_000));
    const client = new lib.DefaultArtifactClient();
    const up = await client.uploadArtifact(
      'heapgate-baseline-orders',
      [join(src, 'baseline.json'), join(src, 'nested', 'more.txt')],
      src,
      { retentionDays: 5 },
    );
    expect(service.failures).toEqual([]);
    expect(service.calls.filter((c) => c !== 'blob PUT block')).toEqual([
      'CreateArtifact',
      'blob PUT blocklist',
      'FinalizeArtifact',
    ]);
    const id = up.id ?? -1;
    const stored = service.artifacts.find((a) => a.id === id);
    expect(stored?.digest).toBe(`sha256:${up.digest}`);
    expect(
      readZip(stored?.bytes ?? Buffer.alloc(0))
        .map((e) => e.name)
        .sort(),
    ).toEqual(['baseline.json', 'nested/more.txt']);

    // Same run: through the twirp listing and a signed URL.
    const listed = await client.listArtifacts();
    expect(listed.artifacts.map((a) => a.name)).toEqual(['heapgate-baseline-orders']);
    const own = await client.downloadArtifact(id, { path: join(dir, 'own') });
    expect(own.digestMismatch).toBe(false);
    expect(readFileSync(join(dir, 'own', 'nested', 'more.txt'), 'utf8')).toHaveLength(100_000);

    // Another run's view: the REST API redirects to the blob.
    const other = await client.downloadArtifact(id, {
      path: join(dir, 'other'),
      expectedHash: stored?.digest,
      findBy: {
        token: 'ghs_x',
        workflowRunId: RUN,
        repositoryOwner: 'heapgate-test',
        repositoryName: 'shop',
      },
    });
    expect(other.digestMismatch).toBe(false);
    expect(readFileSync(join(dir, 'other', 'baseline.json'), 'utf8')).toBe('{"schemaVersion":1}\n');
    expect(github.failures).toEqual([]);
    expect(github.requests.map((r) => r.operationId)).toEqual(['actions/download-artifact']);
    expect(service.failures).toEqual([]);
  });
});

describe('what the real service refuses', () => {
  it('an unknown field, an unknown method, a missing or foreign token, another job’s ids', async () => {
    const r1 = await twirp('CreateArtifact', { ...ids(), name: 'x', version: 7, colour: 'blue' });
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { msg: string }).msg).toMatch(/colour/);
    expect((await twirp('DeleteEverything', ids())).status).toBe(404);
    expect((await twirp('CreateArtifact', { ...ids(), name: 'x', version: 7 }, 'not.a.jwt')).status).toBe(
      401,
    );
    const other = service.runtimeToken(RUN + 1);
    expect((await twirp('CreateArtifact', { ...ids(other), name: 'x', version: 7 })).status).toBe(403);
    expect(service.failures).toHaveLength(4);
  });

  it('calls out of order: finalize before create, finalize before upload, create twice', async () => {
    expect((await twirp('FinalizeArtifact', { ...ids(), name: 'early', size: '1' })).status).toBe(404);
    expect((await twirp('CreateArtifact', { ...ids(), name: 'early', version: 7 })).status).toBe(200);
    expect((await twirp('FinalizeArtifact', { ...ids(), name: 'early', size: '0' })).status).toBe(412);
    expect((await twirp('CreateArtifact', { ...ids(), name: 'early', version: 7 })).status).toBe(409);
  });

  it('a finalize whose size or hash is not the uploaded blob’s; a write after finalize', async () => {
    const created = (await (
      await twirp('CreateArtifact', { ...ids(), name: 'sized', version: 7 })
    ).json()) as {
      signed_upload_url: string;
    };
    const body = Buffer.from('PK-not-really-a-zip');
    const put = await fetch(created.signed_upload_url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body,
    });
    expect(put.status).toBe(201);
    expect((await twirp('FinalizeArtifact', { ...ids(), name: 'sized', size: '3' })).status).toBe(400);
    const wrongHash = {
      ...ids(),
      name: 'sized',
      size: String(body.length),
      hash: `sha256:${'0'.repeat(64)}`,
    };
    expect((await twirp('FinalizeArtifact', wrongHash)).status).toBe(400);
    expect(
      (await twirp('FinalizeArtifact', { ...ids(), name: 'sized', size: String(body.length) })).status,
    ).toBe(200);
    const late = await fetch(created.signed_upload_url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body,
    });
    expect(late.status).toBe(409);
    // A block list naming a block that was never staged.
    const again = (await (
      await twirp('CreateArtifact', { ...ids(), name: 'blocks', version: 7 })
    ).json()) as {
      signed_upload_url: string;
    };
    const list = await fetch(`${again.signed_upload_url}&comp=blocklist`, {
      method: 'PUT',
      body: '<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>QUFBQQ==</Latest></BlockList>',
    });
    expect(list.status).toBe(400);
    expect(list.headers.get('x-ms-error-code')).toBe('InvalidBlockList');
  });

  it('signed URLs: expired, tampered with, or used for what they were not signed for', async () => {
    const a = service.artifacts[0];
    const good = service.downloadUrl(a);
    expect((await fetch(good)).status).toBe(200);
    const expired = await fetch(service.downloadUrl(a, -1000));
    expect(expired.status).toBe(403);
    expect(expired.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
    const tampered = good.replace('sp=r', 'sp=rw');
    expect((await fetch(tampered)).status).toBe(403);
    const write = await fetch(good, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' });
    expect(write.status).toBe(403);
    // The REST redirect of an expired artifact is refused (410), like GitHub's.
    const owner = 'heapgate-test';
    const restore = service.now;
    service.now = () => Date.now() + 6 * 86_400_000;
    const gone = await fetch(`${github.url}/repos/${owner}/shop/actions/artifacts/${a.id}/zip`, {
      redirect: 'manual',
    });
    service.now = restore;
    expect(gone.status).toBe(410);
  });
});
