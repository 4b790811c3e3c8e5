import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotFileName } from '../../src/collect/session.js';
import { runCli } from '../support/cli.js';

// A scenario name becomes baselines/<scenario>.json: every command that takes one refuses names
// that leave that folder, carry control characters, or name a Windows device.

const scratch = mkdtempSync(join(tmpdir(), 'heapgate-scenario-names-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const STAT = [
  'Statistics:',
  '          MT Count TotalSize Class Name',
  '7f857ed01570     3        72 MyApp.Order',
  'Total 3 objects, 72 bytes',
  '',
].join('\n');

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** A fresh tree root/a/b/c (the working folder) holding head.txt, for one run. */
function workspace(name: string): { root: string; cwd: string } {
  const root = join(scratch, name);
  const cwd = join(root, 'a', 'b', 'c');
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(cwd, 'head.txt'), STAT);
  return { root, cwd };
}

const BAD: [string, string][] = [
  ['climbs out of baselines/', '../../../x'],
  ['holds a newline', 'steady\nstate'],
  ['holds a slash', 'a/b'],
  ['is a Windows device', 'CON'],
  ['is a Windows device in lower case', 'nul'],
  ['is a Windows device with an extension', 'Com1.json'],
  ['is a Windows printer port with extensions', 'lpt9.tar.gz'],
  ['ends with a dot', 'steady.'],
  ['is too long', 'x'.repeat(101)],
];

const RULE =
  /is not a valid scenario name; it must start with a letter or digit and use only letters, digits, '\.', '_' and '-' \(at most 100\), not end with a dot, and not be a Windows device name \(CON, PRN, AUX, NUL, COM0-9, LPT0-9\)\n$/;

describe.each([
  ['check', (s: string) => ['check', 'head.txt', '--scenario', s, '--no-evidence']],
  ['baseline record', (s: string) => ['baseline', 'record', 'head.txt', '--scenario', s]],
  ['soak', (s: string) => ['soak', '--snapshots', 'head.txt', '--scenario', s, '--rules', 'builtin:soak']],
  ['ab', (s: string) => ['ab', '--base', 'true', '--head', 'true', '--scenario', s]],
])('heapgate %s --scenario', (command, args) => {
  it.each(BAD)(
    'refuses a name that %s: exit 2, one line naming the option and the rule, nothing written',
    async (why, name) => {
      const { root, cwd } = workspace(`${command.replace(' ', '-')}-${BAD.findIndex(([w]) => w === why)}`);
      const r = await runCli(args(name), { cwd });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(
        r.stderr.startsWith(`heapgate: --scenario: ${JSON.stringify(name.slice(0, 60)).slice(0, -1)}`),
      ).toBe(true);
      expect(r.stderr).toMatch(RULE);
      expect(filesUnder(root)).toEqual([join('a', 'b', 'c', 'head.txt')]);
    },
  );
});

describe('a good name still works', () => {
  it('check --scenario records baselines/<name>.json on a first run', async () => {
    const { root, cwd } = workspace('good');
    const r = await runCli(['check', 'head.txt', '--scenario', 'steady-state_1.2', '--no-evidence'], { cwd });
    expect(r.stderr).toContain("recorded this run there (scenario 'steady-state_1.2')");
    expect(r.code).toBe(0);
    expect(filesUnder(root)).toEqual(
      [join('a', 'b', 'c', 'baselines', 'steady-state_1.2.json'), join('a', 'b', 'c', 'head.txt')].sort(),
    );
  });
});

describe('snapshot files named by checkpoint labels from the scenario', () => {
  it.each([
    ['CON', 'gcdump', '_CON.gcdump'],
    ['nul', 'dump', '_nul.dmp'],
    ['Com3', 'gcdump', '_Com3.gcdump'],
    ['LPT1', 'gcdump', '_LPT1.gcdump'],
    ['../../etc/passwd', 'gcdump', '__.._etc_passwd.gcdump'],
    ['round\n1', 'gcdump', 'round_1.gcdump'],
    ['console', 'gcdump', 'console.gcdump'],
  ] as const)('%j -> %s', (label, kind, file) => {
    expect(snapshotFileName(label, kind)).toBe(file);
  });
});
