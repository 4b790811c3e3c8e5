/** Retention evidence as collapsible markdown: the top clusters of root paths of an offending type. */
import { accumulationSummary } from '../graph/accumulation.js';
import { heldBy } from '../graph/retentionPath.js';
import type {
  AccumulationEvidence,
  AllocationSitesEvidence,
  PathCluster,
  TypeEvidence,
} from '../model/evidence.js';
import { address, code, escapeText } from './escape.js';
import { formatBytes, formatInt } from './numbers.js';

export function evidenceBlock(
  ev: TypeEvidence,
  maxClusters: number,
  icon: string,
  fingerprint?: { id: string },
): string {
  const clusters = ev.clusters.slice(0, maxClusters);
  const paths =
    `${ev.clusters.length} retention path${ev.clusters.length === 1 ? '' : 's'} for ${formatInt(ev.instances)} instance${ev.instances === 1 ? '' : 's'}` +
    (ev.sampled !== undefined ? ` (gcroot on ${formatInt(ev.sampled)} sampled)` : '');
  const frees =
    ev.retainedDelta !== undefined && ev.retainedDelta > 0
      ? ` · fixing this frees ~${formatBytes(ev.retainedDelta)}`
      : ev.retainedBytes !== undefined
        ? ` · retains ${formatBytes(ev.retainedBytes)}`
        : '';
  const leak = fingerprint ? ` · leak ${code(fingerprint.id)}` : '';
  const points = (ev.accumulation ?? []).slice(0, maxClusters);
  // Markdown is not rendered inside <summary>: the count is bold in HTML there.
  const lead = points[0] ? `${accumulationText(points[0], ev, true)} · ` : '';
  const lines = [
    `<details><summary>${icon} Why ${code(ev.type)} is alive: ${lead}${paths}${frees}${leak}</summary>`,
    '',
  ];
  if (points.length > 0) {
    lines.push('Accumulates in:', '');
    points.forEach((a, i) => lines.push(...pointLines(a, ev, i + 1)));
    lines.push('', 'Root paths:', '');
  }
  clusters.forEach((c, i) => lines.push(...clusterLines(c, i + 1, ev.sampled)));
  if (ev.clusters.length > clusters.length)
    lines.push(`_…${ev.clusters.length - clusters.length} smaller clusters in the full report._`);
  lines.push('', '</details>');
  return lines.join('\n');
}

/** "**272** held by `OptionsMonitor<…>._onChange` (…), reached from the DI container". */
function accumulationText(a: AccumulationEvidence, ev: TypeEvidence, html = false): string {
  const count = html ? `<b>${formatInt(a.count)}</b>` : `**${formatInt(a.count)}**`;
  return `${count} ${accumulationSummary(a, ev.instances, code, escapeText)}`;
}

function pointLines(a: AccumulationEvidence, ev: TypeEvidence, n: number): string[] {
  const path = [
    escapeText(a.path.rootName === undefined ? a.path.rootKind : `${a.path.rootKind} ${a.path.rootName}`),
    ...a.path.steps.map((s) => (s.address ? `${code(s.type)} ${address(s.address)}` : code(s.type))),
  ].join(' → ');
  return [`${n}. ${accumulationText(a, ev)}`, `   path to it: ${path}`];
}

function clusterLines(c: PathCluster, n: number, sampled: number | undefined): string[] {
  const chain = c.holders.map(code).join(' → ');
  const sample = c.sample.steps
    .map((s) => (s.address ? `${code(s.type)} ${address(s.address)}` : code(s.type)))
    .join(' → ');
  return [
    `${n}. ${clusterSize(c, sampled)} ${heldBy(c.rootKind, c.rootName || undefined, code)}${c.merged ? ` (with ${formatInt(c.merged)} more root path${c.merged === 1 ? '' : 's'} into the same structure)` : ''}`,
    `   ${chain}`,
    `   sample: ${sample}`,
  ];
}

/** "**3,000** instances (117 KiB)", or "**2** of 3 sampled instances" for gcroot samples of a dump. */
function clusterSize(c: PathCluster, sampled: number | undefined): string {
  if (sampled !== undefined) return `**${formatInt(c.count)}** of ${formatInt(sampled)} sampled instances`;
  return `**${formatInt(c.count)}** instance${c.count === 1 ? '' : 's'} (${formatBytes(c.bytes)})`;
}

/** Allocation sites of a type as a collapsible block: each top stack with its share and sampling error. */
export function allocationBlock(a: AllocationSitesEvidence, icon: string): string {
  const top = a.stacks[0];
  const lead = top
    ? `top stack <b>${pct(top.share)}</b> ± ${pct(top.shareError)} of ${formatInt(a.ticks)} allocation tick${a.ticks === 1 ? '' : 's'}`
    : `${formatInt(a.ticks)} allocation ticks`;
  const lines = [
    `<details><summary>${icon} Where ${code(a.type)} is allocated: ${lead} (~${formatBytes(a.estimatedBytes)} ± ${pct(a.relativeError)} allocated)</summary>`,
    '',
  ];
  a.stacks.forEach((s, i) => {
    lines.push(`${i + 1}. **${pct(s.share)}** ± ${pct(s.shareError)} of its ticks (${formatInt(s.ticks)})`);
    if (s.frames.length === 0) lines.push('   (no stack)');
    else lines.push(`   ${s.frames.map(code).join(' ← ')}`);
  });
  lines.push('', `_From ${code(a.trace)}; innermost frame first._`, '', '</details>');
  return lines.join('\n');
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
