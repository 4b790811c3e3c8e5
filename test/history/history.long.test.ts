/**
 * `heapgate history` over 30 commits of a committed baseline, each recorded from a real run of the
 * scenario app: 16 commits of the steady scenario, then 14 of the leaking one. History names the
 * leaked type and pins its start to the range between commit 16 and commit 17, and nothing that only
 * moves with run-to-run noise is reported.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/tools/run.js';
import { runCli } from '../support/cli.js';
import { LEAKED_TYPE, scenarioAppDll } from '../support/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'heapgate-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repo = join(dir, 'repo');
const commits: string[] = [];

async function git(...args: string[]): Promise<string> {
  return gitAt({}, ...args);
}

async function gitAt(env: Record<string, string>, ...args: string[]): Promise<string> {
  const r = await runCommand('git', args, {
    cwd: repo,
    env: {
      ...process.env,
      ...env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** A real run of `scenario`, snapshotted at round-2. */
async function run(scenario: string, i: number): Promise<string> {
  const out = join(dir, `${scenario}-${i}`);
  const r = await runCli([
    'collect',
    '-o',
    out,
    '-q',
    '--checkpoints',
    'round-2',
    '--',
    'dotnet',
    scenarioAppDll(),
    scenario,
    '--rounds',
    '2',
    '--per-round',
    String(300 + 7 * i),
  ]);
  expect(r.code, r.stderr).toBe(0);
  return join(out, 'round-2.gcdump');
}

beforeAll(async () => {
  mkdirSync(join(repo, 'baselines'), { recursive: true });
  await git('init', '-q', '-b', 'main');
  // Six runs of each kind, recorded at commits in turn: every commit has a real run's numbers.
  const steady: string[] = [];
  const leaking: string[] = [];
  for (let i = 0; i < 6; i++) steady.push(await run('steady', i));
  for (let i = 0; i < 6; i++) leaking.push(await run('static-list', i));
  for (let c = 1; c <= 30; c++) {
    const snapshot = c <= 16 ? steady[c % 6] : leaking[c % 6];
    const rec = await runCli([
      'baseline',
      'record',
      snapshot,
      '--scenario',
      'orders',
      '--out',
      join(repo, 'baselines', 'orders.json'),
      '--force',
    ]);
    expect(rec.code, rec.stderr).toBe(0);
    await git('add', 'baselines/orders.json');
    const date = `2026-11-${String(c).padStart(2, '0')}T12:00:00Z`;
    await gitAt({ GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, 'commit', '-q', '-m', `commit ${c}`);
    commits.push(await git('rev-parse', 'HEAD'));
  }
}, 600_000);

interface HistoryJson {
  points: { commit: string }[];
  changed: {
    name: string;
    count: number[];
    change: { before: { commit: string }; after: { commit: string }; count: number };
  }[];
}

describe('heapgate history', () => {
  it('pins the seeded leak to the commit range where it began, and reports no noise', async () => {
    const r = await runCli(['history', join(repo, 'baselines', 'orders.json'), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const h = JSON.parse(r.stdout) as HistoryJson;
    expect(h.points.map((p) => p.commit)).toEqual(commits);
    // The leaked orders and what each holds (its strings and buffers) began together.
    expect(h.changed.map((t) => t.name)).toContain(LEAKED_TYPE['static-list']);
    expect(h.changed.length).toBeLessThanOrEqual(5);
    for (const t of h.changed) {
      expect(t.change.before.commit, t.name).toBe(commits[15]);
      expect(t.change.after.commit, t.name).toBe(commits[16]);
    }
    expect(h.changed.find((t) => t.name === LEAKED_TYPE['static-list'])!.change.count).toBeGreaterThan(900);
  });

  it('prints the range in text and a chart in markdown', async () => {
    const text = await runCli(['history', join(repo, 'baselines', 'orders.json'), '--type', '*LeakedOrder']);
    expect(text.stdout).toContain(
      `heapgate history of ${join(repo, 'baselines', 'orders.json')}: 30 recorded commits`,
    );
    expect(text.stdout).toMatch(
      new RegExp(
        `HeapgateScenarios\\.Leaks\\.LeakedOrder .* rose between ${commits[15].slice(0, 10)} \\(2026-11-16\\) and ${commits[16].slice(0, 10)} \\(2026-11-17\\)`,
      ),
    );
    const md = await runCli(['history', join(repo, 'baselines', 'orders.json'), '--format', 'md']);
    expect(md.stdout).toContain('```mermaid\nxychart-beta');
  });

  it('a file git does not track, or one version only, is a usage error', async () => {
    const r = await runCli(['history', 'baselines/example.json'], { cwd: dir });
    expect(r.code).toBe(2);
  });
});
