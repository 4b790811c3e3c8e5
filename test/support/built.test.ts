import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildOrThrow } from './built.js';

describe('the build the CLI tests run', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function project(main: string): string {
    dir = mkdtempSync(join(tmpdir(), 'heapgate-build-'));
    writeFileSync(
      join(dir, 'tsconfig.build.json'),
      JSON.stringify({
        compilerOptions: { strict: true, rootDir: 'src', outDir: 'build' },
        include: ['src'],
      }),
    );
    mkdirSync(join(dir, 'src', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'src', 'cli', 'main.ts'), main);
    return dir;
  }

  it('fails with the compiler message when tsc reports a type error (tsc still emits)', async () => {
    const root = project("export const n: number = 'not a number';\n");
    await expect(buildOrThrow(root)).rejects.toThrow(/npm run build failed[\s\S]*TS2322/);
  });

  it('passes a clean build', async () => {
    const root = project('export const n: number = 1;\n');
    await expect(buildOrThrow(root)).resolves.toBeUndefined();
  });
});
