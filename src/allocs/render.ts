/** `heapgate allocs` output: a terminal table with stacks, and a JSON document body. */
import { formatBytes, formatInt } from '../report/format.js';
import { revealInvisible, shorten } from '../report/escape.js';
import { plain, textTable } from '../report/textTable.js';
import type { AllocationReport, AllocationSite } from './analyse.js';

/** How many frames of each stack are printed (innermost first). */
const MAX_FRAMES = 8;

function name(text: string): string {
  return plain(revealInvisible(shorten(text)));
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x >= 0.1 ? 0 : 1)}%`;
}

export function renderAllocsText(report: AllocationReport): string {
  const out: string[] = [];
  out.push(
    `Allocation ticks in ${name(report.source)} (process ${report.processId}): ${formatInt(report.ticks)} ticks, ` +
      `~${formatBytes(report.bytes)} allocated in all, ${formatInt(report.typeCount)} types`,
  );
  out.push(
    "A tick fires about every 100 KB allocated per heap; bytes are the sum of the ticks' amounts (± 1/sqrt(ticks)).",
  );
  if (report.ticks > 0 && report.ticksWithoutStack === report.ticks)
    out.push('The trace has no stacks for these events: record it with stacks to see allocation sites.');
  if (report.types.length === 0) {
    out.push('', 'No allocation ticks matched.');
    return out.join('\n') + '\n';
  }
  out.push('');
  const rows = report.types.map((t) => [
    formatInt(t.ticks),
    `~${formatBytes(t.bytes)}`,
    `±${pct(t.relativeError)}`,
    name(t.type),
  ]);
  out.push(...textTable(['Ticks', 'Est. bytes', 'Error', 'Type'], rows, ['r', 'r', 'r', 'l']));
  for (const t of report.types) {
    if (t.sites.length === 0 || (t.sites.length === 1 && t.sites[0].frames.length === 0)) continue;
    out.push(
      '',
      `${name(t.type)} — allocated at (${formatInt(t.siteCount)} distinct stack${t.siteCount === 1 ? '' : 's'}):`,
    );
    for (const s of t.sites) out.push(...siteLines(s));
  }
  return out.join('\n') + '\n';
}

function siteLines(s: AllocationSite): string[] {
  const head = `  ${pct(s.share)} ± ${pct(s.shareError)} of its ticks (${formatInt(s.ticks)}, ~${formatBytes(s.bytes)})`;
  if (s.frames.length === 0) return [head, '      (no stack)'];
  const lines = [head];
  for (const f of s.frames.slice(0, MAX_FRAMES)) lines.push(`      ${name(f)}`);
  if (s.frames.length > MAX_FRAMES) lines.push(`      … ${s.frames.length - MAX_FRAMES} more frames`);
  return lines;
}

/** The JSON body (without schemaVersion/command) of `heapgate allocs --json`. */
export function allocsJson(report: AllocationReport): object {
  return {
    source: report.source,
    processId: report.processId,
    ticks: report.ticks,
    estimatedBytes: report.bytes,
    ticksWithoutStack: report.ticksWithoutStack,
    typeCount: report.typeCount,
    types: report.types.map((t) => ({
      type: t.type,
      ticks: t.ticks,
      estimatedBytes: t.bytes,
      relativeError: round(t.relativeError),
      largeObjectTicks: t.largeTicks,
      stackCount: t.siteCount,
      stacks: t.sites.map((s) => ({
        ticks: s.ticks,
        estimatedBytes: s.bytes,
        share: round(s.share),
        shareError: round(s.shareError),
        frames: s.frames,
      })),
    })),
  };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
