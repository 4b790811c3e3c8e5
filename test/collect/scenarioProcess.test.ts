import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ScenarioError, ScenarioProcess } from '../../src/collect/scenarioProcess.js';
import { scenarioAppDll } from '../support/scenario.js';
import { groupExists, processExists } from './helpers.js';

const app = (...args: string[]) => ({ command: 'dotnet', args: [scenarioAppDll(), ...args] });

describe('checkpoint protocol with the real scenario app', () => {
  it('reports the pid, every checkpoint in order, then done and exit code 0', async () => {
    const proc = ScenarioProcess.start(app('static-list', '--rounds', '2', '--per-round', '10'));
    try {
      const labels: string[] = [];
      for (;;) {
        const step = await proc.next();
        if (step.kind === 'done') break;
        labels.push(step.label);
        // `dotnet app.dll` runs the app in the spawned process itself.
        expect(proc.reportedPid).toBe(proc.spawnedPid);
        proc.continue();
      }
      expect(labels).toEqual(['warmup', 'round-1', 'round-2']);
      await proc.stop();
      expect(proc.exit).toEqual({ code: 0, signal: null });
      expect(groupExists(proc.spawnedPid)).toBe(false);
    } finally {
      await proc.kill();
    }
  });

  it('one-shot scenarios stop once, at "ready"', async () => {
    const proc = ScenarioProcess.start(app('chain', '--objects', '1000'));
    try {
      expect(await proc.next()).toEqual({ kind: 'checkpoint', label: 'ready' });
      proc.continue();
      expect(await proc.next()).toEqual({ kind: 'done' });
    } finally {
      await proc.stop();
    }
    expect(proc.exit?.code).toBe(0);
  });

  it('"exit" at a checkpoint ends the app at once with code 0', async () => {
    const proc = ScenarioProcess.start(app('cache', '--rounds', '1000'));
    await proc.next();
    const started = Date.now();
    const exit = await proc.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(2000); // no SIGTERM grace period was needed
    expect(processExists(proc.spawnedPid)).toBe(false);
  });

  it('end of stdin at a checkpoint ends the app with code 0 (it cannot outlive a dead collector)', async () => {
    const child = spawn('dotnet', [scenarioAppDll(), 'static-list', '--rounds', '5'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('heapgate:checkpoint warmup')) child.stdin.end();
    });
    expect(await exited).toBe(0);
    expect(out.split('\n')[0]).toBe(`heapgate:pid ${child.pid}`);
    expect(out).not.toContain('round-1');
  });

  it('passes non-protocol output through and collects from the reported pid when the command wraps the app', async () => {
    const lines: string[] = [];
    // The shell forks dotnet (two commands), so the app's pid differs from the spawned one.
    const proc = ScenarioProcess.start({
      command: 'sh',
      args: [
        '-c',
        `echo wrapper starting; dotnet "${scenarioAppDll()}" static-list --rounds 1 --per-round 5; echo wrapper done`,
      ],
      onOutput: (line) => lines.push(line),
    });
    try {
      expect(await proc.next()).toEqual({ kind: 'checkpoint', label: 'warmup' });
      expect(proc.reportedPid).toBeDefined();
      expect(proc.pid).toBe(proc.reportedPid);
      expect(proc.pid).not.toBe(proc.spawnedPid);
      proc.continue();
      expect(await proc.next()).toEqual({ kind: 'checkpoint', label: 'round-1' });
      proc.continue();
      expect(await proc.next()).toEqual({ kind: 'done' });
      await proc.stop();
      expect(lines).toContain('wrapper starting');
      expect(proc.exit?.code).toBe(0);
    } finally {
      await proc.kill();
    }
    expect(processExists(proc.pid)).toBe(false);
    expect(groupExists(proc.spawnedPid)).toBe(false);
  });
});

