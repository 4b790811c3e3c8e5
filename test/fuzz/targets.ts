/**
 * What the fuzzer feeds: the readers of every file a pull request can bring (the .gcdump reader in
 * both read modes, the SOS and dotnet-gcdump text readers, the rules parser, the baseline
 * parser and the .nettrace reader with allocation analysis), each with seeds taken from the
 * repository's own examples and fixtures.
 *
 * A target passes an input when it returns, or throws heapgate's typed input error
 * (HeapgateError: FormatError, RulesError, BaselineError, UsageError); anything else is a crash.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseBaseline } from '../../src/baseline/parse.js';
import { HeapgateError } from '../../src/errors.js';
import { readGcdump } from '../../src/formats/gcdump/index.js';
import { readNettrace } from '../../src/formats/nettrace/reader.js';
import { analyseAllocations } from '../../src/allocs/analyse.js';
import { detectKind } from '../../src/formats/registry.js';
import {
  decodeText,
  detectTextKind,
  parseGcRoot,
  readDumpHeapStat,
  readGcdumpReport,
} from '../../src/formats/sos/index.js';
import { canonicalTypeName } from '../../src/model/typeNames.js';
import { parseRules } from '../../src/rules/parse.js';
import { completeSnapshot } from '../../src/stats/completeSnapshot.js';

export interface FuzzTarget {
  name: TargetName;
  /** Files (relative to the repository root) whose bytes seed the mutations. */
  seedFiles: readonly string[];
  /** Byte strings worth inserting, repeated, into inputs of this kind (tags, tokens, separators). */
  tokens: readonly string[];
  run(bytes: Uint8Array): void;
}

export const TARGET_NAMES = [
  'gcdump',
  'dumpheap',
  'gcdump-report',
  'gcroot',
  'rules',
  'baseline',
  'nettrace',
] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const repoRoot = new URL('../../', import.meta.url).pathname;

function filesUnder(dir: string, ext: string): string[] {
  const abs = join(repoRoot, dir);
  const out: string[] = [];
  for (const name of readdirSync(abs).sort()) {
    const rel = join(dir, name);
    if (statSync(join(repoRoot, rel)).isDirectory()) out.push(...filesUnder(rel, ext));
    else if (name.endsWith(ext)) out.push(rel);
  }
  return out;
}

const TEXT_TOKENS = [
  '\n',
  '\r\n',
  ' ',
  '\t',
  '<',
  '>',
  ',',
  '[',
  ']',
  '[]',
  '+',
  '`1',
  '0x',
  '00007ff8a1b2c3d0',
  '1,234',
  'System.String',
  'System.Collections.Generic.List<',
  'Statistics:',
  '              MT    Count    TotalSize Class Name\n',
  'Total 12 objects\n',
  'Object Bytes',
  '->',
  ' -> ',
  'HandleTable:\n',
  'Found 1 unique roots\n',
  '> dumpheap -stat\n',
  '0:000> !gcroot 0x1\n',
  '(static variable: x)',
  '\u202e',
  '\u00a0',
];

function text(bytes: Uint8Array): string {
  return decodeText(bytes);
}

/** What check does with a baseline after reading it: its type names go through the canonical form. */
function useBaseline(bytes: Uint8Array): void {
  const baseline = parseBaseline(text(bytes), 'fuzz.json');
  for (const name of Object.keys(baseline.types)) canonicalTypeName(name);
}

