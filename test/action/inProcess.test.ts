/**
 * The gate and soak modes run in-process, talking to the runner only through the RunnerPort: what
 * they say (outputs, annotations, summary, failure) is recorded and checked without the bundle. The
 * REST calls go to FakeGitHub (validated against GitHub's OpenAPI description); artifacts go to the
 * real local folder store.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderArtifactStore } from '../../action/artifacts.js';
import { readConfig, type GateConfig, type SoakModeConfig } from '../../action/config.js';
import { readContext } from '../../action/context.js';
import { gate } from '../../action/gate.js';
import { GitHubApi } from '../../action/github.js';
import { soak } from '../../action/soak.js';
import { repoRoot } from '../support/cli.js';
import { FakeGitHub } from '../support/github-api/server.js';
import { RecordingRunner } from '../support/recordingRunner.js';
import { actionDefaults, examplePayload } from '../support/runAction.js';
import { LEAKED_TYPE, scenarioAppDll } from '../support/scenario.js';
import { REPO, sha, TOKEN } from './fixture.js';

let github: FakeGitHub;
let dir: string;

beforeAll(async () => {
  github = new FakeGitHub(REPO);
  await github.start();
  dir = mkdtempSync(join(tmpdir(), 'heapgate-inproc-'));
});
afterAll(async () => {
  await github.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Inputs as the runner passes them: action.yml's defaults under the workflow's own. */
function configOf(inputs: Record<string, string>) {
  const all: Record<string, string> = { ...actionDefaults(TOKEN), ...inputs };
  return readConfig((name) => all[name] ?? '');
}

/** A checkout holding the bundled example `head` as head.gcdump and the committed example baseline. */
function checkout(workspace: string, head: string): void {
  copyFileSync(join(repoRoot, 'examples', head), join(workspace, 'head.gcdump'));
  mkdirSync(join(workspace, 'baselines'));
  copyFileSync(join(repoRoot, 'baselines', 'example.json'), join(workspace, 'baselines', 'example.json'));
}

