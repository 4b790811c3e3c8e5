#!/usr/bin/env node
/**
 * Bundles the CLI (build/cli/entry.js and what it imports) into build/bundle/: one file per
 * command group instead of ~300 modules, so Node resolves and compiles far less before a command
 * starts. Lazily imported modules (graph passes, HTML) stay separate chunks, loaded when used.
 * The bundle sits two folders below the package root, like the modules it replaces, so paths
 * found from a module's location (shipped rules, tools) are the same.
 *
 * The chunks are CommonJS (`.cjs`), started from a CommonJS bin/heapgate.js: Node 20 loads a
 * CommonJS module in a fraction of what an ES module costs (synchronous reads, no asynchronous
 * loader), and a process whose entry is CommonJS never starts the ES module loader at all. That is
 * ~10 ms of `heapgate stat` and more of `check`, which loads more chunks. esbuild splits only ES
 * modules, so each chunk is split as one, then turned into CommonJS on its own: imports between
 * chunks become require() calls, import() a promise of one.
 */
import { build, transform } from 'esbuild';
import { zodEnglishOnly } from './zod-english-only.mjs';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const at = process.argv.indexOf('--root');
const root = at >= 0 ? process.argv[at + 1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'build', 'bundle');
const { outputFiles } = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'build/cli/entry.js' },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  plugins: [zodEnglishOnly],
  logLevel: 'warning',
  write: false,
});
// Written aside and swapped in, so a CLI started meanwhile finds the old bundle or the new one.
const aside = `${outdir}.${process.pid}`;
rmSync(aside, { recursive: true, force: true });
mkdirSync(aside, { recursive: true });
for (const chunk of outputFiles) {
  const { code } = await transform(chunk.text, {
    sourcefile: basename(chunk.path),
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    // What `import.meta.url` means in an ES module: this file's URL (shipped rules and tools are
    // found from it).
    define: { 'import.meta.url': '__heapgateModuleUrl' },
    banner: "const __heapgateModuleUrl = require('node:url').pathToFileURL(__filename).href;",
    logLevel: 'warning',
  });
  writeFileSync(join(aside, basename(chunk.path)), code);
}
rmSync(outdir, { recursive: true, force: true });
renameSync(aside, outdir);
