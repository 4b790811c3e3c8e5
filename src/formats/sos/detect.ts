/**
 * Tells which command's output a text capture holds, from its content alone.
 *
 * Every pattern is matched against one trimmed line at a time: a multiline `^\s*` pattern over
 * the whole text lets `\s*` run across blank lines from every line start, which is quadratic in
 * the number of blank lines.
 */
import { HEX, NUMBER, forEachContentLine } from './text.js';

export type TextKind = 'sos-dumpheap' | 'gcdump-report' | 'sos-gcroot';

const DUMPHEAP_HEADER = /^MT\s+Count\s+TotalSize\s+Class\s*Name$/i;
const STATISTICS = /^Statistics:$/i;
const REPORT = /^(?:Object Bytes\s+Count\s+Type|[\d,.'\u00a0\u202f]+\s+GC Heap (?:bytes|objects))$/i;
const GCROOT = [
  /^Found\s+[\d,.'\u00a0\u202f]+\s+(?:unique\s+)?roots?\b/i,
  /^HandleTable:$/i,
  /:Root:\s*(?:0x)?[0-9a-f]+\(/i,
  new RegExp(String.raw`^->\s+${HEX}\s+\S`),
];
// `dumpobj`'s field table: its rows (MT, field token, offset, type) look like bare dumpheap rows.
const FIELDS_HEADER = /^MT\s+Field\s+Offset\s+Type\b/i;
const FIELD_ATTR = /\s(?:instance|static|TLstatic|CLstatic)\s/;
// CLR 1.x captures are often bare rows: MT, count, size, name.
const BARE_ROW = new RegExp(String.raw`^(?:0x)?[0-9a-fA-F]{8,16}\s+(?:${NUMBER})\s+(?:${NUMBER})\s+\S`);

/** The kind of SOS / dotnet-gcdump text, or null when none fits. */
export function detectTextKind(text: string): TextKind | null {
  let statistics = false;
  let report = false;
  let gcroot = false;
  let bareRows = 0;
  let header = false;
  let fields = false;
  forEachContentLine(text, (line) => {
    if (DUMPHEAP_HEADER.test(line)) return (header = true);
    report ||= REPORT.test(line);
    statistics ||= STATISTICS.test(line);
    gcroot ||= GCROOT.some((re) => re.test(line));
    fields ||= FIELDS_HEADER.test(line);
    if (BARE_ROW.test(line) && !FIELD_ATTR.test(line)) bareRows++;
    return false;
  });
  if (header) return 'sos-dumpheap';
  if (report) return 'gcdump-report';
  if (statistics && !gcroot) return 'sos-dumpheap';
  if (gcroot) return 'sos-gcroot';
  if (bareRows >= 2 && !fields) return 'sos-dumpheap';
  return null;
}
