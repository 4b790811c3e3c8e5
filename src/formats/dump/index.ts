export {
  readDump,
  dumpRootPaths,
  dumpRootPathsOfAddress,
  type ReadDumpOptions,
  type DumpRootOptions,
  type SampleRoots,
} from './readDump.js';
export { checkDumpFile, sniffDumpKind, type DumpFileInfo } from './dumpFile.js';
export { dumpTypeEvidence, MAX_DUMP_EVIDENCE_TYPES } from './evidence.js';
export {
  analyzeDump,
  analyzeDumpText,
  DEFAULT_ANALYZE_TIMEOUT_MS,
  type AnalyzeOptions,
} from './dotnetDump.js';
