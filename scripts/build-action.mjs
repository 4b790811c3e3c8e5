#!/usr/bin/env node
/**
 * Bundles the Action (action/main.ts and everything it imports) into dist/index.js, plus
 * dist/licenses.txt listing the bundled third-party packages and their licences.
 *
 *   node scripts/build-action.mjs            write dist/
 *   node scripts/build-action.mjs --check    rebuild into a temporary folder and fail if dist/ differs
 *   node scripts/build-action.mjs --out DIR  write somewhere else
 */
import { build } from 'esbuild';
import { zodEnglishOnly } from './zod-english-only.mjs';
import { mkdtempSync, mkdirSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const outIndex = args.indexOf('--out');
const outDir = check
  ? mkdtempSync(join(tmpdir(), 'heapgate-dist-'))
  : outIndex >= 0
    ? args[outIndex + 1]
    : join(root, 'dist');

const FILES = ['index.js', 'licenses.txt'];

async function bundle(dir) {
  mkdirSync(dir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['action/main.ts'],
    outfile: join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    metafile: true,
    legalComments: 'none',
    // Bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __heapgateCreateRequire } from 'node:module';\nconst require = __heapgateCreateRequire(import.meta.url);",
    },
    plugins: [zodEnglishOnly],
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'licenses.txt'), licenses(result.metafile));
}

/** One entry per bundled package: name, version, licence and its licence text when shipped. */
function licenses(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    if (/^[a-z-]+:/.test(input)) continue; // made by a plugin (namespace:path), not a package file
    const parts = input.split('/');
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const name = parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
    const dir = join(root, ...parts.slice(0, at + 1), ...name.split('/'));
    if (!packages.has(name + dir)) packages.set(name + dir, { name, dir });
  }
  const entries = [...packages.values()]
    .map(({ name, dir }) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'LICENCE']
        .map((f) => join(dir, f))
        .find(existsSync);
      const text = file ? readFileSync(file, 'utf8').trim() : '(no licence file shipped)';
      return {
        key: `${name}@${pkg.version}`,
        body: `${name}@${pkg.version}\n${typeof pkg.license === 'string' ? pkg.license : 'see text'}\n\n${text}`,
      };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const unique = [...new Map(entries.map((e) => [e.key, e.body])).values()];
  return `Third-party software bundled in dist/index.js\n\n${unique.join('\n\n' + '-'.repeat(72) + '\n\n')}\n`;
}

await bundle(outDir);
if (check) {
  const stale = FILES.filter((f) => {
    const committed = join(root, 'dist', f);
    return (
      !existsSync(committed) || readFileSync(committed, 'utf8') !== readFileSync(join(outDir, f), 'utf8')
    );
  });
  rmSync(outDir, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(
      `dist/ is out of date (${stale.join(', ')} differ from a fresh build). Run: node scripts/build-action.mjs, and commit dist/.`,
    );
    process.exit(1);
  }
  console.log('dist/ is up to date');
} else {
  console.log(`wrote ${relative(process.cwd(), join(outDir, 'index.js')).split(sep).join('/')}`);
}
