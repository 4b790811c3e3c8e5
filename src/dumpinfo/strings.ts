/**
 * `heapgate stat --strings`: string values held more than once, with the bytes the extra copies
 * waste and the fields holding them (SOS !DumpHeap -strings, with holders).
 */
import { count, listOf, record, text } from './answer.js';

export interface StringHolder {
  /** `Declaring.Type.field`, or the array type for array elements. */
  holder: string;
  count: number;
}

export interface DuplicateString {
  /** The value (its first 1,024 characters). */
  value: string;
  length: number;
  count: number;
  /** Size of one copy. */
  size: number;
  totalBytes: number;
  /** totalBytes minus one copy: what interning or sharing the value would save. */
  wastedBytes: number;
  holders: StringHolder[];
}

export interface StringReport {
  strings: number;
  stringBytes: number;
  distinctValues: number;
  duplicatedValues: number;
  wastedBytes: number;
  /** The values wasting most, most first. */
  duplicates: DuplicateString[];
}

export function decodeStrings(value: unknown): StringReport {
  const o = record(value, 'strings');
  return {
    strings: count(o, 'strings', 'strings'),
    stringBytes: count(o, 'stringBytes', 'strings'),
    distinctValues: count(o, 'distinctValues', 'strings'),
    duplicatedValues: count(o, 'duplicatedValues', 'strings'),
    wastedBytes: count(o, 'wastedBytes', 'strings'),
    duplicates: listOf(o, 'duplicates', 'strings', (d, p) => ({
      value: text(d, 'value', p),
      length: count(d, 'length', p),
      count: count(d, 'count', p),
      size: count(d, 'size', p),
      totalBytes: count(d, 'totalBytes', p),
      wastedBytes: count(d, 'wastedBytes', p),
      holders: listOf(d, 'holders', p, (h, q) => ({
        holder: text(h, 'holder', q),
        count: count(h, 'count', q),
      })),
    })),
  };
}
