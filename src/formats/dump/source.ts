/** Full memory dumps (Linux core files, Windows minidumps), read through dotnet-dump. */
import { readHead } from '../head.js';
import type { SnapshotSource, SourceFile } from '../source.js';
import { sniffDumpKind, type DumpFileInfo } from './dumpFile.js';
import { dumpTypeEvidence, MAX_DUMP_EVIDENCE_TYPES } from './evidence.js';
import { dumpRootPaths, dumpRootPathsOfAddress, readDump } from './readDump.js';

const kindOf = (file: SourceFile): DumpFileInfo['kind'] =>
  file.kind === 'minidump' ? 'minidump' : 'elf-core';

export const dumpSource: SnapshotSource = {
  name: 'dump',
  formats: ['dump'],
  detect: sniffDumpKind,
  async read(file, opts) {
    const snapshot = await readDump(file.path, kindOf(file), {
      timeoutMs: opts.toolTimeoutMs,
      liveOnly: opts.liveOnly,
    });
    return { kind: 'stats', snapshot };
  },
  async rootPaths(file, query) {
    if ('address' in query) return [await dumpRootPathsOfAddress(file.path, kindOf(file), query.address)];
    return dumpRootPaths(file.path, kindOf(file), query.type, { samples: query.samples });
  },
  typeEvidence: {
    maxTypes: MAX_DUMP_EVIDENCE_TYPES,
    async find(snapshot, types) {
      const kind = sniffDumpKind(await readHead(snapshot.meta.source));
      if (!kind) return [];
      return dumpTypeEvidence(snapshot.meta.source, kind, snapshot.stats, types);
    },
  },
};
