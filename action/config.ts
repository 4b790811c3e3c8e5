/**
 * The Action's inputs, read once into a typed, validated Config. Every error names the input and
 * the value it got, so a typo in a workflow file is fixed from the log line alone.
 */
import { z } from 'zod';
import { parseDuration } from '../src/collect/duration.js';
import { UsageError } from '../src/errors.js';
import { requireScenarioName } from '../src/baseline/scenarioName.js';
import { SCENARIO_ENV_MODES, type ScenarioEnvMode } from '../src/collect/scenarioEnv.js';
import type { CommentMode } from '../src/ci/commentPolicy.js';
import type { FailOn } from '../src/rules/findings.js';

/** Input names, in one place (action.yml must list the same). */
export const Inputs = {
  Snapshots: 'snapshots',
  Run: 'run',
  WorkingDirectory: 'working-directory',
  Checkpoints: 'checkpoints',
  CheckpointTimeout: 'checkpoint-timeout',
  TotalTimeout: 'total-timeout',
  Scenario: 'scenario',
  Rules: 'rules',
  Baseline: 'baseline',
  BaselineSource: 'baseline-source',
  FailOn: 'fail-on',
  Comment: 'comment',
  Mode: 'mode',
  RecordBaseline: 'record-baseline',
  UploadDumps: 'upload-dumps',
  RetentionDays: 'retention-days',
  GitHubToken: 'github-token',
  Rounds: 'rounds',
  Duration: 'duration',
  Warmup: 'warmup',
  BaseRun: 'base-run',
  AbRuns: 'ab-runs',
  ScenarioEnv: 'scenario-env',
  Trace: 'trace',
  HistoryFrom: 'history-from',
} as const;

export type Mode = 'gate' | 'record' | 'report' | 'soak' | 'aggregate' | 'test';

/** `mode: soak`: when to stop the scenario, and the leading snapshots left out of the trend. */
export interface SoakConfig {
  rounds?: number;
  durationMs?: number;
  warmup: 'auto' | number;
}

/** Where the heads come from: files already on disk, or a scenario command heapgate runs. */
export type HeadSource =
  | { kind: 'snapshots'; patterns: string[] }
  | {
      kind: 'run';
      command: string;
      checkpoints: string[] | 'all';
      checkpointMs: number;
      totalMs?: number;
      /** The command's environment: without the token and runner secrets (`clean`), or all of it. */
      env: ScenarioEnvMode;
      /** Record the allocations that led to the head checkpoint (dotnet-trace), for "allocated at" evidence. */
      trace?: boolean;
    };

export type BaselineSource = { kind: 'file'; path: string } | { kind: 'artifact' };

/** Same-job A/B: the base build's scenario command, run alternately with `run`. */
export interface AbConfig {
  baseCommand: string;
  runs: number;
}

/** What every mode reads. */
interface CommonConfig {
  workingDirectory: string;
  scenario: string;
  /** Rules refs (files or builtin:<name>); empty = heapgate.yml if present, else builtin:default. */
  rules: string[];
  baseline: BaselineSource;
  failOn: FailOn;
  comment: CommentMode;
  recordBaseline: boolean;
  uploadDumps: boolean;
  /** Undefined: the repository's default retention. */
  retentionDays?: number;
  token: string;
}

/** `mode: gate`: heads against a baseline, or (with `base-run`) against base runs of this job. */
export interface GateConfig extends CommonConfig {
  mode: 'gate';
  heads: HeadSource;
  ab?: AbConfig;
}

/** `mode: record`: collect the heads and record them as the baseline, no rules. */
export interface RecordConfig extends CommonConfig {
  mode: 'record';
  heads: HeadSource;
}

/** `mode: report`: read the heads' results from artifacts (a `workflow_run` job for fork PRs). */
export interface ReportConfig extends CommonConfig {
  mode: 'report';
}

/** `mode: aggregate`: one comment for the reports of every scenario of a run (a job matrix). */
export interface AggregateConfig extends CommonConfig {
  mode: 'aggregate';
}

/** `mode: soak`: a series of snapshots of one run, judged by trend. */
export interface SoakModeConfig extends CommonConfig {
  mode: 'soak';
  heads: HeadSource;
  soak: SoakConfig;
  /** A gate scenario whose recorded baselines say where each failing type began. */
  historyFrom?: string;
}

/** `mode: test`: a test command whose tests use Heapgate.Testing, run under `heapgate test`. */
export interface TestModeConfig extends CommonConfig {
  mode: 'test';
  /** The test command (`run`), e.g. `dotnet test tests/MyApp.Tests`. */
  command: string;
}

