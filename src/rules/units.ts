/**
 * Quantities in rule files: byte sizes ("64KB", "1.5 MB", 1048576) and percentages ("10%").
 * Binary units (1 KB = 1024 bytes), as dotnet-gcdump, SOS and Visual Studio report heap sizes.
 */

const SIZE_RE = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|K|MB|MiB|M|GB|GiB|G)?\s*$/i;
const PERCENT_RE = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;

const UNIT: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** "64KB" -> 65536; a plain number is bytes. Undefined when the text is not a size. */
export function parseSize(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = SIZE_RE.exec(value);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT[(m[2] ?? '').toLowerCase()]);
}

/** "10%" -> 10. Undefined when the text is not a percentage. */
export function parsePercent(value: string): number | undefined {
  const m = PERCENT_RE.exec(value);
  return m ? Number(m[1]) : undefined;
}

export function isPercentText(value: unknown): value is string {
  return typeof value === 'string' && PERCENT_RE.test(value);
}
