/**
 * Runs the bundled Action (dist/index.js) in a child process exactly as a runner does: inputs as
 * INPUT_* variables, the event as GITHUB_EVENT_NAME + a payload file, GITHUB_STEP_SUMMARY and
 * GITHUB_OUTPUT files, GITHUB_API_URL pointing at a loopback FakeGitHub, and the job's
 * ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL pointing at a loopback FakeArtifactService.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './cli.js';

export const distEntry = join(repoRoot, 'dist', 'index.js');

type Payload = Record<string, unknown>;

interface ExampleGroup {
  name: string;
  examples: Payload[];
}

/** A deep copy of a real webhook payload from @octokit/webhooks-examples. */
export function examplePayload(
  event: 'pull_request' | 'push' | 'workflow_run',
  pick: (p: Payload) => boolean = () => true,
): Payload {
  const require = createRequire(import.meta.url);
  const groups = JSON.parse(
    readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'),
  ) as ExampleGroup[];
  const found = groups.find((g) => g.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no ${event} example payload matches`);
  return structuredClone(found);
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  /** Everything the step wrote anywhere, for leak checks. */
  all: string;
}

export interface RunActionOptions {
  /** Input names as in action.yml. */
  inputs: Record<string, string>;
  eventName: string;
  payload: Payload;
  apiUrl: string;
  repository: string;
  sha: string;
  ref: string;
  runId: number;
  /** Working folder: workspace/, temp/, event.json, summary.md, output.txt are made inside. */
  dir: string;
  /** The artifact service the runner gives the job: its URL and the job's runtime token. */
  artifacts: { resultsUrl: string; runtimeToken: string };
  /** What `${{ github.token }}` expands to. */
  token: string;
  headRef?: string;
  env?: Record<string, string>;
}

export function runAction(o: RunActionOptions): Promise<ActionRun> {
  const workspace = join(o.dir, 'workspace');
  const temp = join(o.dir, 'temp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(temp, { recursive: true });
  const eventPath = join(o.dir, 'event.json');
  const summaryPath = join(o.dir, 'summary.md');
  const outputPath = join(o.dir, 'output.txt');
  writeFileSync(eventPath, JSON.stringify(o.payload));
  writeFileSync(summaryPath, '');
  writeFileSync(outputPath, '');
  // The runner passes every input action.yml declares, with its default when the workflow gives none.
  const all = { ...actionDefaults(o.token), ...o.inputs };
  const inputs = Object.fromEntries(
    Object.entries(all).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
  );
  const env: Record<string, string> = {
    ...pick(process.env, [
      'PATH',
      'HOME',
      'DOTNET_ROOT',
      'DOTNET_CLI_HOME',
      'DOTNET_NOLOGO',
      'DOTNET_CLI_TELEMETRY_OPTOUT',
      'HEAPGATE_TOOLS_DIR',
      'TMPDIR',
      'LANG',
    ]),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: o.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: o.repository,
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: o.sha,
    GITHUB_REF: o.ref,
    GITHUB_REF_NAME: o.ref.replace(/^refs\/(heads|tags|pull)\//, ''),
    GITHUB_RUN_ID: String(o.runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'memory',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_ACTION_PATH: repoRoot,
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    ACTIONS_RESULTS_URL: o.artifacts.resultsUrl,
    ACTIONS_RUNTIME_TOKEN: o.artifacts.runtimeToken,
    ...(o.headRef ? { GITHUB_HEAD_REF: o.headRef } : {}),
    ...inputs,
    ...o.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [distEntry], {
      cwd: workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const summary = readFileSync(summaryPath, 'utf8');
      const outputText = readFileSync(outputPath, 'utf8');
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        summary,
        outputs: parseOutputs(outputText),
        all: [stdout, stderr, summary, outputText].join('\n'),
      });
    });
  });
}

/** GITHUB_OUTPUT's `name<<delimiter` … `delimiter` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

/** action.yml's input defaults, with the github.token expression expanded as the runner does. */
export function actionDefaults(token: string): Record<string, string> {
  const doc = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const out: Record<string, string> = {};
  for (const [name, input] of Object.entries(doc.inputs)) {
    if (input.default !== undefined) out[name] = String(input.default).replace('${{ github.token }}', token);
  }
  return out;
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => env[n] !== undefined).map((n) => [n, env[n] as string]));
}
