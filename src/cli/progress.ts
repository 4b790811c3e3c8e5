import { formatBytes } from '../report/format.js';

/** A one-line progress indicator on stderr, shown only when stderr is a terminal. */
export function stderrProgress(label: string): ((fraction: number) => void) & { done(): void } {
  const tty = process.stderr.isTTY === true;
  let last = -1;
  const update = (fraction: number) => {
    if (!tty) return;
    const pct = Math.floor(fraction * 100);
    if (pct === last) return;
    last = pct;
    process.stderr.write(`\r${label} ${pct}%`);
  };
  return Object.assign(update, {
    done() {
      if (tty && last >= 0) process.stderr.write('\r\x1b[K');
    },
  });
}

/** One wording, for collect and soak alike, of a snapshot written at a checkpoint. */
export function collectedLine(s: { kind: string; label: string; bytes: number }): string {
  return `heapgate: collected ${s.kind} at checkpoint "${s.label}" (${formatBytes(s.bytes)})`;
}
