/** Tells which command's output a text capture holds, from its content alone. */
import { HEX, NUMBER } from './text.js';

export type TextKind = 'sos-dumpheap' | 'gcdump-report' | 'sos-gcroot';

const DUMPHEAP_HEADER = /^\s*MT\s+Count\s+TotalSize\s+Class\s*Name\s*$/im;
const STATISTICS = /^\s*Statistics:\s*$/im;
const REPORT = /^\s*(?:Object Bytes\s+Count\s+Type|[\d,.'\u00a0\u202f]+\s+GC Heap (?:bytes|objects))\s*$/im;
const GCROOT = [
  /^\s*Found\s+[\d,.'\u00a0\u202f]+\s+(?:unique\s+)?roots?\b/im,
  /^\s*HandleTable:\s*$/im,
  /:Root:\s*(?:0x)?[0-9a-f]+\(/im,
  new RegExp(String.raw`^\s*->\s+${HEX}\s+\S`, 'm'),
];
// CLR 1.x captures are often bare rows: MT, count, size, name.
const BARE_ROW = new RegExp(
  String.raw`^\s*(?:0x)?[0-9a-fA-F]{8,16}\s+(?:${NUMBER})\s+(?:${NUMBER})\s+\S.*$`,
  'gm',
);

/** The kind of SOS / dotnet-gcdump text, or null when none fits. */
export function detectTextKind(text: string): TextKind | null {
  if (DUMPHEAP_HEADER.test(text)) return 'sos-dumpheap';
  if (REPORT.test(text)) return 'gcdump-report';
  if (STATISTICS.test(text) && !GCROOT.some((re) => re.test(text))) return 'sos-dumpheap';
  if (GCROOT.some((re) => re.test(text))) return 'sos-gcroot';
  const bare = text.match(BARE_ROW);
  if (bare && bare.length >= 2) return 'sos-dumpheap';
  return null;
}
