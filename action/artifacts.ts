/**
 * Where the Action keeps its artifacts, behind a small port: GitHub's artifact service on a runner,
 * or a local folder (HEAPGATE_ARTIFACT_DIR) for tests and for running the Action outside GitHub.
 */
import { DefaultArtifactClient } from '@actions/artifact';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ToolError } from '../src/errors.js';
import { ARCHIVE_LIMITS, extractWanted } from './archive.js';
import type { Repo } from './context.js';
import type { GitHubApi, ListedArtifact, WorkflowRunInfo } from './github.js';

export interface StoredArtifact {
  id: number;
  name: string;
  /** Commit of the run that uploaded it. */
  commit?: string;
  branch?: string;
  createdAt?: string;
  /** Archive size and `sha256:<hex>` digest, as listed. */
  sizeInBytes?: number;
  digest?: string;
  runId?: number;
  /** Uploaded by a run of a fork's code: never trusted as a baseline. */
  fromFork: boolean;
}

/** What the uploading run knows about itself; GitHub records this on its own, a folder cannot. */
export interface UploadMeta {
  commit: string;
  branch?: string;
  runId: number;
  fromFork: boolean;
  /** The event that started the uploading run (push, pull_request, …). */
  event: string;
  retentionDays?: number;
}

export interface ArtifactStore {
  readonly description: string;
  /** Returns the new artifact's id, when the store tells it. */
  upload(
    name: string,
    files: readonly string[],
    rootDir: string,
    meta: UploadMeta,
  ): Promise<number | undefined>;
  /** Unexpired artifacts with exactly this name, any run. */
  named(name: string): Promise<StoredArtifact[]>;
  /** Unexpired artifacts uploaded by one workflow run. */
  inRun(runId: number): Promise<StoredArtifact[]>;
  /**
   * Writes the artifact's files named in `wanted` (paths inside it) into `dir`; an archive that is
   * too large, malformed, or has entries that would land outside `dir` is refused whole.
   */
  download(artifact: StoredArtifact, dir: string, wanted: readonly string[]): Promise<void>;
  /** The workflow run that uploaded it; undefined when that cannot be told. */
  uploadedBy(artifact: StoredArtifact): Promise<WorkflowRunInfo | undefined>;
}

export const LOCAL_ARTIFACT_DIR_ENV = 'HEAPGATE_ARTIFACT_DIR';

export function selectArtifactStore(
  env: NodeJS.ProcessEnv,
  api: GitHubApi,
  repo: Repo,
  token: string,
): ArtifactStore {
  const dir = env[LOCAL_ARTIFACT_DIR_ENV];
  return dir ? new FolderArtifactStore(resolve(dir)) : new GitHubArtifactStore(api, repo, token);
}

/** GitHub's artifact service (upload/download through @actions/artifact; listings through REST). */
export class GitHubArtifactStore implements ArtifactStore {
  readonly description = "GitHub's artifact storage";
  private readonly client = new DefaultArtifactClient();

  constructor(
    private readonly api: GitHubApi,
    private readonly repo: Repo,
    private readonly token: string,
  ) {}

  async upload(
    name: string,
    files: readonly string[],
    rootDir: string,
    meta: UploadMeta,
  ): Promise<number | undefined> {
    const r = await this.client.uploadArtifact(
      name,
      [...files],
      rootDir,
      meta.retentionDays !== undefined ? { retentionDays: meta.retentionDays } : {},
    );
    return r.id;
  }

  async named(name: string): Promise<StoredArtifact[]> {
    return (await this.api.artifactsNamed(name)).filter((a) => !a.expired).map(fromListed);
  }

  async inRun(runId: number): Promise<StoredArtifact[]> {
    return (await this.api.artifactsOfRun(runId)).filter((a) => !a.expired).map(fromListed);
  }

  async uploadedBy(artifact: StoredArtifact): Promise<WorkflowRunInfo | undefined> {
    return artifact.runId === undefined ? undefined : this.api.workflowRun(artifact.runId);
  }

