/**
 * Baseline -> JSON text. Fixed key order, 2-space indentation, and one line per type (sorted by name),
 * so that a change to a baseline reviews in a git diff as one changed line per changed type.
 */
import { compareNames } from '../diff/diffStats.js';
import type { Baseline, BaselineTypeEntry } from './schema.js';

const HEADER_KEYS = [
  'schemaVersion',
  'scenario',
  'createdAt',
  'tool',
  'commit',
  'statistic',
  'estimated',
  'estimateReasons',
  'samples',
  'totals',
] as const;
const SAMPLE_KEYS = [
  'source',
  'format',
  'creationTool',
  'processName',
  'pointerSize',
  'collectedAt',
  'estimated',
  'estimateReasons',
  'totals',
] as const;

export function serializeBaseline(b: Baseline): string {
  const lines = ['{'];
  for (const key of HEADER_KEYS) {
    const value =
      key === 'samples'
        ? b.samples.map((s) => pick(s, SAMPLE_KEYS))
        : key === 'totals'
          ? { objects: b.totals.objects, bytes: b.totals.bytes }
          : b[key];
    if (value === undefined) continue;
    lines.push(`  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2))},`);
  }
  const names = Object.keys(b.types).sort(compareNames);
  const leaks = b.leaks ? Object.keys(b.leaks).sort() : undefined;
  const after = leaks ? ',' : '';
  if (names.length === 0) lines.push(`  "types": {}${after}`);
  else {
    lines.push('  "types": {');
    names.forEach((name, i) =>
      lines.push(`    ${JSON.stringify(name)}: ${typeLine(b.types[name])}${i < names.length - 1 ? ',' : ''}`),
    );
    lines.push(`  }${after}`);
  }
  if (b.leaks && leaks) {
    // One line per known leak, by fingerprint: a leak found or fixed is one line in a diff.
    const known = b.leaks;
    lines.push(`  "leaks": {${leaks.length === 0 ? '}' : ''}`);
    leaks.forEach((id, i) =>
      lines.push(`    ${JSON.stringify(id)}: ${JSON.stringify(known[id])}${i < leaks.length - 1 ? ',' : ''}`),
    );
    if (leaks.length > 0) lines.push('  }');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function typeLine(e: BaselineTypeEntry): string {
  const parts = [`"count": ${e.count}`, `"bytes": ${e.bytes}`];
  if (e.retained !== undefined) parts.push(`"retained": ${e.retained}`);
  if (e.samples)
    parts.push(
      `"samples": {"count": [${e.samples.count.join(', ')}], "bytes": [${e.samples.bytes.join(', ')}]}`,
    );
  return `{${parts.join(', ')}}`;
}

function pick<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function indent(json: string): string {
  return json.replace(/\n/g, '\n  ');
}
