/**
 * Replays every input the fuzzer saved (test/fuzz/corpus/<target>/*.bin, see `npm run fuzz`) and
 * every seed: each must be read or rejected with heapgate's input error, in less than 5 s of CPU.
 *
 * test/fuzz/open/<target>/ holds crashes found but not fixed yet: those must still crash, so the
 * fix that makes one pass also moves it into corpus/, where it stays as a regression test.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIME_LIMIT_MS } from './protocol.js';
import { readSeed, repoRoot, runTarget, TARGET_NAMES, TARGETS } from './targets.js';

const corpus = join(repoRoot, 'test', 'fuzz', 'corpus');
const open = join(repoRoot, 'test', 'fuzz', 'open');

function saved(root: string, target: string): string[] {
  const dir = join(root, target);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.bin'))
        .sort()
    : [];
}

function replay(target: (typeof TARGET_NAMES)[number], bytes: Uint8Array): void {
  const before = process.cpuUsage();
  const outcome = runTarget(TARGETS[target], bytes);
  const cpu = process.cpuUsage(before);
  expect(outcome.kind === 'crash' ? outcome.error : 'no crash').toBe('no crash');
  expect((cpu.user + cpu.system) / 1000).toBeLessThan(TIME_LIMIT_MS);
}

describe.each(TARGET_NAMES)('fuzz target %s', (target) => {
  it.each(TARGETS[target].seedFiles)('reads its seed %s', (file) => replay(target, readSeed(file)));

  const files = saved(corpus, target);
  if (files.length > 0) {
    it.each(files)('replays the saved input %s', (file) => {
      const why = readFileSync(join(corpus, target, file.replace(/\.bin$/, '.txt')), 'utf8').trim();
      expect(why, 'each saved input says what it once did').not.toBe('');
      replay(target, new Uint8Array(readFileSync(join(corpus, target, file))));
    });
  }
  const unfixed = saved(open, target);
  if (unfixed.length > 0) {
    it.fails.each(unfixed)('still fails on the open input %s (fixed? move it to corpus/)', (file) => {
      replay(target, new Uint8Array(readFileSync(join(open, target, file))));
    });
  }
});
