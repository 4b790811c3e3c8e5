/**
 * Full memory dumps (Linux core files, Windows minidumps): the whole object graph through the
 * ClrMD reader (dotnet/Heapgate.DumpReader) when it is built, else per-type statistics and
 * sampled gcroot evidence through dotnet-dump. The notes of the snapshot say which path read it.
 */
import { ToolError } from '../../errors.js';
import { readHead } from '../head.js';
import type { SnapshotSource, SourceFile } from '../source.js';
import { findDumpReader, readDumpStatsWithClrmd, readDumpWithClrmd } from './clrmdReader.js';
import { sniffDumpKind, type DumpFileInfo } from './dumpFile.js';
import { dumpTypeEvidence, MAX_DUMP_EVIDENCE_TYPES } from './evidence.js';
import { dumpRootPaths, dumpRootPathsOfAddress, readDump } from './readDump.js';
import { checkDumpFile } from './dumpFile.js';

const kindOf = (file: SourceFile): DumpFileInfo['kind'] =>
  file.kind === 'minidump' ? 'minidump' : 'elf-core';

export const dumpSource: SnapshotSource = {
  name: 'dump',
  formats: ['dump'],
  detect: sniffDumpKind,
  async read(file, opts) {
    const kind = kindOf(file);
    const reader = findDumpReader();
    let fallback: string;
    if ('missing' in reader) {
      fallback = reader.missing;
    } else {
      await checkDumpFile(file.path, kind);
      try {
        const how = { timeoutMs: opts.toolTimeoutMs, liveOnly: opts.liveOnly, location: reader };
        return opts.graph === true
          ? await readDumpWithClrmd(file.path, kind, how)
          : await readDumpStatsWithClrmd(file.path, kind, how);
      } catch (e) {
        if (!(e instanceof ToolError)) throw e;
        fallback = e.message;
      }
    }
    const snapshot = await readDump(file.path, kind, {
      timeoutMs: opts.toolTimeoutMs,
      liveOnly: opts.liveOnly,
    });
    snapshot.meta.notes.splice(1, 0, `not read with ClrMD: ${fallback}`);
    return { kind: 'stats', snapshot };
  },
  hasGraph: () => !('missing' in findDumpReader()),
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
