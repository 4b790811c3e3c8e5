/** `heapgate check` for the terminal: verdict, findings, top changes. */
import { accumulationSummary } from '../graph/accumulation.js';
import { heldBy } from '../graph/retentionPath.js';
import { topChanges } from '../diff/sort.js';
import type { TypeDelta } from '../diff/types.js';
import type { AllocationSitesEvidence, TypeEvidence } from '../model/evidence.js';
import { describeAb, describeNoise, type CheckReport } from './checkReport.js';
import { formatBytes, formatInt, signedBytes, signedInt, signedPct } from './numbers.js';
import { findingsTable, plain, textTable, verdictHeading } from './textTable.js';
import { shortGenericArgs, TEXT_WIDTH, wrapPath } from './wrap.js';
import type { Finding } from '../rules/findings.js';

export function renderCheckText(r: CheckReport, opts: { top?: number } = {}): string {
  const out: string[] = [];
  out.push(verdictHeading(r.meta.ab ? 'ab' : 'check', r, r.scenario));
  const { head, baseline } = r.meta;
  out.push(
    `head:      ${head.sources.map(plain).join(', ')}${head.sources.length > 1 ? ' (per-type median)' : ''}`,
  );
  for (const line of head.readWith ?? []) out.push(`           ${plain(line)}`);
  out.push(
    `baseline:  ${baseline.missing ? `none at ${plain(baseline.source)}${baseline.recordedTo ? ` — recorded this run to ${plain(baseline.recordedTo)}` : ''}` : plain(baseline.source)}`,
  );
  if (baseline.noise) out.push(`           ${describeNoise(baseline.noise)}`);
  if (r.meta.ab) out.push(`a/b:       ${describeAb(r.meta.ab)}`);
  out.push(`rules:     ${r.meta.rulesFiles.map(plain).join(', ')}`);
  const t = r.diff.totals;
  out.push(
    baseline.missing
      ? `heap:      ${formatBytes(t.head.bytes)}, ${formatInt(t.head.count)} objects`
      : `heap:      ${formatBytes(t.base.bytes)} -> ${formatBytes(t.head.bytes)} (${signedBytes(t.bytesDelta)}, ${signedPct(t.bytesPct)}); ${formatInt(t.base.count)} -> ${formatInt(t.head.count)} objects`,
  );
  for (const reason of r.inconclusiveReasons) out.push(`!! inconclusive: ${plain(reason)}`);

  if (r.findings.length > 0) {
    out.push('', 'Findings');
    out.push(...findingsTable(r.findings, { header: 'subject', width: 120 }));
    const hinted = new Set<string>();
    const shownEvidence = new Set<string>();
    const shownSites = new Set<string>();
    const named = new Set<string>();
    for (const f of r.findings) {
      // A subject's findings are adjacent (groupBySubject): name it once, with each rule's message.
      const fresh = f.evidence?.some((ev) => !shownEvidence.has(ev.type)) ?? false;
      if (f.message || (fresh && !named.has(f.subject))) {
        named.add(f.subject);
        out.push(
          `  - ${plain(f.subject)}${f.message ? `: ${plain(f.message)}` : ''}${f.fingerprint ? `  [${leakTag(f)}]` : ''}`,
        );
      }
      // A rule's hint is the same for each of its findings: print it once.
      if (f.hint && !hinted.has(f.rule.id)) {
        hinted.add(f.rule.id);
        out.push(`    hint (${plain(f.rule.id)}): ${plain(f.hint)}`);
      }
      for (const ev of f.evidence ?? []) {
        if (shownEvidence.has(ev.type)) continue;
        shownEvidence.add(ev.type);
        out.push(...accumulationLines(ev, f.evidenceWanted));
        for (const c of ev.clusters.slice(0, Math.max(1, f.evidenceWanted))) {
          const merged = c.merged
            ? ` (with ${formatInt(c.merged)} more root path${c.merged === 1 ? '' : 's'} into the same structure)`
            : '';
          const lead = `    ${formatInt(c.count)}${ev.sampled !== undefined ? ` of ${formatInt(ev.sampled)} sampled` : ''} x ${plain(ev.type)} ${heldBy(c.rootKind, c.rootName || undefined, plain)}${merged}: `;
          out.push(...wrapPath(lead, c.holders.map(plain), '        '));
          const sample = c.sample.steps.map((s) => `${plain(s.type)}${s.address ? ` ${s.address}` : ''}`);
          out.push(...wrapPath('      sample: ', sample, '          '));
        }
        if (ev.retainedDelta !== undefined && ev.retainedDelta > 0)
          out.push(`    fixing this frees ~${formatBytes(ev.retainedDelta)}`);
      }
      for (const a of f.allocatedAt ?? []) {
        if (shownSites.has(a.type)) continue;
        shownSites.add(a.type);
        out.push(...allocationLines(a));
      }
    }
  }
  if (r.leaks) {
    const { fixed } = r.leaks;
    out.push(
      '',
      `Leaks against the baseline's record: ${formatInt(r.leaks.new)} new, ${formatInt(r.leaks.known)} known, ${formatInt(fixed.length)} fixed`,
    );
    for (const k of fixed)
      out.push(
        `  fixed: ${plain(k.subject)} [leak ${k.id}, known since ${k.firstSeen.date}${k.firstSeen.commit ? ` ${k.firstSeen.commit.slice(0, 10)}` : ''}]`,
      );
  }
  if (r.suppressed.length > 0)
    out.push('', `${r.suppressed.length} finding(s) suppressed (see the JSON or markdown report)`);

  const top = baseline.missing ? [] : topChanges(r.diff.types, opts.top ?? 15);
  if (top.length > 0) {
    out.push(
      '',
      `Top ${top.length} changes by bytes (${formatInt(r.diff.newTypes)} new, ${formatInt(r.diff.goneTypes)} gone, ${formatInt(r.diff.changedTypes)} changed)`,
    );
    out.push(...deltaTable(top).map((l) => `  ${l}`));
  }
  return out.join('\n') + '\n';
}

