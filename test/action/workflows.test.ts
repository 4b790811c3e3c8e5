/**
 * The project's own workflows (.github/workflows) and action.yml, validated against the schemas
 * GitHub publishes and validates them with (@actions/workflow-parser: workflow-v1.0 and action-v1.0),
 * and held to the rules they promise: least-privilege permissions, third-party actions pinned to a
 * commit, the self-test running this repository's Action (`uses: ./`) on the bundled examples, CI
 * running .ci/run, and release tagging that keeps `v1` — the tag README tells users — moving.
 */
import { parseWorkflow, NoOperationTraceWriter } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../support/cli.js';

const WORKFLOWS = join(repoRoot, '.github', 'workflows');
const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');

/** Schema problems as `name:line:col: message`; none for a valid file. */
function schemaErrors(kind: 'workflow' | 'action', name: string, content: string): string[] {
  const trace = new NoOperationTraceWriter();
  const result =
    kind === 'workflow' ? parseWorkflow({ name, content }, trace) : parseAction({ name, content }, trace);
  return result.context.errors
    .getErrors()
    .map((e) => `${name}:${e.range?.start.line ?? '?'}:${e.range?.start.column ?? '?'}: ${e.message}`);
}

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string> | string;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(read(file)) as Workflow;

describe('schema', () => {
  it('the project has CI, self-test and release workflows', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['ci.yml', 'self-test.yml', 'release.yml']));
  });

  it.each(workflowFiles)('.github/workflows/%s is a valid workflow', (file) => {
    expect(schemaErrors('workflow', file, read(file))).toEqual([]);
  });

  it('action.yml is a valid action', () => {
    expect(schemaErrors('action', 'action.yml', readFileSync(join(repoRoot, 'action.yml'), 'utf8'))).toEqual(
      [],
    );
  });

  it('a workflow with an unknown key, an unknown event or a job without runs-on is refused', () => {
    const ci = read('ci.yml');
    const typo = ci.replace('    runs-on: ubuntu-latest', '    runs-onn: ubuntu-latest');
    expect(typo).not.toBe(ci);
    expect(schemaErrors('workflow', 'ci.yml', typo).join('\n')).toMatch(/runs-onn/);
    const event = ci.replace('  pull_request:', '  pull_requests:');
    expect(event).not.toBe(ci);
    expect(schemaErrors('workflow', 'ci.yml', event).join('\n')).toMatch(/pull_requests/);
    const permission = ci.replace('  contents: read', '  contents: readwrite');
    expect(permission).not.toBe(ci);
    expect(schemaErrors('workflow', 'ci.yml', permission)).not.toEqual([]);
  });

  it('an action.yml with an unknown runtime, top-level key or output key is refused', () => {
    const action = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
    const runtime = action.replace('using: node24', 'using: node99');
    expect(runtime).not.toBe(action);
    expect(schemaErrors('action', 'action.yml', runtime)).not.toEqual([]);
    const top = action.replace('author: heapgate', 'authr: heapgate');
    expect(top).not.toBe(action);
    expect(schemaErrors('action', 'action.yml', top)).toEqual([
      "action.yml:3:1: action.yml (Line: 3, Col: 1): Unexpected value 'authr'",
    ]);
    const output = action.replace(/(\noutputs:\n {2}status:\n {4})description:/, '$1descripton:');
    expect(output).not.toBe(action);
    expect(schemaErrors('action', 'action.yml', output).join('\n')).toMatch(/descripton/);
  });
});

