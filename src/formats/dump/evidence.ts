/**
 * GC-root evidence for types of a full dump: `gcroot` (through dotnet-dump) on a few sample
 * instances of each type, grouped by the shape of their root path like graph evidence is.
 */
import { describePath } from '../../graph/retentionPath.js';
import type { PathCluster, RetentionPath, RootKind, TypeEvidence } from '../../model/evidence.js';
import type { TypeStat } from '../../model/snapshot.js';
import { dumpRootPaths, type DumpRootOptions } from './readDump.js';
import type { DumpFileInfo } from './dumpFile.js';

/** Each type costs a few dotnet-dump runs over the whole dump: keep it to the most important ones. */
export const MAX_DUMP_EVIDENCE_TYPES = 3;

// The most durable root explains a leak best: statics outlive stacks, which outlive handles.
const PREFERENCE: RootKind[] = [
  'static field',
  'thread-static field',
  'dependent handle',
  'strong handle',
  'stack local',
];

function preferred(paths: readonly RetentionPath[]): RetentionPath | undefined {
  for (const kind of PREFERENCE) {
    const p = paths.find((x) => x.rootKind === kind);
    if (p) return p;
  }
  return paths[0];
}

export async function dumpTypeEvidence(
  file: string,
  kind: DumpFileInfo['kind'],
  stats: readonly TypeStat[],
  types: readonly string[],
  options: DumpRootOptions = {},
): Promise<TypeEvidence[]> {
  const out: TypeEvidence[] = [];
  for (const type of types.slice(0, MAX_DUMP_EVIDENCE_TYPES)) {
    const samples = await dumpRootPaths(file, kind, type, options);
    const stat = stats.find((s) => s.name === type);
    const clusters = new Map<string, PathCluster>();
    for (const s of samples) {
      const path = preferred(s.paths);
      if (!path) continue;
      const signature = describePath(path, false);
      const known = clusters.get(signature);
      if (known) {
        known.count++;
        continue;
      }
      clusters.set(signature, {
        signature,
        rootKind: path.rootKind,
        ...(path.rootName !== undefined ? { rootName: path.rootName } : {}),
        holders: path.steps.map((x) => x.type),
        count: 1,
        bytes: 0,
        sample: path,
      });
    }
    out.push({
      type,
      instances: stat?.count ?? samples.length,
      ...(stat ? { bytes: stat.bytes } : {}),
      clusters: [...clusters.values()].sort((a, b) => b.count - a.count),
      sampled: samples.length,
    });
  }
  return out;
}
