export {
  readDump,
  dumpRootPaths,
  dumpRootPathsOfAddress,
  type ReadDumpOptions,
  type DumpRootOptions,
} from './readDump.js';
export { checkDumpFile, sniffDumpKind, type DumpFileInfo } from './dumpFile.js';
export { dumpTypeEvidence, MAX_DUMP_EVIDENCE_TYPES } from './evidence.js';
