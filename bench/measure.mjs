// What the bench scripts share: timing a command under GNU time (wall seconds and peak RSS),
// medians, and interleaved runs so machine noise hits every command alike.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const TIME = '/usr/bin/time';

export function log(msg) {
  process.stderr.write(`bench: ${msg}\n`);
}

/** Exits with a clear message when GNU time, which measures peak memory, is missing. */
export function requireGnuTime() {
  if (!existsSync(TIME)) {
    console.error('bench: GNU time (/usr/bin/time) is needed to measure peak memory: apt-get install time');
    process.exit(2);
  }
}

/**
 * Runs a command under GNU time; returns wall seconds (timed here to the microsecond: GNU time's
 * own figure has 10 ms steps, a tenth of a small `stat`) and peak RSS in MiB.
 */
export function measure(cmd, args, okCodes = [0]) {
  const started = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', 'HEAPGATE_BENCH %M', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const m = /HEAPGATE_BENCH (\d+)/.exec(r.stderr);
  if (!okCodes.includes(r.status) || !m)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return { wall, rssMiB: Number(m[1]) / 1024, stdout: r.stdout };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs each named command `n` times, interleaved (the order rotates each round); medians per name. */
export function interleaved(n, commands) {
  const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  const names = Object.keys(commands);
  for (let i = 0; i < n; i++) {
    const order = names.map((_, j) => names[(i + j) % names.length]);
    for (const name of order) samples[name].push(commands[name]());
  }
  return Object.fromEntries(
    names.map((k) => [
      k,
      {
        wall: median(samples[k].map((s) => s.wall)),
        rssMiB: median(samples[k].map((s) => s.rssMiB)),
        last: samples[k].at(-1),
      },
    ]),
  );
}
