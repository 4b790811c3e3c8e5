import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { LazyPages } from './byteReader.js';

// Small enough that the few scattered header fields a statistics read needs cost little to read.
const PAGE = 1 << 16;

export interface LazyFile {
  /** Spans the whole file; only pages passed through `pages.ensure` hold data. */
  bytes: Uint8Array;
  pages: LazyPages;
  close(): void;
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
    const readFully = (into: Uint8Array, at: number) => {
      let done = 0;
      while (done < into.length) {
        const n = readSync(fd, into, done, into.length - done, at + done);
        if (n === 0) break; // the file shrank while being read; the parser reports truncation
        done += n;
      }
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
    return { bytes, pages, close: () => closeSync(fd) };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
