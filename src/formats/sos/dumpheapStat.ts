/**
 * Reader for the statistics table of SOS `dumpheap` (`!DumpHeap -stat`) in every layout seen in
 * the wild: CLR 1.x SOS, windbg SOS/psscor for .NET Framework, native .NET Core SOS and the
 * current C# SOS of dotnet-dump. Rows are parsed by tokens, never by column offsets.
 */
import { FormatError } from '../../errors.js';
import type { HeapSnapshot } from '../../model/snapshot.js';
import { isChatter, isCorruptionMessage } from './sosMessages.js';
import { buildStatsSnapshot, type TextRow } from './statsSnapshot.js';
import {
  HEX,
  NUMBER,
  hexDigits,
  isElision,
  parseCount,
  parseHeapNumber,
  parsePrompt,
  splitLines,
  stripAnnotation,
} from './text.js';

export interface DumpHeapRow extends TextRow {
  /** Method table as printed (without backtick / 0x). */
  mt: string;
  /** 1-based line number of the row. */
  line: number;
}

export interface DumpHeapTable {
  rows: DumpHeapRow[];
  free: { count: number; bytes: number };
  trailer?: { objects: number; bytes?: number; line: number };
  /** The `dumpheap` command line echoed in the text, when present. */
  command?: string;
  pointerSize?: 4 | 8;
  partialReasons: string[];
  notes: string[];
}

// Matched against trimmed lines, so no pattern needs `^\s*` or `\s*$` (whose backtracking over a
// long run of spaces is quadratic).
const ROW = new RegExp(String.raw`^(${HEX})\s+(${NUMBER})\s+(${NUMBER})(?:\s+([^]*))?$`);
const HEADER = /^MT\s+Count\s+TotalSize\s+Class\s*Name$/i;
const STATISTICS = /^Statistics:$/i;
const TRAILER = new RegExp(String.raw`^Total\s+(${NUMBER})\s+objects(?:,\s*(${NUMBER})\s+bytes)?\.?$`, 'i');
// SOS filters that make a table describe only part of the heap.
const FILTER_OPTIONS = /\s-(type|mt|min|max|gen|heap|segment|live|dead|strings)\b|\s(?:0x)?[0-9a-f]{6,}\b/i;

/** Parses the first statistics table in `text`. Throws FormatError when there is none. */
export function parseDumpHeapStat(text: string, file: string): DumpHeapTable {
  const lines = splitLines(text);
  const table: DumpHeapTable = { rows: [], free: { count: 0, bytes: 0 }, partialReasons: [], notes: [] };
  // Captures of CLR 1.x output often start straight with rows; only then accept rows without a header.
  const hasHeader = lines.some((l) => {
    const t = l.trim();
    return STATISTICS.test(t) || HEADER.test(t);
  });
  let inTable = !hasHeader;
  let tableSeen = false;
  let open: WrappedName | undefined; // a row whose name continues on the next line
  const wrapped: WrappedName[] = [];
  let unread: { line: number; text: string } | undefined;
  const corruption: string[] = [];
  let elided = 0;
  let extraTables = 0;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '') {
      open = undefined;
      continue;
    }
    const prompt = parsePrompt(raw);
    if (prompt) {
      open = undefined;
      if (/^dumpheap\b/.test(prompt.command) && table.command === undefined) table.command = prompt.command;
      continue;
    }
    if (isCorruptionMessage(line)) {
      corruption.push(`line ${lineNo}: ${line}`);
      continue;
    }
    if (STATISTICS.test(line) || HEADER.test(line)) {
      if (tableSeen && table.trailer) extraTables++;
      else inTable = true;
      open = undefined;
      continue;
    }
    const trailer = TRAILER.exec(line);
    if (trailer && inTable) {
      if (!table.trailer) {
        table.trailer = {
          objects: parseCount(trailer[1]),
          bytes: trailer[2] === undefined ? undefined : parseCount(trailer[2]),
          line: lineNo,
        };
        inTable = false;
      }
      open = undefined;
      continue;
    }
    if (!inTable) continue;
    if (isElision(line)) {
      elided++;
      open = undefined;
      continue;
    }
    const row = ROW.exec(line);
    if (row && !table.trailer) {
      tableSeen = true;
      const name = stripAnnotation(row[4] ?? '').trim();
      const parsed: DumpHeapRow = {
        mt: hexDigits(row[1]),
        count: parseHeapNumber(row[2], 'count', file, lineNo),
        bytes: parseHeapNumber(row[3], 'size', file, lineNo),
        name,
        line: lineNo,
      };
      table.rows.push(parsed);
      const depth = nesting(name);
      open = undefined;
      if (name === '' || depth > 0) {
        open = { row: parsed, parts: [name], depth, last: name.slice(-1) };
        wrapped.push(open);
      }
      continue;
    }
    if (open) {
      // A console or mail client wrapped a long name: glue the continuation back on. The parts
      // are joined once at the end; joining per line would copy the name every time.
      if (open.last === ',') open.parts.push(' ');
      open.parts.push(line);
      open.last = line.slice(-1);
      open.depth += nesting(line);
      if (open.depth <= 0) open = undefined;
      continue;
    }
    if (isChatter(line)) continue;
    if (tableSeen && !unread) unread = { line: lineNo, text: line };
  }

  for (const w of wrapped) w.row.name = w.parts.join('');

  if (table.rows.length === 0) {
    if (corruption.length > 0) {
      throw new FormatError(
        file,
        undefined,
        `SOS could not walk the heap, so there are no statistics (${corruption[0]})`,
      );
    }
    const first = firstContentLine(lines);
    throw new FormatError(
      file,
      undefined,
      `no 'dumpheap -stat' table found` +
        (first ? `; line ${first.line} does not fit: ${quote(first.text)}` : ' (the text is empty)'),
    );
  }

  finishFree(table);
  table.pointerSize = inferPointerSize(table.rows);
  checkCompleteness(table, { corruption, elided, unread });
  if (extraTables > 0)
    table.notes.push(`the text holds ${extraTables + 1} statistics tables; only the first was read`);
  if (table.command && FILTER_OPTIONS.test(` ${table.command}`)) {
    table.notes.push(`filtered table ('${table.command}'): it describes only part of the heap`);
  }
  return table;
}

