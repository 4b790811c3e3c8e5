/**
 * A full garbage collection on demand. A graph read leaves ~15 bytes per object of temporaries
 * (the node blob, the offset table, decode cursors) in ArrayBuffers that V8 frees only when it
 * collects their small JS wrappers, which its heuristics put off; the graph passes that follow
 * then add their own arrays on top. Collecting once between the two keeps the peak to what is
 * live. The collector is reached through a fresh context, so Node needs no --expose-gc flag.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

export function releaseGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
