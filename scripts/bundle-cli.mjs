#!/usr/bin/env node
/**
 * Bundles the CLI (build/cli/entry.js and what it imports) into build/bundle/: one file per
 * command group instead of ~300 modules, so Node resolves and compiles far less before a command
 * starts. Lazily imported modules (graph passes, HTML) stay separate chunks, loaded when used.
 * The bundle sits two folders below the package root, like the modules it replaces, so paths
 * found from a module's location (shipped rules, tools) are the same.
 */
import { build } from 'esbuild';
import { zodEnglishOnly } from './zod-english-only.mjs';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const at = process.argv.indexOf('--root');
const root = at >= 0 ? process.argv[at + 1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'build', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'build/cli/entry.js' },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __heapgateCreateRequire } from 'node:module';\nconst require = __heapgateCreateRequire(import.meta.url);",
  },
  plugins: [zodEnglishOnly],
  logLevel: 'warning',
});
