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
import { NUMBER, isElision, parseCount, parseHeapNumber, parsePrompt, splitLines } from './text.js';

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

const SUMMARY = new RegExp(
  String.raw`^\s*(${NUMBER})\s+GC Heap (bytes|objects)\s*$|^\s*(${NUMBER})\s+Total references\s*$`,
);
const HEADER = /^\s*Object Bytes\s+Count\s+Type\s*$/;
// size, count (blank when unknown), type name, optional "  [Module.dll]".
const ROW = new RegExp(
  String.raw`^\s*(${NUMBER})(?:\s+(${NUMBER}))?\s{2,}(\S.*?)(?:\s{2,}\[([^\]]*)\])?\s*$`,
);

export function parseGcdumpReport(text: string, file: string): GcdumpReport {
  const lines = splitLines(text);
  const report: GcdumpReport = { rows: [], elided: 0 };
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t === '' || parsePrompt(line) || isChatter(t)) continue;
    const summary = SUMMARY.exec(line);
    if (summary) {
      if (summary[2] === 'bytes') report.heapBytes = parseCount(summary[1]);
      else if (summary[2] === 'objects') report.heapNodes = parseCount(summary[1]);
      else report.references = parseCount(summary[3]);
      continue;
    }
    if (HEADER.test(line)) {
      inTable = true;
      continue;
    }
    if (inTable && isElision(t)) {
      report.elided++;
      continue;
    }
    const row = inTable ? ROW.exec(line) : null;
    if (row) {
      const instanceBytes = parseHeapNumber(row[1], 'size', file, i + 1);
      const count = row[2] === undefined ? 0 : parseHeapNumber(row[2], 'count', file, i + 1);
      report.rows.push({
        name: row[3],
        instanceBytes,
        count,
        bytes: instanceBytes * count,
        module: row[4],
        line: i + 1,
      });
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
