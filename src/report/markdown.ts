/**
 * `heapgate check` as GitHub markdown (PR comment, job summary): a one-line verdict, the findings,
 * the top per-type changes, then collapsed details. Always within the comment limit: whole rows and
 * blocks are dropped, lowest priority last in the document first, with a note pointing to the artifact.
 */
import { topChanges } from '../diff/sort.js';
import type { TypeDelta } from '../diff/types.js';
import { renderTable, type Align, type BudgetedMarkdown } from './budgetedMarkdown.js';
import { describeAb, describeNoise, type CheckReport } from './checkReport.js';
import { STATUS_ICON } from './describe.js';
import { code, escapeText } from './escape.js';
import { allocationBlock, evidenceBlock } from './evidenceMarkdown.js';
import { emitFindings, emitOpening, gateDocument, gateMarker, type VerdictWords } from './gateMarkdown.js';
import { formatBytes, formatInt, signedBytes, signedInt, signedPct } from './numbers.js';

export const CHECK_WORDS: VerdictWords = {
  title: 'heapgate',
  failed: 'memory gate failed for',
  passed: 'no memory regression in',
  leadSeparator: '',
};

const DELTA_HEADER = ['Type', 'Count', 'Δ count', 'Bytes', 'Δ bytes'];
const DELTA_ALIGN: Align[] = ['l', 'r', 'r', 'r', 'r'];

export interface MarkdownOptions {
  /** Character budget; GitHub rejects comments over 65,536. */
  maxChars?: number;
  /** Name of the full report artifact mentioned when something is cut. */
  artifact?: string;
  /** Rows in the visible "top changes" table. */
  topChanges?: number;
}

/** Hidden first line used to find and update the comment in place. */
export function reportMarker(scenario: string): string {
  return gateMarker('report', scenario);
}

export function renderCheckMarkdown(r: CheckReport, opts: MarkdownOptions = {}): string {
  const artifact = opts.artifact ?? 'the heapgate-report.json artifact';
  const md = gateDocument(r.tool, `${r.diff.types.length} changed types`, artifact, opts.maxChars);

  emitOpening(md, reportMarker(r.scenario), r, CHECK_WORDS, contextLine(r));
  if (r.meta.baseline.missing) {
    md.emit('');
    md.emit(
      r.meta.baseline.recordedTo
        ? `> [!TIP]\n> First run: no baseline existed, so this run was recorded as the baseline at <code>${escapeText(r.meta.baseline.recordedTo)}</code>. Commit it (or let the Action store it) to gate later changes.`
        : `> [!TIP]\n> No baseline at <code>${escapeText(r.meta.baseline.source)}</code>. Record one with \`heapgate baseline record\` to gate growth.`,
    );
  }

  if (r.findings.length > 0) {
    if (r.leaks) emitLeakGroups(md, r);
    else emitFindings(md, r.findings, 'Subject');
    // Several rules may flag the same type; its evidence is shown once.
    const shown = new Set<string>();
    for (const f of r.findings) {
      for (const ev of f.evidence ?? []) {
        if (shown.has(ev.type)) continue;
        shown.add(ev.type);
        if (
          !md.emit(
            `\n${evidenceBlock(ev, Math.max(1, f.evidenceWanted), STATUS_ICON[f.status], f.fingerprint)}`,
          )
        )
          break;
      }
    }
    const sites = new Set<string>();
    for (const f of r.findings)
      for (const a of f.allocatedAt ?? []) {
        if (sites.has(a.type)) continue;
        sites.add(a.type);
        if (!md.emit(`\n${allocationBlock(a, '📍')}`)) break;
      }
  }

  if (r.leaks && r.leaks.fixed.length > 0) {
    md.emit('');
    md.emit(
      `#### ✅ Fixed: ${r.leaks.fixed.length} known leak${r.leaks.fixed.length === 1 ? '' : 's'} no longer found`,
    );
    md.emit('');
    for (const k of r.leaks.fixed)
      md.emit(`- ${code(k.subject)} — leak ${code(k.id)}, known since ${seenText(k.firstSeen)}`);
  }

  // Without a baseline every type is "new": a change list would only repeat the heap.
  const n = r.meta.baseline.missing ? 0 : (opts.topChanges ?? 10);
  const top = topChanges(r.diff.types, n);
  if (top.length > 0) {
    md.emit('');
    md.table(
      `#### Top ${top.length} changes by bytes\n`,
      renderTable(DELTA_HEADER, top.map(deltaRow), DELTA_ALIGN),
    );
  }

  if (!r.meta.baseline.missing && r.diff.types.length > top.length) {
    const all = topChanges(r.diff.types, Infinity);
    md.details(
      `All ${formatInt(all.length)} changed types (${formatInt(r.diff.newTypes)} new, ${formatInt(r.diff.goneTypes)} gone)`,
      renderTable(DELTA_HEADER, all.map(deltaRow), DELTA_ALIGN),
    );
  }
  md.suppressedAndRules(r.suppressed, r.rules, 'Subject', 'rule');
  return md.finish();
}

