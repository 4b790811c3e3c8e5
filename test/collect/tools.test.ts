import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTool, findTool, packageRoot, requireTool } from '../../src/tools/discovery.js';
import { ToolError } from '../../src/errors.js';

const scratch = mkdtempSync(join(tmpdir(), 'heapgate-tools-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fakeExecutable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

const empty = join(scratch, 'empty-root');
mkdirSync(empty, { recursive: true });
const isolated = { env: { PATH: '' }, packageRoot: empty, homeDir: empty };

describe('locating the diagnostics tools', () => {
  it("finds heapgate's package root from the module location, not the working directory", () => {
    expect(existsSync(join(packageRoot(), 'package.json'))).toBe(true);
    expect(existsSync(join(packageRoot(), 'src', 'tools', 'discovery.ts'))).toBe(true);
  });

  it('finds the project-local .tools installation', () => {
    expect(findTool('dotnet-gcdump', { env: { PATH: '' } })).toBe(
      join(packageRoot(), '.tools', 'dotnet-gcdump'),
    );
  });

  it('searches $HEAPGATE_TOOLS_DIR, then .tools, then PATH, then ~/.dotnet/tools', () => {
    const envDir = fakeExecutable(join(scratch, 'env'), 'dotnet-dump');
    const local = fakeExecutable(join(scratch, 'root', '.tools'), 'dotnet-dump');
    const onPath = fakeExecutable(join(scratch, 'path'), 'dotnet-dump');
    const global = fakeExecutable(join(scratch, 'home', '.dotnet', 'tools'), 'dotnet-dump');
    const base = { packageRoot: join(scratch, 'root'), homeDir: join(scratch, 'home') };
    const pathDir = dirname(onPath);
    expect(
      findTool('dotnet-dump', { ...base, env: { HEAPGATE_TOOLS_DIR: dirname(envDir), PATH: pathDir } }),
    ).toBe(envDir);
    expect(findTool('dotnet-dump', { ...base, env: { PATH: pathDir } })).toBe(local);
    expect(findTool('dotnet-dump', { ...base, packageRoot: empty, env: { PATH: pathDir } })).toBe(onPath);
    expect(findTool('dotnet-dump', { ...base, packageRoot: empty, env: { PATH: '' } })).toBe(global);
  });

  it('ignores files that are not executable', () => {
    const dir = join(scratch, 'noexec');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'dotnet-gcdump'), 'not a program');
    expect(
      findTool('dotnet-gcdump', { ...isolated, env: { HEAPGATE_TOOLS_DIR: dir, PATH: '' } }),
    ).toBeUndefined();
  });

  it('a missing tool is a ToolError that says where it looked and exactly how to install it', () => {
    const error = (() => {
      try {
        requireTool('dotnet-gcdump', isolated);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ToolError);
    const message = (error as Error).message;
    expect(message).toContain('dotnet-gcdump was not found');
    expect(message).toContain('$HEAPGATE_TOOLS_DIR (not set)');
    expect(message).toContain(join(empty, '.tools'));
    expect(message).toContain('dotnet tool install --global dotnet-gcdump');
  });

  it('ensureTool without permission to install fails the same way', async () => {
    await expect(ensureTool('dotnet-dump', { ...isolated, install: false })).rejects.toThrow(
      /dotnet tool install --global dotnet-dump/,
    );
  });

  it('ensureTool returns an installed tool without installing anything', async () => {
    expect(await ensureTool('dotnet-gcdump', { install: true, toolsDir: join(scratch, 'unused') })).toBe(
      join(packageRoot(), '.tools', 'dotnet-gcdump'),
    );
    expect(existsSync(join(scratch, 'unused'))).toBe(false);
  });

  it('ensureTool with no dotnet SDK explains that it cannot install', async () => {
    await expect(ensureTool('dotnet-gcdump', { ...isolated, install: true })).rejects.toThrow(
      /dotnet-gcdump is missing and cannot be installed: the dotnet SDK was not found/,
    );
  });

  it('ensureTool installs a missing tool with dotnet tool install --tool-path (from NuGet)', async () => {
    const dotnet = findTool('dotnet');
    expect(dotnet, 'the tests need dotnet on PATH').toBeDefined();
    const toolsDir = join(scratch, 'installed');
    const env = { ...process.env, PATH: dirname(dotnet!), HEAPGATE_TOOLS_DIR: '' };
    const path = await ensureTool('dotnet-gcdump', {
      env,
      packageRoot: empty,
      homeDir: empty,
      install: true,
      toolsDir,
    });
    expect(path).toBe(join(toolsDir, 'dotnet-gcdump'));
    expect(
      findTool('dotnet-gcdump', {
        env: { HEAPGATE_TOOLS_DIR: toolsDir, PATH: '' },
        packageRoot: empty,
        homeDir: empty,
      }),
    ).toBe(path);
  }, 300_000);
});