/** "allocated at (12 ticks, ~1.2 MiB ± 29%):" then each top stack, innermost frame first. */
function allocationLines(a: AllocationSitesEvidence): string[] {
  const out = [
    `    ${plain(a.type)} allocated at (${formatInt(a.ticks)} allocation tick${a.ticks === 1 ? '' : 's'}, ~${formatBytes(a.estimatedBytes)} ± ${Math.round(a.relativeError * 100)}%, from ${plain(a.trace)}):`,
  ];
  for (const s of a.stacks) {
    out.push(
      `      ${Math.round(s.share * 100)}% ± ${Math.round(s.shareError * 100)}% of its ticks (${formatInt(s.ticks)}):`,
    );
    for (const frame of s.frames.length > 0 ? s.frames : ['(no stack)'])
      out.push(`          ${plain(frame)}`);
  }
  return out;
}

/**
 * The first evidence lines of a type: where its instances accumulate ("272 x T held by
 * OptionsMonitor<…>._onChange (…), reached from the DI container"), before the root paths.
 */
export function accumulationLines(ev: TypeEvidence, wanted: number, indent = '    '): string[] {
  const lines: string[] = [];
  for (const a of (ev.accumulation ?? []).slice(0, Math.max(1, wanted))) {
    const line = (type: (t: string) => string) =>
      `${indent}${formatInt(a.count)} x ${type(ev.type)} ${accumulationSummary(a, ev.instances, type, plain)}`;
    let text = line(plain);
    if (text.length > TEXT_WIDTH) text = line((t) => plain(shortGenericArgs(t)));
    if (text.length <= TEXT_WIDTH) {
      lines.push(text);
      continue;
    }
    // Break before "reached from", then before the "(kind: …)" part, continuation lines indented.
    const more = `${indent}    `;
    const cut = text.lastIndexOf(', reached from ');
    const head = cut > 0 ? text.slice(0, cut + 1) : text;
    const tail = cut > 0 ? `${more}${text.slice(cut + 2)}` : undefined;
    const paren = head.indexOf(' (', indent.length);
    if (head.length > TEXT_WIDTH && paren > 0)
      lines.push(head.slice(0, paren), `${more}${head.slice(paren + 1)}`);
    else lines.push(head);
    if (tail !== undefined) lines.push(tail);
  }
  return lines;
}

export function deltaTable(types: readonly TypeDelta[]): string[] {
  const rows = types.map((d) => [
    signedInt(d.countDelta),
    signedPct(d.countPct),
    signedBytes(d.bytesDelta),
    `${formatInt(d.base?.count ?? 0)} -> ${formatInt(d.head?.count ?? 0)}`,
    `${plain(d.name)}${d.status === 'new' ? ' (new)' : d.status === 'gone' ? ' (gone)' : ''}`,
  ]);
  return textTable(['Δcount', 'Δ%', 'Δbytes', 'count', 'type'], rows, ['r', 'r', 'r', 'r', 'l']);
}

/** "leak hg1-…", with "new" or "known since <date> <commit>" when the baseline keeps a leak record. */
function leakTag(f: Finding): string {
  const id = f.fingerprint?.id ?? '';
  if (f.leak?.status === 'new') return `new leak ${id}`;
  if (f.leak?.status === 'known')
    return `leak ${id}, known since ${f.leak.firstSeen.date}${f.leak.firstSeen.commit ? ` ${f.leak.firstSeen.commit.slice(0, 10)}` : ''}`;
  return `leak ${id}`;
}
