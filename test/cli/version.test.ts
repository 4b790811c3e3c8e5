import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { runCli } from '../support/cli.js';

it('reports the version in package.json', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(VERSION).toBe(pkg.version);
  const res = await runCli(['--version']);
  expect(res.stdout.trim()).toBe(pkg.version);
});

it('lists every command in help, and an unknown command is a usage error', async () => {
  const help = await runCli(['--help']);
  expect(help.code).toBe(0);
  for (const cmd of ['stat', 'collect', 'roots', 'refs', 'dominators', 'diff', 'baseline', 'check', 'soak']) {
    expect(help.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  }
  const bad = await runCli(['stats', 'x.gcdump']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/unknown command 'stats'/);
});

it('answers --version without loading any command module', async () => {
  const { buildProgram } = await import('../../src/cli/main.js');
  expect((await buildProgram(['node', 'heapgate', '--version'])).commands).toHaveLength(0);
  expect((await buildProgram(['node', 'heapgate', '-V'])).commands).toHaveLength(0);
  expect(
    (await buildProgram(['node', 'heapgate', 'stat', '--version'])).commands.map((c) => c.name()),
  ).toEqual(['stat']);
});

it('-v is --version; bare heapgate and an unknown command with --help are usage errors', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const short = await runCli(['-v']);
  expect(short.code).toBe(0);
  expect(short.stdout.trim()).toBe(pkg.version);
  const bare = await runCli([]);
  expect(bare.code).toBe(2);
  expect(bare.stderr).toContain('Usage: heapgate');
  const unknown = await runCli(['nosuchcommand', '--help']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain(`unknown command 'nosuchcommand'`);
  expect(unknown.stdout).toBe('');
});