describe('rules the workflows keep', () => {
  it.each(workflowFiles)('%s: read-only by default; write scopes only on the job that needs them', (file) => {
    const wf = workflow(file);
    expect(wf.permissions, `${file} sets workflow-wide permissions`).toEqual({ contents: 'read' });
    const writes: string[] = [];
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect(typeof job.permissions, `${file}: ${name} names its permissions`).not.toBe('string');
      for (const [scope, level] of Object.entries(job.permissions ?? {}))
        if (level === 'write') writes.push(`${file}#${name}: ${scope}`);
    }
    const allowed: Record<string, string[]> = {
      'self-test.yml': ['self-test.yml#gate: pull-requests'],
      'release.yml': ['release.yml#move-major-tag: contents'],
    };
    expect(writes).toEqual(allowed[file] ?? []);
  });

  it.each(workflowFiles)('%s: every third-party action is pinned to a full commit id', (file) => {
    for (const job of Object.values(workflow(file).jobs))
      for (const step of job.steps)
        if (step.uses && step.uses !== './') expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    // The pin says which release it is, for the reader and for update tools.
    for (const line of read(file)
      .split('\n')
      .filter((l) => /^\s*(- )?uses: [\w.-]+\/[\w.-]+@/.test(l)))
      expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('ci.yml runs .ci/run on pushes to main and on pull requests', () => {
    const wf = workflow('ci.yml');
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));
    expect(runs).toContain('bash .ci/run');
  });

  it('self-test.yml runs this repository’s Action on the bundled examples: record on push, gate on pull requests', () => {
    const wf = workflow('self-test.yml');
    const local = Object.entries(wf.jobs).flatMap(([name, job]) =>
      job.steps.filter((s) => s.uses === './').map((s) => ({ job: name, if: job.if, with: s.with ?? {} })),
    );
    expect(local.length).toBeGreaterThanOrEqual(3);
    for (const step of local) {
      const snapshots = String(step.with.snapshots);
      expect(snapshots).toMatch(/^examples\/[\w-]+\.gcdump$/);
      expect(existsSync(join(repoRoot, snapshots)), snapshots).toBe(true);
      if (step.with.baseline) expect(existsSync(join(repoRoot, String(step.with.baseline)))).toBe(true);
    }
    expect(local).toContainEqual(
      expect.objectContaining({
        if: "github.event_name == 'push'",
        with: expect.objectContaining({ mode: 'record' }),
      }),
    );
    const gate = local.find((s) => s.if === "github.event_name == 'pull_request'");
    expect(gate?.with.mode ?? 'gate').toBe('gate');
    expect(gate?.with.baseline, 'the pull request job gates against the recorded artifact').toBeUndefined();
  });

  it('release.yml moves v1 on published releases and v1.x tags; README tells users heapgate/heapgate@v1', () => {
    const wf = workflow('release.yml');
    expect(wf.on).toEqual({ release: { types: ['published'] }, push: { tags: ['v1.*'] } });
    const runs = Object.values(wf.jobs)
      .flatMap((j) => j.steps.map((s) => s.run ?? ''))
      .join('\n');
    expect(runs).toContain('scripts/move-major-tag.sh "$TAG"');
    expect(runs).toContain('npm run check:dist');
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const refs = [...readme.matchAll(/heapgate\/heapgate@([\w.-]+)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    expect(new Set(refs)).toEqual(new Set(['v1']));
  });
});

describe('scripts/move-major-tag.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heapgate-tags-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    }).trim();
  const commit = (message: string) => {
    git('commit', '--allow-empty', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  const move = (tag: string) =>
    spawnSync(join(repoRoot, 'scripts', 'move-major-tag.sh'), [tag], { cwd: dir, encoding: 'utf8' });
  const v1 = () => git('rev-parse', 'refs/tags/v1^{commit}');

  git('init', '-q', '-b', 'main');
  const c100 = commit('1.0.0');
  git('tag', 'v1.0.0');
  const c120 = commit('1.2.0');
  git('tag', '-a', 'v1.2.0', '-m', 'v1.2.0');

  it('points v1 at the newest release, annotated tags included', () => {
    const first = move('v1.0.0');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe('v1');
    // v1.2.0 already exists: v1 goes to the newest v1 release, not to the one that triggered it.
    expect(v1()).toBe(c120);
    expect(c100).not.toBe(c120);
    const again = move('v1.2.0');
    expect(again.stdout.trim()).toBe('v1');
    expect(v1()).toBe(c120);
  });

  it('never moves backwards: a later patch of an older minor leaves v1 on the newest release', () => {
    git('checkout', '-q', c100);
    commit('1.0.1');
    git('tag', 'v1.0.1');
    const r = move('v1.0.1');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/v1 stays at v1\.2\.0/);
    expect(v1()).toBe(c120);
    git('checkout', '-q', 'main');
    const c1100 = commit('1.10.0');
    git('tag', 'v1.10.0');
    expect(move('v1.10.0').stdout.trim()).toBe('v1');
    expect(v1(), 'v1.10.0 is newer than v1.2.0').toBe(c1100);
  });

  it('leaves prereleases alone and refuses what is not a release tag', () => {
    const before = v1();
    commit('1.11.0-rc.1');
    git('tag', 'v1.11.0-rc.1');
    const rc = move('v1.11.0-rc.1');
    expect(rc.status).toBe(0);
    expect(rc.stdout).toBe('');
    expect(v1()).toBe(before);
    for (const bad of ['', 'v1', 'main', 'v1.2', 'v1.99.0']) {
      const r = move(bad);
      expect(r.status, bad).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(v1()).toBe(before);
  });
});