/** One shape per mode, so a mode's handler never checks for settings another mode lacks. */
export type Config =
  GateConfig | RecordConfig | ReportConfig | SoakModeConfig | AggregateConfig | TestModeConfig;

export type GetInput = (name: string) => string;

export function readConfig(getInput: GetInput): Config {
  const get = (name: string) => getInput(name).trim();
  const mode = oneOf(Inputs.Mode, get(Inputs.Mode) || 'gate', [
    'gate',
    'record',
    'report',
    'soak',
    'aggregate',
    'test',
  ] as const);
  const scenario = requireScenarioName(get(Inputs.Scenario) || 'default', `Input '${Inputs.Scenario}'`);
  const token = getInput(Inputs.GitHubToken).trim();
  const baselinePath = get(Inputs.Baseline);
  const sourceRaw = get(Inputs.BaselineSource) || (baselinePath ? 'file' : 'artifact');
  const sourceKind = oneOf(Inputs.BaselineSource, sourceRaw, ['file', 'artifact'] as const);
  if (sourceKind === 'file' && !baselinePath) {
    throw new UsageError(
      `Input '${Inputs.BaselineSource}' is 'file' but input '${Inputs.Baseline}' (the committed baseline's path) is empty`,
    );
  }
  if (sourceKind === 'artifact' && baselinePath) {
    throw new UsageError(
      `Inputs '${Inputs.Baseline}' ('${baselinePath}') and '${Inputs.BaselineSource}: artifact' contradict each other: drop one`,
    );
  }
  const retention = get(Inputs.RetentionDays);
  const common: CommonConfig = {
    workingDirectory: get(Inputs.WorkingDirectory) || '.',
    scenario,
    rules: list(getInput(Inputs.Rules)),
    baseline: sourceKind === 'file' ? { kind: 'file', path: baselinePath } : { kind: 'artifact' },
    failOn: oneOf(Inputs.FailOn, get(Inputs.FailOn) || 'error', ['error', 'warning', 'never'] as const),
    comment: oneOf(Inputs.Comment, get(Inputs.Comment) || 'on-change', [
      'always',
      'on-change',
      'on-failure',
      'off',
    ] as const),
    recordBaseline: bool(Inputs.RecordBaseline, get(Inputs.RecordBaseline) || 'true'),
    uploadDumps: bool(Inputs.UploadDumps, get(Inputs.UploadDumps) || 'false'),
    ...(retention ? { retentionDays: intInRange(Inputs.RetentionDays, retention, 1, 90) } : {}),
    token,
  };
  const baseRun = get(Inputs.BaseRun);
  if (baseRun && mode !== 'gate')
    throw new UsageError(
      `Input '${Inputs.BaseRun}' (same-job A/B) works with 'mode: gate', not 'mode: ${mode}'`,
    );
  const config: Config =
    mode === 'report' || mode === 'aggregate'
      ? { ...common, mode }
      : mode === 'test'
        ? { ...common, mode, command: readTestCommand(getInput) }
        : mode === 'soak'
          ? {
              ...common,
              mode,
              heads: readHeads(getInput),
              soak: readSoak(get),
              ...(get(Inputs.HistoryFrom)
                ? {
                    historyFrom: requireScenarioName(
                      get(Inputs.HistoryFrom),
                      `Input '${Inputs.HistoryFrom}'`,
                    ),
                  }
                : {}),
            }
          : mode === 'record'
            ? { ...common, mode, heads: readHeads(getInput) }
            : withAb({ ...common, mode, heads: readHeads(getInput) }, get, baseRun);
  // A soak run compares the snapshots of one run with each other (no baseline, no comment), but the
  // Action's API client is still built with the token.
  const needsToken =
    mode === 'soak' ||
    mode === 'report' ||
    mode === 'aggregate' ||
    sourceKind === 'artifact' ||
    config.comment !== 'off';
  if (needsToken && !token) {
    const why =
      mode === 'report' || mode === 'soak' || mode === 'aggregate'
        ? `'mode: ${mode}'`
        : sourceKind === 'artifact'
          ? "'baseline-source: artifact'"
          : `'comment: ${config.comment}'`;
    throw new UsageError(
      `Input '${Inputs.GitHubToken}' is empty, but ${why} needs it (the default is \${{ github.token }})`,
    );
  }
  return config;
}

function readTestCommand(getInput: GetInput): string {
  const command = getInput(Inputs.Run).trim();
  if (!command)
    throw new UsageError(
      `'mode: test' needs input '${Inputs.Run}': the test command whose tests use Heapgate.Testing (e.g. dotnet test tests/MyApp.Tests)`,
    );
  if (list(getInput(Inputs.Snapshots)).length > 0)
    throw new UsageError(
      `Input '${Inputs.Snapshots}' has no meaning with 'mode: test': the tests take their own checkpoints`,
    );
  return command;
}

