/**
 * Reader for `dotnet-gcdump report <file>` text.
 *
 * Its "Object Bytes" column is the size of ONE instance (the first one the tool saw), not a
 * total, so counts are exact but bytes are Object Bytes x Count: exact for fixed-size types,
 * an estimate for strings and arrays. The snapshot is marked estimated for that reason.
 */
import { FormatError } from '../../errors.js';
import type { HeapSnapshot } from '../../model/snapshot.js';
import { isChatter } from './sosMessages.js';
import { buildStatsSnapshot, type TextRow } from './statsSnapshot.js';
import { NUMBER, isElision, parseHeapNumber, parsePrompt, splitLines } from './text.js';

export interface GcdumpReportRow extends TextRow {
  /** "Object Bytes" as printed: the size of one instance. */
  instanceBytes: number;
  module?: string;
  line: number;
}

export interface GcdumpReport {
  heapBytes?: number;
  /** `GC Heap objects`: all graph nodes, including the synthetic root and pseudo-nodes. */
  heapNodes?: number;
  references?: number;
  rows: GcdumpReportRow[];
  unread?: { line: number; text: string };
  elided: number;
}

// Matched against trimmed lines (no `^\s*`/`\s*$`, whose backtracking over long runs of spaces
// is quadratic).
const SUMMARY = new RegExp(
  String.raw`^(${NUMBER})\s+GC Heap (bytes|objects)$|^(${NUMBER})\s+Total references$`,
);
const HEADER = /^Object Bytes\s+Count\s+Type$/;
// size, count (blank when unknown), then the type name from the first non-space character.
const ROW_START = new RegExp(String.raw`^(${NUMBER})(?:\s+(${NUMBER}))?\s{2,}(?=\S)`);

export function parseGcdumpReport(text: string, file: string): GcdumpReport {
  const lines = splitLines(text);
  const report: GcdumpReport = { rows: [], elided: 0 };
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t === '' || parsePrompt(line) || isChatter(t)) continue;
    const summary = SUMMARY.exec(t);
    if (summary) {
      // A number no heap can hold is refused here, not written into a baseline that check rejects.
      if (summary[2] === 'bytes')
        report.heapBytes = parseHeapNumber(summary[1], 'GC Heap bytes', file, i + 1);
      else if (summary[2] === 'objects')
        report.heapNodes = parseHeapNumber(summary[1], 'GC Heap objects', file, i + 1);
      else report.references = parseHeapNumber(summary[3], 'Total references', file, i + 1);
      continue;
    }
    if (HEADER.test(t)) {
      inTable = true;
      continue;
    }
    if (inTable && isElision(t)) {
      report.elided++;
      continue;
    }
    const row = inTable ? ROW_START.exec(t) : null;
    if (row) {
      const instanceBytes = parseHeapNumber(row[1], 'size', file, i + 1);
      const count = row[2] === undefined ? 0 : parseHeapNumber(row[2], 'count', file, i + 1);
      const { name, module } = splitModule(t.slice(row[0].length));
      report.rows.push({ name, instanceBytes, count, bytes: instanceBytes * count, module, line: i + 1 });
      continue;
    }
    if (!report.unread) report.unread = { line: i + 1, text: t };
  }
  if (report.rows.length === 0) {
    const where = report.unread
      ? `; line ${report.unread.line} does not fit: ${JSON.stringify(report.unread.text)}`
      : '';
    throw new FormatError(file, undefined, `no rows of a 'dotnet-gcdump report' table found${where}`);
  }
  return report;
}

/**
 * `Type  [Module.dll]` -> name and module: the module is the last bracketed part, without `]`
 * inside, after at least two spaces. Found by scanning rather than by a lazy regex, which
 * backtracks quadratically over a name full of spaces.
 */
function splitModule(rest: string): { name: string; module?: string } {
  if (!rest.endsWith(']')) return { name: rest };
  const close = rest.length - 1;
  const from = rest.lastIndexOf(']', close - 1) + 1;
  for (let open = rest.indexOf('[', from); open > 0 && open < close; open = rest.indexOf('[', open + 1)) {
    let start = open;
    while (start > 0 && /\s/.test(rest[start - 1])) start--;
    if (open - start >= 2 && start > 0)
      return { name: rest.slice(0, start), module: rest.slice(open + 1, close) };
  }
  return { name: rest };
}

export function readGcdumpReport(text: string, file: string): HeapSnapshot {
  const report = parseGcdumpReport(text, file);
  const reasons = [
    "'dotnet-gcdump report' prints the size of one instance per type, so bytes are size x count (exact for fixed-size types, estimated for strings and arrays)",
  ];
  if (report.unread)
    reasons.push(`line ${report.unread.line} could not be read: ${JSON.stringify(report.unread.text)}`);
  if (report.elided > 0) reasons.push(`${report.elided} elision mark(s) ('...'): rows were left out`);
  if (report.rows.some((r) => r.count === 0)) reasons.push('some rows have no count');
  const notes: string[] = [];
  if (report.heapBytes !== undefined)
    notes.push(`GC heap bytes (exact, from the report): ${report.heapBytes}`);
  return buildStatsSnapshot({
    source: file,
    format: 'gcdump-report',
    nameSource: 'gcdump-report',
    rows: report.rows,
    creationTool: 'dotnet-gcdump report',
    totalBytes: report.heapBytes,
    estimateReasons: reasons,
    notes,
  });
}