  async download(artifact: StoredArtifact, dir: string, wanted: readonly string[]): Promise<void> {
    const label = `artifact ${artifact.name} (id ${artifact.id})`;
    if (artifact.runId === undefined) throw new ToolError(`${label} has no workflow run to download it from`);
    if (artifact.sizeInBytes !== undefined && artifact.sizeInBytes > ARCHIVE_LIMITS.maxArchiveBytes)
      throw new ToolError(
        `${label} is refused: it has ${artifact.sizeInBytes} bytes, more than the ${ARCHIVE_LIMITS.maxArchiveBytes} accepted`,
      );
    // The archive is kept packed and checked here: the library's own unpacking trusts entry names.
    const raw = `${dir}.zip.d`;
    rmSync(raw, { recursive: true, force: true });
    try {
      const r = await this.client.downloadArtifact(artifact.id, {
        path: raw,
        skipDecompress: true,
        ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
        findBy: {
          token: this.token,
          workflowRunId: artifact.runId,
          repositoryOwner: this.repo.owner,
          repositoryName: this.repo.repo,
        },
      });
      if (r.digestMismatch)
        throw new ToolError(`${label} is refused: its content does not match the digest GitHub lists for it`);
      const files = readdirSync(raw);
      if (files.length !== 1)
        throw new ToolError(`${label}: expected one archive, got ${files.length} files`);
      await extractWanted(readFileSync(join(raw, files[0])), dir, wanted, label);
    } finally {
      rmSync(raw, { recursive: true, force: true });
    }
  }
}

function fromListed(a: ListedArtifact): StoredArtifact {
  return {
    id: a.id,
    name: a.name,
    ...(a.headSha ? { commit: a.headSha } : {}),
    ...(a.headBranch ? { branch: a.headBranch } : {}),
    ...(a.createdAt ? { createdAt: a.createdAt } : {}),
    ...(a.sizeInBytes !== undefined ? { sizeInBytes: a.sizeInBytes } : {}),
    ...(a.digest ? { digest: a.digest } : {}),
    ...(a.runId !== undefined ? { runId: a.runId } : {}),
    fromFork: a.fromFork,
  };
}

interface FolderRecord extends StoredArtifact {
  files: string[];
  event?: string;
}

/** `<root>/<id>/artifact.json` describes the artifact; `<root>/<id>/files/` holds its files. */
export class FolderArtifactStore implements ArtifactStore {
  readonly description: string;

  constructor(private readonly root: string) {
    this.description = `the local artifact folder ${root}`;
  }

  async upload(
    name: string,
    files: readonly string[],
    rootDir: string,
    meta: UploadMeta,
  ): Promise<number | undefined> {
    mkdirSync(this.root, { recursive: true });
    const { id, dir } = this.claimId();
    const rel = files.map((f) => relative(rootDir, f));
    for (const [i, f] of files.entries()) {
      if (rel[i].startsWith('..'))
        throw new ToolError(`artifact ${name}: ${f} is outside its root folder ${rootDir}`);
      cpSync(f, join(dir, 'files', rel[i]));
    }
    const record: FolderRecord = {
      id,
      name,
      commit: meta.commit,
      ...(meta.branch ? { branch: meta.branch } : {}),
      createdAt: new Date().toISOString(),
      runId: meta.runId,
      fromFork: meta.fromFork,
      event: meta.event,
      files: rel,
    };
    // Written last: an artifact without its description is still being uploaded and is not listed.
    writeFileSync(join(dir, 'artifact.json'), JSON.stringify(record, null, 2));
    return id;
  }

  async named(name: string): Promise<StoredArtifact[]> {
    return this.records().filter((r) => r.name === name);
  }

  async inRun(runId: number): Promise<StoredArtifact[]> {
    return this.records().filter((r) => r.runId === runId);
  }

  async uploadedBy(artifact: StoredArtifact): Promise<WorkflowRunInfo | undefined> {
    const r = this.records().find((x) => x.id === artifact.id);
    if (!r || r.runId === undefined || r.commit === undefined || r.event === undefined) return undefined;
    return {
      id: r.runId,
      event: r.event,
      ...(r.branch ? { headBranch: r.branch } : {}),
      headSha: r.commit,
      sameRepository: !r.fromFork,
    };
  }

  async download(artifact: StoredArtifact, dir: string, wanted: readonly string[]): Promise<void> {
    const src = join(this.root, String(artifact.id), 'files');
    if (!existsSync(src))
      throw new ToolError(`artifact ${artifact.name} (${artifact.id}) is missing from ${this.root}`);
    mkdirSync(dir, { recursive: true });
    for (const name of wanted)
      if (existsSync(join(src, name))) cpSync(join(src, name), join(dir, name), { recursive: true });
  }

  private records(): FolderRecord[] {
    if (!existsSync(this.root)) return [];
    const out: FolderRecord[] = [];
    for (const entry of readdirSync(this.root)) {
      const file = join(this.root, entry, 'artifact.json');
      if (/^\d+$/.test(entry) && existsSync(file))
        out.push(JSON.parse(readFileSync(file, 'utf8')) as FolderRecord);
    }
    // Newest first, like GitHub's listing.
    return out.sort((a, b) => b.id - a.id);
  }

  private claimId(): { id: number; dir: string } {
    for (let id = readdirSync(this.root).length + 1; ; id++) {
      const dir = join(this.root, String(id));
      try {
        mkdirSync(dir);
        return { id, dir };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }
}
