/** `.gcdump` files (dotnet-gcdump, PerfView, Visual Studio): statistics, or the whole object graph. */
import { ascii } from '../head.js';
import type { SnapshotSource } from '../source.js';
import { readGcdumpFile } from './index.js';
import { openLazyFile } from './lazyFile.js';

const MAGIC = '!FastSerialization.1';

export const gcdumpSource: SnapshotSource = {
  name: '.gcdump',
  formats: ['gcdump'],
  detect: (head) => (head.length >= 24 && ascii(head, 4, MAGIC.length) === MAGIC ? 'gcdump' : null),
  async read(file, opts) {
    const lazy = openLazyFile(file.path, opts.onProgress);
    try {
      return await readGcdumpFile(lazy, file.path, {
        graph: opts.graph,
        unreachable: opts.unreachable,
        addressesOnDemand: true,
      });
    } finally {
      await lazy.close();
    }
  },
};
