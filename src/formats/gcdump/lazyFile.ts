import { closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import type { LazyPages } from './byteReader.js';
import { shrankError } from './fileReads.js';

// Small enough that the few scattered header fields a statistics read needs cost little to read.
const PAGE = 1 << 16;

export interface LazyFile {
  /** Spans the whole file; only pages passed through `pages.ensure` hold data. */
  bytes: Uint8Array;
  pages: LazyPages;
  /**
   * Starts reading `into.length` bytes at `at` into `into` on Node's thread pool; resolves to the
   * bytes read (fewer only at the end of the file). The bytes are not kept in `bytes`.
   */
  startRead(at: number, into: Uint8Array): Promise<number>;
  /** Closes the file once every read started is over. */
  close(): Promise<void>;
}

/**
 * Opens a file for random access without reading it: a zero-filled buffer of the file's size
 * (its untouched pages are never committed by the OS) filled in 64 KiB pages on demand. Readers
 * that touch only some regions (statistics skip the address table) then use only that memory.
 */
export function openLazyFile(file: string, onProgress?: (fraction: number) => void): LazyFile {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(size);
    const loaded = new Uint8Array(Math.ceil(size / PAGE));
    // Progress is how far into the file reading has got: readers move forward, skipping what they do not need.
    let reached = 0;
    const advance = (end: number) => {
      if (end <= reached) return;
      reached = end;
      onProgress?.(Math.min(1, reached / size));
    };
    // The size was taken at open: a read that ends early means the file shrank since.
    const readFully = (into: Uint8Array, at: number) => {
      let done = 0;
      while (done < into.length) {
        const n = readSync(fd, into, done, into.length - done, at + done);
        if (n === 0) throw shrankError(file, at + done, into.length - done);
        done += n;
      }
      return done;
    };
    // Reads under way: the descriptor must outlive them, even when the reader stopped at an error.
    const started = new Set<Promise<unknown>>();
    const startRead = (at: number, into: Uint8Array) => {
      const done = new Promise<number>((resolve, reject) => {
        let got = 0;
        const step = () =>
          read(fd, into, got, into.length - got, at + got, (err, n) => {
            if (err) return reject(err);
            got += n;
            if (n > 0 && got < into.length) return step();
            advance(at + got);
            resolve(got);
          });
        step();
      });
      const over: Promise<unknown> = done.then(
        () => started.delete(over),
        () => started.delete(over),
      );
      started.add(over);
      return done;
    };
    const pages: LazyPages = {
      ensure(start, end) {
        const last = Math.ceil(end / PAGE);
        for (let p = Math.floor(start / PAGE); p < last;) {
          if (loaded[p]) {
            p++;
            continue;
          }
          // A run of pages not yet read, in one read.
          let q = p + 1;
          while (q < last && !loaded[q]) q++;
          const at = p * PAGE;
          const to = Math.min(size, q * PAGE);
          readFully(bytes.subarray(at, to), at);
          loaded.fill(1, p, q);
          advance(to);
          p = q;
        }
      },
      copyInto(start, into) {
        readFully(into, start);
        advance(start + into.length);
      },
    };
    const close = async () => {
      while (started.size > 0) await Promise.all(started);
      closeSync(fd);
    };
    return { bytes, pages, startRead, close };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
