import type { ByteReader } from './byteReader.js';
import type { FastSerializationStream, TypeDescriptor } from './fastSerialization.js';
import { Tag } from './fastSerialization.js';

/** The `Graphs.MemoryGraph` object as stored: tables and the raw node blob, not yet decoded. */
export interface RawMemoryGraph {
  totalSize: number;
  rootIndex: number;
  typeNames: (string | null)[];
  /** Default node size per type: the size of the first node that used it (-1 = unused). */
  typeSizes: Int32Array;
  typeModules: (string | null)[];
  nodeCount: number;
  /** Per node, the offset of its record inside the blob. */
  nodeOffsets: Uint32Array;
  blob: Uint8Array;
  /** File offset of the blob, for error positions. */
  blobFileOffset: number;
  /** Object address per node (0 for pseudo-nodes). */
  addresses: Float64Array;
  is64Bit: boolean | undefined;
  /** Per type index, from the deferred-type region (NativeAOT/ProjectN); empty otherwise. */
  deferredTypeIds: number[];
}

export const MEMORY_GRAPH_TYPE = 'Graphs.MemoryGraph';

/** Reads the fields of a `Graphs.MemoryGraph` object (reference §5). */
export function readMemoryGraph(r: ByteReader, fs: FastSerializationStream, type: TypeDescriptor): RawMemoryGraph {
  if (type.minReaderVersion > 1) {
    r.fail(`this file's ${MEMORY_GRAPH_TYPE} needs reader version ${type.minReaderVersion}; heapgate reads up to version 1`);
  }
  const totalSize = r.i64('total heap size');
  const rootAt = r.pos;
  const rootIndex = r.i32('root node index');

  // Each type entry is at least 4 (name length) + 4 (size) + 4 (module length) bytes.
  const typeCount = r.count('type count', 12);
  const typeNames: (string | null)[] = new Array<string | null>(typeCount);
  const typeSizes = new Int32Array(typeCount);
  const typeModules: (string | null)[] = new Array<string | null>(typeCount);
  for (let t = 0; t < typeCount; t++) {
    typeNames[t] = r.string(`name of type ${t}`);
    typeSizes[t] = r.i32(`size of type ${t}`);
    typeModules[t] = r.string(`module of type ${t}`);
  }

  const nodeCountAt = r.pos;
  const nodeCount = r.count('node count', 4);
  if (nodeCount === 0) r.fail('the graph has no nodes', nodeCountAt);
  if (rootIndex < 0 || rootIndex >= nodeCount) {
    r.fail(`root node index ${rootIndex} is outside the ${nodeCount} nodes`, rootAt);
  }
  const offsetsAt = r.pos;
  const nodeOffsets = new Uint32Array(nodeCount);
  const view = r.view;
  r.need(nodeCount * 4, 'node offset table');
  for (let i = 0, p = r.pos; i < nodeCount; i++, p += 4) nodeOffsets[i] = view.getUint32(p, true);
  r.pos += nodeCount * 4;

  const blobLength = r.count('node blob length', 1);
  const blobFileOffset = r.pos;
  const blob = r.slice(blobLength, 'node blob');
  for (let i = 0; i < nodeCount; i++) {
    if (nodeOffsets[i] >= blobLength) {
      r.fail(`node ${i}'s record offset ${nodeOffsets[i]} is outside the ${blobLength}-byte node blob`, offsetsAt + i * 4);
    }
  }

  const deferredTypeIds: number[] = [];
  if (type.minReaderVersion >= 1) readDeferredTypes(r, fs, deferredTypeIds);

  const addressCountAt = r.pos;
  const addressCount = r.count('address count', 8);
  if (addressCount !== nodeCount) {
    r.fail(`address count ${addressCount} differs from node count ${nodeCount}`, addressCountAt);
  }
  const addresses = new Float64Array(nodeCount);
  for (let i = 0, p = r.pos; i < nodeCount; i++, p += 8) {
    addresses[i] = view.getUint32(p + 4, true) * 4294967296 + view.getUint32(p, true);
  }
  r.pos += nodeCount * 8;

  let is64Bit: boolean | undefined;
  if (fs.tryTag(Tag.Byte)) is64Bit = r.u8('pointer-size flag') !== 0;

  return {
    totalSize,
    rootIndex,
    typeNames,
    typeSizes,
    typeModules,
    nodeCount,
    nodeOffsets,
    blob,
    blobFileOffset,
    addresses,
    is64Bit,
    deferredTypeIds,
  };
}

/** Deferred-type region (§5.5): type IDs for types the runtime named only by module + token. */
function readDeferredTypes(r: ByteReader, fs: FastSerializationStream, out: number[]): void {
  const at = r.pos;
  const index = r.i32('deferred-type region forward index');
  const end = fs.forwardTargetAfter(index, at);
  const n = r.count('deferred type count', 9);
  for (let k = 0; k < n; k++) {
    out.push(r.i32(`deferred type ${k} id`));
    fs.readObject(`module of deferred type ${k}`);
    r.string(`name suffix of deferred type ${k}`);
  }
  r.seek(end, 'end of the deferred-type region');
}
