/** Plain-text renderings for the terminal, shaped like SOS output so the addresses can be pasted back. */
import type { RetentionPath, TypeEvidence } from '../model/evidence.js';
import { rootLabel } from './retentionPath.js';

const n = (x: number) => x.toLocaleString('en-US');

/** A `!GCRoot`-style block: the root, then one object per line with `->` arrows. */
export function renderRetentionPath(path: RetentionPath, indent = ''): string[] {
  const lines = [`${indent}${rootLabel(path.rootKind, path.rootName)}`];
  path.steps.forEach((s, i) => {
    const arrow = i === 0 ? '   ' : '-> ';
    const where = s.address ?? '(no address)';
    let text = `${indent}    ${arrow}${where} ${s.type}`;
    if (s.repeat !== undefined) text += ` ×${n(s.repeat)} (a run of one type; first object shown)`;
    lines.push(text);
  });
  return lines;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Clusters of one type, largest first, each with one sample path. */
export function renderTypeEvidence(ev: TypeEvidence): string[] {
  const head = [`${ev.type}: ${n(ev.instances)} instances, ${n(ev.bytes ?? 0)} bytes`];
  if (ev.retainedBytes !== undefined) head.push(`retained ${n(ev.retainedBytes)} bytes`);
  const lines = [head.join(', ')];
  if (ev.instances === 0) return lines;
  for (const c of ev.clusters) {
    lines.push('');
    lines.push(
      `  ${n(c.count)} of ${n(ev.instances)} (${percent(c.count, ev.instances)}), ${n(c.bytes)} bytes:`,
    );
    lines.push(`    ${c.signature}`);
    lines.push('    sample:');
    lines.push(...renderRetentionPath(c.sample, '      '));
  }
  if (ev.omitted) {
    lines.push('');
    lines.push(
      `  … ${n(ev.omitted.clusters)} more clusters with ${n(ev.omitted.count)} instances, ${n(ev.omitted.bytes)} bytes`,
    );
  }
  return lines;
}

/** Right-aligned columns; the last column is left as is. */
export function renderTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)];
}

export { n as formatCount };