/** Reads a `dumpheap -stat` capture into a statistics-only snapshot. */
export function readDumpHeapStat(
  text: string,
  file: string,
  creationTool = 'SOS dumpheap -stat',
): HeapSnapshot {
  const table = parseDumpHeapStat(text, file);
  return dumpHeapTableToSnapshot(table, file, 'sos-dumpheap', creationTool);
}

export function dumpHeapTableToSnapshot(
  table: DumpHeapTable,
  file: string,
  format: 'sos-dumpheap' | 'dump',
  creationTool: string,
): HeapSnapshot {
  return buildStatsSnapshot({
    source: file,
    format,
    nameSource: 'sos',
    rows: table.rows.filter((r) => r.name !== 'Free'),
    creationTool,
    pointerSize: table.pointerSize,
    estimateReasons: table.partialReasons,
    notes: table.notes,
  });
}

function finishFree(table: DumpHeapTable): void {
  for (const r of table.rows) {
    if (r.name !== 'Free') continue;
    table.free.count += r.count;
    table.free.bytes += r.bytes;
  }
  if (table.free.count > 0) {
    table.notes.push(
      `free space: ${table.free.count} blocks, ${table.free.bytes} bytes (not counted as objects)`,
    );
  }
}

function checkCompleteness(
  table: DumpHeapTable,
  seen: { corruption: string[]; elided: number; unread?: { line: number; text: string } },
): void {
  const reasons = table.partialReasons;
  for (const c of seen.corruption) reasons.push(`SOS reported an incomplete heap walk (${c})`);
  if (seen.elided > 0)
    reasons.push(`${seen.elided} elision mark(s) ('...') inside the table: rows were left out`);
  if (seen.unread)
    reasons.push(`line ${seen.unread.line} inside the table could not be read: ${quote(seen.unread.text)}`);
  if (!table.trailer) {
    reasons.push(`the table has no 'Total N objects' trailer, so it may have been cut`);
    return;
  }
  let objects = 0;
  let bytes = 0;
  for (const r of table.rows) {
    objects += r.count;
    bytes += r.bytes;
  }
  if (objects !== table.trailer.objects) {
    reasons.push(
      `the rows add up to ${objects} objects but the trailer (line ${table.trailer.line}) says ${table.trailer.objects}`,
    );
  } else if (table.trailer.bytes !== undefined && bytes !== table.trailer.bytes) {
    reasons.push(
      `the rows add up to ${bytes} bytes but the trailer (line ${table.trailer.line}) says ${table.trailer.bytes}`,
    );
  }
}

/**
 * 8 digits: 32-bit target; 16 digits or a value above 4 GiB: 64-bit. Current SOS prints 12
 * digits on every target, so 12-digit MTs below 4 GiB mean 32-bit.
 */
function inferPointerSize(rows: DumpHeapRow[]): 4 | 8 | undefined {
  let maxWidth = 0;
  let big = false;
  for (const r of rows) {
    maxWidth = Math.max(maxWidth, r.mt.length);
    if (r.mt.length > 8 && /[1-9a-f]/i.test(r.mt.slice(0, r.mt.length - 8))) big = true;
  }
  if (big || maxWidth === 16) return 8;
  if (maxWidth === 8 || maxWidth === 12) return 4;
  return undefined;
}

/** A row name being glued together from continuation lines. */
interface WrappedName {
  row: DumpHeapRow;
  parts: string[];
  /** Brackets opened and not yet closed. */
  depth: number;
  /** Last character so far ('' while the name is empty). */
  last: string;
}

/** Brackets (`[`, `<`) opened minus closed in `text`. */
function nesting(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5b || ch === 0x3c) depth++;
    else if (ch === 0x5d || ch === 0x3e) depth--;
  }
  return depth;
}

function firstContentLine(lines: string[]): { line: number; text: string } | undefined {
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t !== '' && !parsePrompt(lines[i]) && !isChatter(t)) return { line: i + 1, text: t };
  }
  return undefined;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}
