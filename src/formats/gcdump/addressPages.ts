import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FormatError } from '../../errors.js';
import type { NodeAddresses } from '../../model/snapshot.js';
import { decodeAddresses } from './memoryGraph.js';

/** Addresses per page: 32 KiB of the file. */
const PAGE = 4096;
/** Pages kept decoded (8 MiB): enough for a sequential sweep and the objects a report prints. */
const KEPT = 256;

/**
 * The address table left in the file and read a page at a time when an address is asked for:
 * at ten million objects that is 80 MB not held for the few objects a report prints. The file is
 * reopened per page read, and refused if its size changed since it was read.
 */
export function addressPages(
  path: string,
  fileSize: number,
  tableAt: number,
  nodeCount: number,
): NodeAddresses {
  const pages = new Map<number, Float64Array>();
  const load = (page: number): Float64Array => {
    const first = page * PAGE;
    const count = Math.min(PAGE, nodeCount - first);
    const raw = new Uint8Array(count * 8);
    const at = tableAt + first * 8;
    const fd = openSync(path, 'r');
    try {
      if (fstatSync(fd).size !== fileSize) {
        throw new FormatError(path, at, 'the file changed after it was read: read it again');
      }
      let done = 0;
      while (done < raw.length) {
        const n = readSync(fd, raw, done, raw.length - done, at + done);
        if (n === 0)
          throw new FormatError(
            path,
            at + done,
            'the address table ends early: the file changed after it was read',
          );
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    const decoded = decodeAddresses(raw, new Float64Array(count));
    if (pages.size >= KEPT) pages.delete(pages.keys().next().value as number);
    pages.set(page, decoded);
    return decoded;
  };
  return {
    of(node) {
      const page = Math.floor(node / PAGE);
      return (pages.get(page) ?? load(page))[node - page * PAGE];
    },
  };
}
