/** Number formatting shared by the terminal and markdown renderers. */

// Created on first use: ICU start-up costs more than `stat --json` spends on a small snapshot.
let int: Intl.NumberFormat | undefined;

/** 1234567 -> "1,234,567" (invariant, like .NET's N0). */
export function formatInt(n: number): string {
  int ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return int.format(n);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const s = u === 0 ? String(v) : v.toFixed(v >= 100 ? 0 : 1);
  return `${n < 0 ? '-' : ''}${s} ${UNITS[u]}`;
}
