export { readDumpHeapStat, parseDumpHeapStat, type DumpHeapTable, type DumpHeapRow } from './dumpheapStat.js';
export { readGcdumpReport, parseGcdumpReport, type GcdumpReport } from './gcdumpReport.js';
export { parseGcRoot, type GcRootResult } from './gcroot.js';
export { detectTextKind, type TextKind } from './detect.js';
export { decodeText, looksLikeText } from './text.js';