export const TARGETS: Readonly<Record<TargetName, FuzzTarget>> = {
  nettrace: {
    name: 'nettrace',
    // A written trace (test/support/nettraceWriter.ts): every block kind, both event header forms.
    seedFiles: ['test/nettrace/sample.hex'],
    tokens: ['\x01', '\x05', '\x06', '\xff\xff\xff\x7f', '\x80\x80\x80\x80', '\xff', '\x00\x00'],
    run(bytes) {
      analyseAllocations(readNettrace(bytes, 'fuzz.nettrace'), { topStacks: 5 });
    },
  },
  gcdump: {
    name: 'gcdump',
    seedFiles: ['examples/steady.gcdump', 'examples/leaky-cache.gcdump', 'test/gcdump/appendix.hex'],
    tokens: [
      '\x03',
      '\x02',
      '\x04',
      '\x05',
      '\x06',
      '\x07',
      '\x01',
      '\x0c',
      '\x0d',
      '\x0e',
      '\xff\xff\xff\x7f',
      '\x80',
    ],
    run(bytes) {
      detectKind(bytes.subarray(0, 64 * 1024));
      completeSnapshot(readGcdump(bytes, 'fuzz.gcdump', { graph: false }));
      completeSnapshot(readGcdump(bytes, 'fuzz.gcdump', { graph: false, unreachable: true }));
      completeSnapshot(readGcdump(bytes, 'fuzz.gcdump', { graph: true }));
    },
  },
  dumpheap: {
    name: 'dumpheap',
    seedFiles: [
      'test/fixtures/sos/dotnet-dump-stat.txt',
      'test/fixtures/sos/dotnet-dump-stat-live.txt',
      'test/fixtures/sos/dotnet-dump-interactive.txt',
      'test/fixtures/sos/dotnet-dump-type-listing.txt',
      ...filesUnder('test/fixtures/sos/variants', '.txt'),
    ],
    tokens: TEXT_TOKENS,
    run(bytes) {
      detectKind(bytes.subarray(0, 64 * 1024));
      const t = text(bytes);
      detectTextKind(t);
      readDumpHeapStat(t, 'fuzz.txt');
    },
  },
  'gcdump-report': {
    name: 'gcdump-report',
    seedFiles: ['test/fixtures/sos/gcdump-report.txt'],
    tokens: TEXT_TOKENS,
    run(bytes) {
      const t = text(bytes);
      detectTextKind(t);
      readGcdumpReport(t, 'fuzz.txt');
    },
  },
  gcroot: {
    name: 'gcroot',
    seedFiles: [
      'test/fixtures/sos/dotnet-dump-gcroot.txt',
      ...filesUnder('test/fixtures/sos/gcroot-variants', '.txt'),
    ],
    tokens: TEXT_TOKENS,
    run(bytes) {
      const t = text(bytes);
      detectTextKind(t);
      parseGcRoot(t);
    },
  },
  rules: {
    name: 'rules',
    seedFiles: filesUnder('rules', '.yml'),
    tokens: [
      '\n',
      '  ',
      '- ',
      ': ',
      '&a ',
      '*a ',
      '[',
      ']',
      '{',
      '}',
      '"',
      "'",
      '!!str ',
      '/(a+)+$/',
      '*',
      '?',
      '<',
      '>',
      '%',
      'type: ',
      'match: ',
      'maxGrowth: ',
      '100%',
      '1MiB',
      '__proto__',
    ],
    run(bytes) {
      parseRules(text(bytes), 'fuzz.yml');
    },
  },
  baseline: {
    name: 'baseline',
    seedFiles: ['baselines/example.json'],
    tokens: [
      '{',
      '}',
      '[',
      ']',
      '"',
      ':',
      ',',
      '"types":{',
      '"__proto__"',
      '"constructor"',
      '1e999',
      '-0',
      '99999999999999999999',
      '<',
      '>',
      'System.Collections.Generic.List<',
      '\\u0000',
    ],
    run: useBaseline,
  },
};

/** Reads a seed file; `.hex` files hold whitespace-separated hex bytes (the spec's appendix). */
export function readSeed(file: string): Uint8Array {
  const raw = readFileSync(join(repoRoot, file));
  if (!file.endsWith('.hex')) return new Uint8Array(raw);
  return Uint8Array.from(
    raw
      .toString('utf8')
      .trim()
      .split(/\s+/)
      .map((h) => parseInt(h, 16)),
  );
}

export type Outcome = { kind: 'ok' } | { kind: 'input-error' } | { kind: 'crash'; error: string };

/** Runs one input through a target and classifies the result (never throws). */
export function runTarget(target: FuzzTarget, bytes: Uint8Array): Outcome {
  try {
    target.run(bytes);
    return { kind: 'ok' };
  } catch (err) {
    if (err instanceof HeapgateError) return { kind: 'input-error' };
    return { kind: 'crash', error: describeError(err) };
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const frame = (err.stack ?? '').split('\n').find((l) => /^\s+at /.test(l));
    return `${err.name}: ${err.message.slice(0, 300)}${frame ? ` (${frame.trim()})` : ''}`;
  }
  return `non-Error thrown: ${String(err).slice(0, 300)}`;
}
