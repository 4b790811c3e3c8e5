/**
 * `heapgate check` as GitHub markdown (PR comment, job summary): a one-line verdict, the findings,
 * the top per-type changes, then collapsed details. Always within the comment limit: whole rows and
 * blocks are dropped, lowest priority last in the document first, with a note pointing to the artifact.
 */
import { markdownTable } from 'markdown-table';
import { topChanges } from '../diff/sort.js';
import type { TypeDelta } from '../diff/types.js';
import type { Finding } from '../rules/findings.js';
import { Budget, GITHUB_COMMENT_LIMIT, size } from './budget.js';
import type { CheckReport } from './checkReport.js';
import { actualText, checkLabel, countsPhrase, limitText, STATUS_ICON, VERDICT_ICON } from './describe.js';
import { code, escapeText } from './escape.js';
import { evidenceBlock } from './evidenceMarkdown.js';
import { formatBytes, formatInt, signedBytes, signedInt, signedPct } from './numbers.js';

type Align = 'l' | 'r' | 'c';
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
  return `<!-- heapgate:report scenario=${scenario.replace(/[^A-Za-z0-9._/-]/g, '_')} -->`;
}

export function renderCheckMarkdown(r: CheckReport, opts: MarkdownOptions = {}): string {
  const artifact = opts.artifact ?? 'the heapgate-report.json artifact';
  const budget = new Budget(opts.maxChars ?? GITHUB_COMMENT_LIMIT);
  const out: string[] = [];
  let cut = false;
  const footer = `\n<sub>${escapeText(r.tool)} · ${r.diff.types.length} changed types · full report: ${escapeText(artifact)}</sub>\n`;
  const cutNote = `\n> [!NOTE]\n> This report was shortened to fit GitHub's comment limit; see ${escapeText(artifact)} for everything.\n`;
  const reserve = size(footer) + size(cutNote) + 2;
  const emit = (text: string): boolean => {
    if (!budget.fits(text + '\n', reserve)) {
      cut = true;
      return false;
    }
    budget.take(text + '\n');
    out.push(text);
    return true;
  };
  const notePerRow = (n: number) =>
    `\n_…${formatInt(n)} more row${n === 1 ? '' : 's'} in ${escapeText(artifact)}._`;
  const render = (header: string[], rows: string[][], align: Align[]) =>
    markdownTable([header, ...rows], { alignDelimiters: false, align }).split('\n');
  /** Table rows in order while they fit; returns how many were written. */
  const table = (heading: string, lines: string[]): number => {
    const rows = lines.length - 2;
    if (rows <= 0) return 0;
    const note = notePerRow(rows);
    if (!budget.fits(`${heading}\n${lines[0]}\n${lines[1]}\n${lines[2]}\n`, reserve + size(note))) {
      cut = true;
      return 0;
    }
    emit(heading);
    emit(`${lines[0]}\n${lines[1]}`);
    let written = 0;
    for (const line of lines.slice(2)) {
      if (!budget.fits(line + '\n', reserve + size(note))) break;
      emit(line);
      written++;
    }
    if (written < rows) {
      cut = true;
      emit(note);
    }
    return written;
  };
  /** A collapsed table, opened only when its summary, header, first row and closing tag all fit. */
  const details = (summary: string, lines: string[]): void => {
    const open = `\n<details><summary>${summary}</summary>\n`;
    const close = '\n</details>';
    const first = `${open}\n\n${lines[0]}\n${lines[1]}\n${lines[2] ?? ''}\n${close}\n`;
    if (lines.length < 3 || !budget.fits(first, reserve + size(notePerRow(lines.length)))) {
      if (lines.length >= 3) cut = true;
      return;
    }
    emit(open);
    budget.take(close + '\n');
    table('', lines);
    out.push(close);
  };

  emit(reportMarker(r.scenario));
  emit(verdictLine(r));
  emit('');
  emit(contextLine(r));
  if (r.inconclusiveReasons.length > 0) {
    emit('');
    for (const reason of r.inconclusiveReasons) emit(`- ❔ ${escapeText(reason)}`);
  }
  if (r.meta.baseline.missing) {
    emit('');
    emit(
      r.meta.baseline.recordedTo
        ? `> [!TIP]\n> First run: no baseline existed, so this run was recorded as the baseline at <code>${escapeText(r.meta.baseline.recordedTo)}</code>. Commit it (or let the Action store it) to gate later changes.`
        : `> [!TIP]\n> No baseline at <code>${escapeText(r.meta.baseline.source)}</code>. Record one with \`heapgate baseline record\` to gate growth.`,
    );
  }

  if (r.findings.length > 0) {
    emit('');
    table(
      '#### Findings\n',
      render(['', 'Subject', 'Check', 'Actual', 'Limit', 'Rule'], r.findings.map(findingRow), [
        'c',
        'l',
        'l',
        'r',
        'r',
        'l',
      ]),
    );
    // One hint per rule: every finding of a rule shares it.
    const hints = new Map<string, string>();
    for (const f of r.findings) if (f.hint && !hints.has(f.rule.id)) hints.set(f.rule.id, f.hint);
    if (hints.size > 0) emit('');
    for (const [id, hint] of hints) if (!emit(`- 💡 ${code(id)}: ${escapeText(hint)}`)) break;
    // Several rules may flag the same type; its evidence is shown once.
    const shown = new Set<string>();
    for (const f of r.findings) {
      for (const ev of f.evidence ?? []) {
        if (shown.has(ev.type)) continue;
        shown.add(ev.type);
        if (!emit(`\n${evidenceBlock(ev, Math.max(1, f.evidenceWanted), STATUS_ICON[f.status])}`)) break;
      }
    }
  }

  // Without a baseline every type is "new": a change list would only repeat the heap.
  const n = r.meta.baseline.missing ? 0 : (opts.topChanges ?? 10);
  const top = topChanges(r.diff.types, n);
  if (top.length > 0) {
    emit('');
    table(`#### Top ${top.length} changes by bytes\n`, render(DELTA_HEADER, top.map(deltaRow), DELTA_ALIGN));
  }

  if (!r.meta.baseline.missing && r.diff.types.length > top.length) {
    const all = topChanges(r.diff.types, Infinity);
    details(
      `All ${formatInt(all.length)} changed types (${formatInt(r.diff.newTypes)} new, ${formatInt(r.diff.goneTypes)} gone)`,
      render(DELTA_HEADER, all.map(deltaRow), DELTA_ALIGN),
    );
  }

  if (r.suppressed.length > 0) {
    details(
      `${formatInt(r.suppressed.length)} suppressed finding${r.suppressed.length === 1 ? '' : 's'}`,
      render(
        ['Subject', 'Check', 'Actual', 'Reason', 'Expires'],
        r.suppressed.map((f) => [
          code(f.subject),
          checkLabel(f),
          escapeText(actualText(f)),
          escapeText(f.suppressedBy?.reason ?? ''),
          escapeText(f.suppressedBy?.expires ?? '—') + (f.suppressedBy?.expired ? ' (expired)' : ''),
        ]),
        ['l', 'l', 'r', 'l', 'l'],
      ),
    );
  }

  if (r.rules.length > 0) {
    details(
      `${r.rules.length} rule${r.rules.length === 1 ? '' : 's'} evaluated`,
      render(
        ['', 'Rule', 'Severity', 'Types matched', 'Findings'],
        r.rules.map((o) => [
          o.status === 'pass' ? '✅' : STATUS_ICON[o.status],
          ruleCell(o.rule),
          o.severity,
          formatInt(o.matchedTypes),
          formatInt(o.findings),
        ]),
        ['c', 'l', 'l', 'r', 'r'],
      ),
    );
  }

  if (cut) out.push(cutNote.trimEnd());
  out.push(footer.trimEnd());
  return out.join('\n') + '\n';
}