function contextLine(r: CheckReport): string {
  const { head, baseline } = r.meta;
  const heads =
    head.sources.length === 1 ? code(head.sources[0]) : `${head.sources.length} snapshots (per-type median)`;
  const base = baseline.missing
    ? 'no baseline'
    : `baseline ${code(baseline.source)}${baseline.createdAt ? ` (recorded ${escapeText(baseline.createdAt.slice(0, 10))}${baseline.commit ? ` at ${code(baseline.commit.slice(0, 12))}` : ''}${baseline.samples && baseline.samples > 1 ? `, ${baseline.samples} samples` : ''})` : ''}${baseline.noise ? `; ${describeNoise(baseline.noise)}` : ''}`;
  const t = r.diff.totals;
  const heap = baseline.missing
    ? `Heap: ${formatBytes(t.head.bytes)} in ${formatInt(t.head.count)} objects.`
    : `Heap: ${formatBytes(t.base.bytes)} → ${formatBytes(t.head.bytes)} (${signedBytes(t.bytesDelta)}, ${signedPct(t.bytesPct)}), ${formatInt(t.base.count)} → ${formatInt(t.head.count)} objects.`;
  const ab = r.meta.ab ? ` ${describeAb(r.meta.ab)}.` : '';
  const read = (head.readWith ?? []).map((line) => ` ${escapeText(line)}.`).join('');
  return `Compared ${heads} with ${base}. ${heap}${ab}${read}`;
}

function deltaRow(d: TypeDelta): string[] {
  const tag = d.status === 'new' ? ' (new)' : d.status === 'gone' ? ' (gone)' : '';
  const bc = d.base?.count ?? 0;
  const hc = d.head?.count ?? 0;
  const bb = d.base?.bytes ?? 0;
  const hb = d.head?.bytes ?? 0;
  return [
    `${code(d.name)}${tag}`,
    `${formatInt(bc)} → ${formatInt(hc)}`,
    `${signedInt(d.countDelta)} (${signedPct(d.countPct)})`,
    `${formatBytes(bb)} → ${formatBytes(hb)}`,
    `${signedBytes(d.bytesDelta)}`,
  ];
}

/**
 * With a baseline that knows its leaks: new findings lead, findings of known leaks are folded
 * below with the date each was first seen, so a leak everyone knows does not bury a new one.
 */
function emitLeakGroups(md: BudgetedMarkdown, r: CheckReport): void {
  const known = r.findings.filter((f) => f.leak?.status === 'known');
  const fresh = r.findings.filter((f) => f.leak?.status !== 'known');
  if (fresh.length > 0) emitFindings(md, fresh, 'Subject', undefined, '#### New findings\n');
  if (known.length === 0) return;
  const since = known.map((f) => (f.leak?.status === 'known' ? f.leak.firstSeen.date : '')).sort()[0];
  md.emit('');
  md.emit(
    `<details><summary>📌 ${known.length} finding${known.length === 1 ? '' : 's'} of known leaks (in the baseline since ${escapeText(since ?? '')})</summary>`,
  );
  emitFindings(
    md,
    known,
    'Subject',
    {
      header: 'Known since',
      cell: (f) => (f.leak?.status === 'known' ? escapeText(seenText(f.leak.firstSeen)) : ''),
    },
    '',
  );
  md.emit('');
  md.emit('</details>');
}

function seenText(seen: { date: string; commit?: string }): string {
  return seen.commit ? `${seen.date} (${seen.commit.slice(0, 10)})` : seen.date;
}