describe('failures', () => {
  it('a checkpoint timeout is a clear error, and the whole process group is gone when it is raised', async () => {
    const lines: string[] = [];
    const proc = ScenarioProcess.start({
      command: 'sh',
      // A background grandchild, then a foreground sleep: neither ever prints a checkpoint.
      args: ['-c', 'sleep 300 & echo "background $!"; sleep 300'],
      timeouts: { checkpointMs: 700, killGraceMs: 1000 },
      onOutput: (line) => lines.push(line),
    });
    const error = await proc.next().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toMatch(
      /did not reach a checkpoint within 700ms after it started; its process group was killed/,
    );
    const background = Number(
      /^background (\d+)$/.exec(lines.find((l) => l.startsWith('background')) ?? '')?.[1],
    );
    expect(background).toBeGreaterThan(0);
    expect(processExists(proc.spawnedPid)).toBe(false);
    expect(processExists(background)).toBe(false);
    expect(groupExists(proc.spawnedPid)).toBe(false);
  });

  it('the overall time limit stops a real app that is waiting at a checkpoint', async () => {
    const proc = ScenarioProcess.start({ ...app('static-list'), timeouts: { totalMs: 2500 } });
    expect(await proc.next()).toEqual({ kind: 'checkpoint', label: 'warmup' });
    const pid = proc.pid;
    // Never told to continue: the next checkpoint can only end in the overall limit.
    await expect(proc.next()).rejects.toThrow(
      /still running after the overall limit of 2500ms \(last checkpoint "warmup"\)/,
    );
    expect(processExists(pid)).toBe(false);
  });

  it('a crashing command is reported with its exit code and the tail of its stderr', async () => {
    const proc = ScenarioProcess.start({
      command: 'sh',
      args: [
        '-c',
        'echo "heapgate:checkpoint first"; read line; echo "Unhandled exception. System.InvalidOperationException: boom" >&2; exit 3',
      ],
    });
    expect(await proc.next()).toEqual({ kind: 'checkpoint', label: 'first' });
    proc.continue();
    const error = (await proc.next().catch((err: unknown) => err)) as ScenarioError;
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.exit).toEqual({ code: 3, signal: null });
    expect(error.message).toContain('exited with code 3 after checkpoint "first"');
    expect(error.message).toContain('System.InvalidOperationException: boom');
    expect(error.stderrTail).toEqual(['Unhandled exception. System.InvalidOperationException: boom']);
  });

  it('the real app with a bad scenario name fails before its first checkpoint with its own message', async () => {
    const proc = ScenarioProcess.start(app('no-such-scenario'));
    const error = (await proc.next().catch((err: unknown) => err)) as ScenarioError;
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.exit?.code).toBe(2);
    expect(error.message).toMatch(/exited with code 2 before its first checkpoint/);
    expect(error.message).toMatch(/unknown scenario 'no-such-scenario'/);
  });

  it('an app killed while paused is reported with the signal', async () => {
    const proc = ScenarioProcess.start(app('timer'));
    await proc.next();
    process.kill(proc.pid, 'SIGKILL');
    await expect(proc.next()).rejects.toThrow(/was killed by SIGKILL after checkpoint "warmup"/);
  });

  it('a command that does not exist is a ScenarioError, not a crash', async () => {
    const proc = ScenarioProcess.start({ command: 'heapgate-no-such-command-xyz' });
    await expect(proc.next()).rejects.toThrow(
      /could not start scenario command heapgate-no-such-command-xyz: spawn .*ENOENT/,
    );
  });
});

describe('labels from an app’s own ready line', () => {
  it('take the named group, else the first group, else the match; a bare number is a round', async () => {
    const { labelOf } = await import('../../src/collect/scenarioProcess.js');
    const label = (re: RegExp, line: string) => labelOf(re.exec(line) as RegExpExecArray);
    expect(label(/ROUND (\d+)/, 'ROUND 7 done')).toBe('round-7');
    expect(label(/ROUND (\d+)/, 'ROUND 007')).toBe('round-7');
    expect(label(/phase=(?<label>\w+) n=(\d+)/, 'phase=warmup n=3')).toBe('warmup');
    expect(label(/snapshot now/, 'take a snapshot now please')).toBe('snapshot now');
    expect(label(/at (\S*)/, 'at ')).toBe('checkpoint');
  });
});