function verdictLine(r: CheckReport): string {
  const scenario = code(r.scenario);
  const counts = countsPhrase(r.counts.fail, r.counts.warn, r.counts.inconclusive);
  const lead = r.findings.find((f) => f.status === 'fail') ?? r.findings[0];
  const tail =
    lead && lead.check !== 'suppression-expired'
      ? ` — ${code(lead.subject)} ${escapeText(checkLabel(lead))} ${escapeText(actualText(lead))}`
      : '';
  switch (r.verdict) {
    case 'fail':
      return `### ${VERDICT_ICON.fail} heapgate: memory gate failed for ${scenario}: ${counts}${tail}`;
    case 'warn':
      return `### ${VERDICT_ICON.warn} heapgate: passed with ${counts} for ${scenario}${tail}`;
    case 'inconclusive':
      return `### ${VERDICT_ICON.inconclusive} heapgate: inconclusive for ${scenario}${counts ? ` (${counts})` : ''} — ${escapeText(r.inconclusiveReasons[0] ?? 'see below')}`;
    case 'pass':
      return `### ${VERDICT_ICON.pass} heapgate: no memory regression in ${scenario}`;
  }
}

function contextLine(r: CheckReport): string {
  const { head, baseline } = r.meta;
  const heads =
    head.sources.length === 1 ? code(head.sources[0]) : `${head.sources.length} snapshots (per-type median)`;
  const base = baseline.missing
    ? 'no baseline'
    : `baseline ${code(baseline.source)}${baseline.createdAt ? ` (recorded ${escapeText(baseline.createdAt.slice(0, 10))}${baseline.commit ? ` at ${code(baseline.commit.slice(0, 12))}` : ''}${baseline.samples && baseline.samples > 1 ? `, ${baseline.samples} samples` : ''})` : ''}`;
  const t = r.diff.totals;
  const heap = baseline.missing
    ? `Heap: ${formatBytes(t.head.bytes)} in ${formatInt(t.head.count)} objects.`
    : `Heap: ${formatBytes(t.base.bytes)} → ${formatBytes(t.head.bytes)} (${signedBytes(t.bytesDelta)}, ${signedPct(t.bytesPct)}), ${formatInt(t.base.count)} → ${formatInt(t.head.count)} objects.`;
  return `Compared ${heads} with ${base}. ${heap}`;
}

function findingRow(f: Finding): string[] {
  const rule = `${ruleCell(f.rule)}${f.message ? `<br>${escapeText(f.message)}` : ''}`;
  const status =
    f.status === 'inconclusive' && f.wouldBe
      ? `${STATUS_ICON.inconclusive} (would ${f.wouldBe})`
      : STATUS_ICON[f.status];
  return [
    status,
    code(f.subject),
    escapeText(checkLabel(f)),
    escapeText(actualText(f)),
    escapeText(limitText(f)),
    rule,
  ];
}

function ruleCell(rule: { id: string; file: string; line: number }): string {
  return `${code(rule.id)} <sub>${escapeText(`${rule.file}:${rule.line}`)}</sub>`;
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