function readHeads(getInput: GetInput): HeadSource {
  const patterns = list(getInput(Inputs.Snapshots));
  const command = getInput(Inputs.Run).trim();
  if (patterns.length > 0 && command) {
    throw new UsageError(
      `Inputs '${Inputs.Snapshots}' and '${Inputs.Run}' are both set; give either snapshot files to analyse or a scenario command to run`,
    );
  }
  if (patterns.length > 0) return { kind: 'snapshots', patterns };
  if (!command)
    throw new UsageError(
      `Nothing to analyse: set input '${Inputs.Snapshots}' (a glob of .gcdump/.dmp/SOS files) or input '${Inputs.Run}' (a scenario command to run and snapshot)`,
    );
  const cp = getInput(Inputs.Checkpoints).trim() || 'all';
  const checkpoints = cp === 'all' ? 'all' : list(cp);
  if (checkpoints !== 'all' && checkpoints.length === 0)
    throw new UsageError(`Input '${Inputs.Checkpoints}' must be 'all' or checkpoint labels; got '${cp}'`);
  const total = getInput(Inputs.TotalTimeout).trim();
  const env = oneOf(Inputs.ScenarioEnv, getInput(Inputs.ScenarioEnv).trim() || 'clean', SCENARIO_ENV_MODES);
  return {
    kind: 'run',
    command,
    checkpoints,
    env,
    checkpointMs: duration(Inputs.CheckpointTimeout, getInput(Inputs.CheckpointTimeout).trim() || '5m'),
    ...(total ? { totalMs: duration(Inputs.TotalTimeout, total) } : {}),
    ...(bool(Inputs.Trace, getInput(Inputs.Trace).trim() || 'false') ? { trace: true } : {}),
  };
}

function withAb(config: GateConfig, get: (name: string) => string, baseCommand: string): GateConfig {
  if (!baseCommand) return config;
  if (config.heads.kind !== 'run')
    throw new UsageError(
      `Input '${Inputs.BaseRun}' needs input '${Inputs.Run}' (the head build's scenario command) to compare with`,
    );
  if (get(Inputs.Baseline) || get(Inputs.BaselineSource))
    throw new UsageError(
      `Input '${Inputs.BaseRun}' compares with the base runs of this job; drop '${Inputs.Baseline}' and '${Inputs.BaselineSource}'`,
    );
  return {
    ...config,
    ab: { baseCommand, runs: intInRange(Inputs.AbRuns, get(Inputs.AbRuns) || '3', 1, 50) },
  };
}

function readSoak(get: (name: string) => string): SoakConfig {
  const rounds = get(Inputs.Rounds);
  const dur = get(Inputs.Duration);
  const warmup = get(Inputs.Warmup) || 'auto';
  return {
    ...(rounds ? { rounds: intInRange(Inputs.Rounds, rounds, 1, 100_000) } : {}),
    ...(dur ? { durationMs: duration(Inputs.Duration, dur) } : {}),
    warmup: warmup === 'auto' ? 'auto' : intInRange(Inputs.Warmup, warmup, 0, 100_000),
  };
}

function oneOf<const T extends readonly [string, ...string[]]>(
  name: string,
  value: string,
  values: T,
): T[number] {
  const parsed = z.enum(values).safeParse(value);
  if (!parsed.success)
    throw new UsageError(`Input '${name}' must be one of ${values.join(', ')}; got '${value}'`);
  return parsed.data;
}

/** YAML 1.2 core booleans, as @actions/core's getBooleanInput: anything else is an error, not false. */
function bool(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UsageError(`Input '${name}' must be true or false; got '${value}'`);
}

function intInRange(name: string, value: string, min: number, max: number): number {
  const parsed = z.coerce
    .number()
    .int()
    .min(min)
    .max(max)
    .safeParse(/^\d+$/.test(value) ? value : NaN);
  if (!parsed.success)
    throw new UsageError(`Input '${name}' must be a whole number from ${min} to ${max}; got '${value}'`);
  return parsed.data;
}

function duration(name: string, value: string): number {
  try {
    return parseDuration(value, `input '${name}'`);
  } catch (err) {
    if (err instanceof UsageError)
      throw new UsageError(`Input '${name}' must be a duration like 90s, 5m or 1h; got '${value}'`);
    throw err;
  }
}

/** One item per line or comma; blank items and `#` comment lines are dropped. */
function list(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
}
