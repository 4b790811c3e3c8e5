/** Object addresses as SOS prints and accepts them (`0x7f12a4c0`), and lookups by address. */
import { UsageError } from '../errors.js';
import type { HeapGraph } from '../model/snapshot.js';
import { NodeFlag } from '../model/snapshot.js';

export function formatAddress(address: number): string {
  return `0x${address.toString(16)}`;
}

/** Accepts `0x7f12a4c0`, `7f12a4c0` and SOS's zero-padded `00007f12a4c0`. */
export function parseAddress(text: string): number {
  const hex = text.trim().replace(/^0x/i, '').replace(/`/g, '');
  if (!/^[0-9a-f]{1,16}$/i.test(hex)) {
    throw new UsageError(`'${text}' is not an object address; expected hex such as 0x7f12a4c0de80`);
  }
  const value = BigInt(`0x${hex}`);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`address ${text} is out of range`);
  return Number(value);
}

/** Node index of the object at `address`, or -1 (pseudo-nodes have no address). */
export function findNodeByAddress(graph: HeapGraph, address: number): number {
  if (address === 0) return -1;
  const { nodeAddress, nodeFlags } = graph;
  for (let v = 0; v < graph.nodeCount; v++) {
    if (nodeAddress.of(v) === address && (nodeFlags[v] & NodeFlag.Pseudo) === 0) return v;
  }
  return -1;
}
