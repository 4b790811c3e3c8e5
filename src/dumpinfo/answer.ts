/** Shape checks for the ClrMD reader's JSON answers: a malformed answer is a tool error, never a crash. */
import { ToolError } from '../errors.js';

export type Json = Record<string, unknown>;

function bad(path: string, want: string): never {
  throw new ToolError(`the ClrMD reader's answer is malformed: ${path} is not ${want}`);
}

export function record(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(path, 'an object');
  return value as Json;
}

export function list(o: Json, key: string, path: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) bad(`${path}.${key}`, 'a list');
  return v;
}

export function text(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') bad(`${path}.${key}`, 'a string');
  return v;
}

export function optionalText(o: Json, key: string, path: string): string | undefined {
  return o[key] === undefined ? undefined : text(o, key, path);
}

export function count(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(`${path}.${key}`, 'a count');
  return v;
}

export function optionalCount(o: Json, key: string, path: string): number | undefined {
  return o[key] === undefined ? undefined : count(o, key, path);
}

export function flag(o: Json, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') bad(`${path}.${key}`, 'true or false');
  return v;
}

/** Each element of `o[key]` decoded by `each`, with its index in the path. */
export function listOf<T>(o: Json, key: string, path: string, each: (v: Json, path: string) => T): T[] {
  return list(o, key, path).map((v, i) => each(record(v, `${path}.${key}[${i}]`), `${path}.${key}[${i}]`));
}
