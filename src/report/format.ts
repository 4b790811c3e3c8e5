/** Number formatting shared by the terminal and markdown renderers. */

let int: Intl.NumberFormat | undefined;

/**
 * 1234567 -> "1,234,567" (invariant, like .NET's N0; halves round away from zero). Grouped by
 * hand: loading ICU for `Intl.NumberFormat` costs more than `stat` spends on a million objects.
 */
export function formatInt(n: number): string {
  const whole = Math.round(Math.abs(n));
  if (!(whole < 1e21)) {
    int ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    return int.format(n); // NaN, infinities and exponent-sized numbers
  }
  const digits = String(whole);
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return sign + out;
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
