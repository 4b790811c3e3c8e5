/**
 * The one interface every snapshot format implements. A format is a folder under src/formats/
 * with a `source.ts` exporting a SnapshotSource, plus one line in src/formats/registry.ts;
 * nothing else in heapgate asks which format a file holds.
 */
import type { SnapshotContent } from '../model/content.js';
import type { RetentionPath, TypeEvidence } from '../model/evidence.js';
import type { HeapSnapshot, SnapshotFormat } from '../model/snapshot.js';

/** A file being read: its path, its first bytes and what the source that claimed it saw in them. */
export interface SourceFile {
  path: string;
  /** The first 64 KiB (less for a shorter file). */
  head: Uint8Array;
  /** The kind `detect` returned for this head, e.g. 'gcdump', 'elf-core', 'sos-dumpheap'. */
  kind: string;
}

export interface ReadOptions {
  /** Build the object graph when the format has one; statistics alone take far less memory. */
  graph?: boolean;
  /**
   * Without `graph`: also count the objects no root reaches, when the format can tell (a .gcdump:
   * a reachability pass over records held in memory, instead of one streaming pass).
   */
  unreachable?: boolean;
  /** Called with a fraction in [0, 1] while a large file is read. */
  onProgress?: (fraction: number) => void;
  /** Time limit for an external tool that reads the file (full dumps: default 15 minutes). */
  toolTimeoutMs?: number;
  /** Formats that also hold garbage (full dumps): count only objects reachable from roots (default true). */
  liveOnly?: boolean;
}

/** Root paths of one object, as `!gcroot` gives them. */
export interface SampleRoots {
  address: string;
  paths: RetentionPath[];
}

/** What `heapgate roots` asks of a source that finds root paths itself rather than from a graph. */
export type RootQuery = { type: string; samples: number } | { address: string };

export interface SnapshotSource {
  /** Short name for messages. */
  readonly name: string;
  /** The `meta.format` values of the snapshots this source reads (how a snapshot finds its source again). */
  readonly formats: readonly SnapshotFormat[];
  /** The kind of file the head shows when it is this format's (any short name), or null. */
  detect(head: Uint8Array): string | null;
  /** Reads the file: per-type statistics, and the object graph too when asked and the format has one. */
  read(file: SourceFile, opts: ReadOptions): Promise<SnapshotContent>;
  /** Root paths the file itself holds (saved `!gcroot` output), whatever is asked; null when it holds none. */
  savedRootPaths?(file: SourceFile): Promise<SampleRoots | null>;
  /**
   * True when this file's object graph can be read now although the format is usually read
   * without one (a full dump, with the ClrMD reader built): then `rootPaths` is not needed.
   */
  hasGraph?(file: SourceFile): boolean;
  /** Root paths found by an external tool (full dumps: `gcroot` through dotnet-dump), without a graph in memory. */
  rootPaths?(file: SourceFile, query: RootQuery): Promise<SampleRoots[]>;
  /**
   * Evidence for types of a snapshot this source read without a graph; each type is costly,
   * so callers ask for at most `maxTypes`.
   */
  typeEvidence?: {
    maxTypes: number;
    find(snapshot: HeapSnapshot, types: readonly string[]): Promise<TypeEvidence[]>;
  };
}
