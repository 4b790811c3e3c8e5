import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `500ms`, `90s`, `2m`, `1h` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (match === null) throw new UsageError(`invalid ${what} "${text}": use e.g. 500ms, 90s, 2m or 1h`);
  const ms = Number(match[1]) * UNITS[(match[2] ?? 's').toLowerCase()];
  if (!Number.isFinite(ms) || ms <= 0)
    throw new UsageError(`invalid ${what} "${text}": must be greater than zero`);
  return Math.round(ms);
}
