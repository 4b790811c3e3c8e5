/** The head snapshots of a run: files matched by the `snapshots` glob, or collected from the `run` command. */
import { basename, join, relative, resolve } from 'node:path';
import { runAndCollect } from '../src/collect/session.js';
import { ensureTool } from '../src/tools/discovery.js';
import { shellCommand } from '../src/tools/shell.js';
import { loadSide } from '../src/check/inputs.js';
import { UsageError } from '../src/errors.js';
import type { HeapSnapshot } from '../src/model/snapshot.js';
import type { HeadSource } from './config.js';
import { expandGlobs } from './glob.js';
import type { RunnerPort } from './port.js';

export interface Heads {
  files: string[];
  /** Statistics (the last head with its graph only when that came free, as from a full dump). */
  snapshots: HeapSnapshot[];
  /** The last head with its object graph: read again only when evidence is needed. */
  lastWithGraph(): Promise<HeapSnapshot>;
  /** The allocation trace that ends at the last head's checkpoint (input `trace`). */
  trace?: string;
}

export async function acquireHeads(
  source: HeadSource,
  cwd: string,
  scratch: string,
  runner: RunnerPort,
): Promise<Heads> {
  const collected =
    source.kind === 'snapshots'
      ? { files: matchSnapshots(source.patterns, cwd) }
      : await collect(source, cwd, scratch, runner);
  const { files } = collected;
  const read = async (f: string, graph: boolean): Promise<HeapSnapshot> => {
    const snapshot = (await loadSide(f, { graph })).snapshot;
    // Reports name the file as the workflow author knows it, not by the runner's temp path.
    const rel = relative(cwd, f);
    const shown =
      source.kind === 'run' ? `checkpoint ${basename(f, '.gcdump')}` : rel && !rel.startsWith('..') ? rel : f;
    return { ...snapshot, meta: { ...snapshot.meta, source: shown } };
  };
  const snapshots: HeapSnapshot[] = [];
  for (const f of files) {
    runner.info(`reading ${f}`);
    // The rules need statistics only; evidence reads the last head again with its graph.
    snapshots.push(await read(f, false));
  }
  const lastFile = files[files.length - 1];
  const lastWithGraph = async () => {
    runner.info(`reading ${lastFile} again with its object graph, for evidence`);
    return read(lastFile, true);
  };
  return { files, snapshots, lastWithGraph, ...(collected.trace ? { trace: collected.trace } : {}) };
}

function matchSnapshots(patterns: string[], cwd: string): string[] {
  const files = expandGlobs(patterns, cwd);
  if (files.length === 0) {
    throw new UsageError(
      `Input 'snapshots' matched no files (patterns: ${patterns.map((p) => `'${p}'`).join(', ')}; relative to ${resolve(cwd)})`,
    );
  }
  return files;
}

/**
 * Runs the scenario through a shell (so the input reads like a `run:` step) and snapshots it at its
 * checkpoints. The head is the last checkpoint collected: the state after the most rounds.
 */
async function collect(
  source: Extract<HeadSource, { kind: 'run' }>,
  cwd: string,
  scratch: string,
  runner: RunnerPort,
): Promise<{ files: string[]; trace?: string }> {
  await ensureTool('dotnet-gcdump', { install: true });
  if (source.trace) await ensureTool('dotnet-trace', { install: true });
  const shell = shellCommand(source.command);
  const result = await runner.group(`running the scenario: ${source.command}`, () =>
    runAndCollect({
      command: shell.command,
      args: shell.args,
      cwd,
      kinds: ['gcdump'],
      outDir: join(scratch, 'snapshots'),
      force: true,
      checkpoints: source.checkpoints,
      scenarioEnv: source.env,
      timeouts: {
        checkpointMs: source.checkpointMs,
        ...(source.totalMs !== undefined ? { totalMs: source.totalMs } : {}),
      },
      onOutput: (line) => runner.info(line),
      onSnapshot: (s) =>
        runner.info(`heapgate: collected ${s.kind} at checkpoint "${s.label}" (${s.bytes} bytes)`),
      onToolOutput: (text) => runner.info(text),
      ...(source.trace ? { trace: true } : {}),
    }),
  );
  const last = result.snapshots[result.snapshots.length - 1];
  if (last === undefined)
    throw new UsageError(`the scenario command '${source.command}' reached no checkpoint to collect`);
  const trace = result.traces.find((t) => t.label === last.label);
  return { files: [last.file], ...(trace ? { trace: trace.file } : {}) };
}