function deps(name: string, event: 'push' | 'pull_request', runner: RecordingRunner) {
  const root = join(dir, name);
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(join(root, 'temp'), { recursive: true });
  const payload =
    event === 'pull_request'
      ? examplePayload('pull_request', (p) => p.action === 'opened')
      : examplePayload('push', (p) => p.ref === 'refs/heads/master');
  const eventPath = join(root, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  const ctx = readContext({
    GITHUB_REPOSITORY: REPO,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: sha(`${name}-sha`),
    GITHUB_REF: event === 'push' ? 'refs/heads/master' : 'refs/pull/1/merge',
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: join(root, 'temp'),
  });
  const api = new GitHubApi(TOKEN, ctx.repo, github.url);
  const store = new FolderArtifactStore(join(root, 'artifacts'));
  return { workspace, root, common: { ctx, api, store, actionRoot: repoRoot, runner } };
}

describe('gate mode in-process', () => {
  it('a leaking pull request fails through the port: outputs, an error per finding at its rule, the summary and one comment', async () => {
    const runner = new RecordingRunner();
    const d = deps('gate-pr', 'pull_request', runner);
    const ev = d.common.ctx.event;
    if (ev.kind !== 'pull_request') throw new Error('expected a pull_request context');
    github.pulls.set(ev.number, { headSha: ev.headSha, baseSha: ev.baseSha, state: 'open' });
    checkout(d.workspace, 'leaky-cache.gcdump');
    writeFileSync(
      join(d.workspace, 'heapgate.yml'),
      'version: 1\nrules:\n  - id: growth\n    match: "*"\n    max-growth: { count: [10, 10%] }\n    severity: error\n',
    );
    const config = configOf({
      snapshots: 'head.gcdump',
      baseline: 'baselines/example.json',
      rules: 'heapgate.yml',
      scenario: 'example',
    });
    expect(config.mode).toBe('gate');

    await gate({ ...d.common, config: config as GateConfig });

    expect(runner.failed).toMatch(/^heapgate: memory gate failed for scenario 'example' \(\d+ failing/);
    expect(runner.outputs.status).toBe('fail');
    expect(Number(runner.outputs.errors)).toBeGreaterThanOrEqual(1);
    expect(runner.outputs['report-markdown']).toMatch(/report\.md$/);
    const ruleErrors = runner.annotations.filter((a) => a.level === 'error' && a.at?.file === 'heapgate.yml');
    expect(ruleErrors.length).toBe(Number(runner.outputs.errors));
    expect(ruleErrors[0]?.at?.startLine).toBe(3);
    expect(runner.summary).toMatch(/^### ❌ heapgate/);
    expect(github.commentsOn(ev.number)).toHaveLength(1);
    expect(github.failures, 'requests GitHub would reject').toEqual([]);
    expect(runner.log).toContain(
      `heapgate: uploaded heapgate-report-example to ${d.common.store.description}`,
    );
    expect(readdirSync(join(d.root, 'artifacts'))).toHaveLength(1);
  });

  it('the same head against itself passes: no failure, status pass, no error annotations', async () => {
    const runner = new RecordingRunner();
    const d = deps('gate-push', 'push', runner);
    checkout(d.workspace, 'steady.gcdump');
    const config = configOf({
      snapshots: 'head.gcdump',
      baseline: 'baselines/example.json',
      scenario: 'example',
      'record-baseline': 'false',
    });
    await gate({ ...d.common, config: config as GateConfig });
    expect(runner.failed).toBeUndefined();
    expect(runner.outputs.status).toBe('pass');
    expect(runner.annotations.filter((a) => a.level === 'error')).toEqual([]);
  });
});

describe('gate mode records known leaks', () => {
  it('a push that fails records a baseline whose leaks are first seen at its commit', async () => {
    const runner = new RecordingRunner();
    const d = deps('gate-leaks', 'push', runner);
    checkout(d.workspace, 'leaky-cache.gcdump');
    const config = configOf({
      snapshots: 'head.gcdump',
      baseline: 'baselines/example.json',
      scenario: 'example',
    });
    await gate({ ...d.common, config: config as GateConfig });
    expect(runner.failed).toMatch(/memory gate failed/);
    const recorded = JSON.parse(
      readFileSync(join(d.common.ctx.tempDir, 'heapgate', 'example', 'baseline.json'), 'utf8'),
    ) as { schemaVersion: number; leaks: Record<string, { subject: string; firstSeen: { commit: string } }> };
    expect(recorded.schemaVersion).toBe(2);
    const leaks = Object.values(recorded.leaks);
    expect(leaks.map((l) => l.subject)).toContain('HeapgateScenarios.Leaks.CacheEntry');
    for (const l of leaks) expect(l.firstSeen.commit).toBe(d.common.ctx.sha);
  });
});

describe('gate mode with trace', () => {
  it('a traced scenario run gives the failing leaked type its allocation stacks in the report', async () => {
    const runner = new RecordingRunner();
    const d = deps('gate-trace', 'push', runner);
    checkout(d.workspace, 'steady.gcdump');
    const config = configOf({
      run: `dotnet "${scenarioAppDll()}" static-list --rounds 2 --per-round 50000`,
      baseline: 'baselines/example.json',
      scenario: 'example',
      trace: 'true',
      'record-baseline': 'false',
    });
    expect(config.mode === 'gate' && config.heads.kind === 'run' && config.heads.trace).toBe(true);
    await gate({ ...d.common, config: config as GateConfig });
    expect(runner.outputs.status).toBe('fail');
    expect(runner.log).toContainEqual(
      expect.stringMatching(/^reading the allocation trace .*round-2\.nettrace$/),
    );
    const md = readFileSync(runner.outputs['report-markdown'], 'utf8');
    expect(md).toContain(`📍 Where <code>${LEAKED_TYPE['static-list']}</code> is allocated`);
    expect(md).toContain('<code>HeapgateScenarios.Leaks.StaticListScenario.RunRound</code>');
  }, 300_000);
});

describe('soak mode in-process', () => {
  it('slow-leak fails through the port with its type named; the run is grouped in the log', async () => {
    const runner = new RecordingRunner();
    const d = deps('soak', 'push', runner);
    const config = configOf({
      mode: 'soak',
      run: `dotnet "${scenarioAppDll()}" slow-leak --rounds 50`,
      rounds: '5',
      scenario: 'nightly',
    });
    expect(config.mode).toBe('soak');
    await soak({ ...d.common, config: config as SoakModeConfig });
    expect(runner.failed).toMatch(/^heapgate: memory keeps growing in scenario 'nightly'/);
    expect(runner.outputs.status).toBe('fail');
    expect(runner.groups).toEqual([expect.stringMatching(/^running the soak scenario: dotnet /)]);
    expect(runner.log.some((l) => l.startsWith('heapgate: collected checkpoint "round-5" ('))).toBe(true);
    expect(runner.summary).toContain(LEAKED_TYPE['slow-leak']);
  });
});
