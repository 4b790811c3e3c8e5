#!/usr/bin/env node
// Bundles the fuzz harness (test/fuzz/*.ts with the sources it reads) into .heapgate-tmp/fuzz/
// and runs it: `npm run fuzz -- --time 60`. See test/fuzz/main.ts for the options.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// .heapgate-tmp/fuzz is as deep as test/fuzz: targets.ts finds the repository two folders up.
const outdir = `${root}.heapgate-tmp/fuzz`;
await build({
  entryPoints: [`${root}test/fuzz/main.ts`, `${root}test/fuzz/worker.ts`],
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
await import(`${outdir}/main.js`);
