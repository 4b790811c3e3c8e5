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
  /** Per node, the offset of its record inside the blob (empty when the tables were skipped). */
  nodeOffsets: Uint32Array;
  /** The node blob (empty when the tables were skipped). */
  blob: Uint8Array;
  /** File offset of the blob, for error positions. */
  blobFileOffset: number;
  /** Where the offset table and the blob lie in the file, for readers that stream them. */
  layout: GraphLayout;
  /** Object address per node (0 for pseudo-nodes); not read when only statistics are wanted. */
  addresses: Float64Array | undefined;
  is64Bit: boolean | undefined;
  /** Per type index, from the deferred-type region (NativeAOT/ProjectN); empty otherwise. */
  deferredTypeIds: number[];
}

export interface GraphLayout {
  nodeCount: number;
  /** File offset of the node-offset table (`nodeCount` × u32). */
  offsetsAt: number;
  /** File offset and length of the node blob. */
  blobAt: number;
  blobLength: number;
  /** File offset of the address table (`nodeCount` × u64); -1 until it is reached. */
  addressesAt: number;
}

export const MEMORY_GRAPH_TYPE = 'Graphs.MemoryGraph';

/** Reads the fields of a `Graphs.MemoryGraph` object (reference §5). */
export interface GraphReadOptions {
  /** Read the 8-byte-per-node address table (needed for graphs, not for statistics). */
  addresses: boolean;
  /**
   * Skip the offset table and the blob instead of reading them (a reader then streams them
   * through `layout`); the bytes are checked to exist, nothing else.
   */
  skipTables?: boolean;
}

export function readMemoryGraph(
  r: ByteReader,
  fs: FastSerializationStream,
  type: TypeDescriptor,
  opts: GraphReadOptions,
): RawMemoryGraph {
  if (type.minReaderVersion > 1) {
    r.fail(
      `this file's ${MEMORY_GRAPH_TYPE} needs reader version ${type.minReaderVersion}; heapgate reads up to version 1`,
    );
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
  const skip = opts.skipTables === true;
  let nodeOffsets: Uint32Array = new Uint32Array(0);
  if (skip) r.skip(nodeCount * 4, 'node offset table');
  else nodeOffsets = readU32Table(r, nodeCount, 'node offset table');

  const blobLength = r.count('node blob length', 1);
  const blobFileOffset = r.pos;
  let blob: Uint8Array = new Uint8Array(0);
  if (skip) r.skip(blobLength, 'node blob');
  else blob = r.slice(blobLength, 'node blob');
  for (let i = 0; i < nodeOffsets.length; i++) {
    if (nodeOffsets[i] >= blobLength) {
      r.fail(
        `node ${i}'s record offset ${nodeOffsets[i]} is outside the ${blobLength}-byte node blob`,
        offsetsAt + i * 4,
      );
    }
  }

  const deferredTypeIds: number[] = [];
  if (type.minReaderVersion >= 1) readDeferredTypes(r, fs, deferredTypeIds);

  const addressCountAt = r.pos;
  const addressCount = r.count('address count', 8);
  if (addressCount !== nodeCount) {
    r.fail(`address count ${addressCount} differs from node count ${nodeCount}`, addressCountAt);
  }
  let addresses: Float64Array | undefined;
  const addressesAt = r.pos;
  if (opts.addresses) addresses = readAddressTable(r, nodeCount);
  else r.skip(nodeCount * 8, 'address table');

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
    layout: { nodeCount, offsetsAt, blobAt: blobFileOffset, blobLength, addressesAt },
    addresses,
    is64Bit,
    deferredTypeIds,
  };
}

// Typed arrays use the host's byte order; the file is little-endian.
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reads a u32 table straight into its typed array (one copy, none on the side for lazy files). */
function readU32Table(r: ByteReader, n: number, what: string): Uint32Array {
  if (n * 4 > r.remaining) r.need(n * 4, what);
  const out = new Uint32Array(n);
  r.readInto(new Uint8Array(out.buffer), what);
  if (!LITTLE_ENDIAN_HOST) {
    const v = new DataView(out.buffer);
    for (let i = 0; i < n; i++) out[i] = v.getUint32(i * 4, true);
  }
  return out;
}

/** Reads the i64 address table as doubles (exact for every user-mode address). */
function readAddressTable(r: ByteReader, n: number): Float64Array {
  if (n * 8 > r.remaining) r.need(n * 8, 'address table');
  const raw = new Uint8Array(n * 8);
  r.readInto(raw, 'address table');
  return decodeAddresses(raw, new Float64Array(n));
}

/** Little-endian u64 addresses in `raw` as doubles into `out`. */
export function decodeAddresses(raw: Uint8Array, out: Float64Array): Float64Array {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < out.length; i++)
    out[i] = v.getUint32(i * 8 + 4, true) * 4294967296 + v.getUint32(i * 8, true);
  return out;
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
