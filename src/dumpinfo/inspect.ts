/**
 * `heapgate inspect`: one object of a full dump with its fields and values, array elements or
 * string text, following references `-r N` levels (SOS !DumpObject, !DumpArray, !DumpVC, SOSEX !mdt -r).
 */
import { UsageError } from '../errors.js';
import { count, listOf, optionalCount, optionalText, record, text, type Json } from './answer.js';

export interface Value {
  /** reference, primitive, struct (stored inline), or unknown. */
  kind: string;
  /** Address (hex) of a reference or inline struct; a primitive's value as text. */
  value: string;
  targetType?: string;
  /** Text of a referenced string. */
  string?: string;
  /** The referenced object, when followed (-r). */
  object?: InspectedObject;
  /** Fields of an inline struct, when followed (-r). */
  fields?: Field[];
}

export interface Field extends Value {
  name: string;
  type: string;
  offset: number;
}

export interface Element extends Value {
  index: number;
}

export interface InspectedObject {
  address: string;
  type: string;
  methodTable: string;
  size: number;
  generation?: string;
  module?: string;
  free: boolean;
  string?: string;
  length?: number;
  array?: { length: number; rank: number; elementType: string; elements: Element[] };
  fields: Field[];
}

/** An address as users paste it (0x prefix, WinDbg backtick, leading zeros) as plain lower-case hex. */
export function parseAddress(arg: string): string {
  const hex = arg.trim().replace(/^0x/i, '').replace('`', '');
  if (!/^[0-9a-f]{1,16}$/i.test(hex))
    throw new UsageError(`'${arg}' is not an object address (hex, e.g. 7f42bbc0a468 or 0x00007f42bbc0a468)`);
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

function decodeValue(v: Json, p: string): Value {
  const object = v.object === undefined ? undefined : decodeObject(v.object, `${p}.object`);
  return {
    kind: text(v, 'kind', p),
    value: optionalText(v, 'value', p) ?? '',
    targetType: optionalText(v, 'targetType', p),
    string: optionalText(v, 'string', p),
    object,
    fields: v.fields === undefined ? undefined : listOf(v, 'fields', p, decodeField),
  };
}

function decodeField(f: Json, p: string): Field {
  return {
    ...decodeValue(f, p),
    name: text(f, 'name', p),
    type: text(f, 'type', p),
    offset: count(f, 'offset', p),
  };
}

export function decodeObject(value: unknown, p = 'object'): InspectedObject {
  const o = record(value, p);
  const a = o.array === undefined ? undefined : record(o.array, `${p}.array`);
  return {
    address: text(o, 'address', p),
    type: text(o, 'type', p),
    methodTable: text(o, 'methodTable', p),
    size: count(o, 'size', p),
    generation: optionalText(o, 'generation', p),
    module: optionalText(o, 'module', p),
    free: o.free === true,
    string: optionalText(o, 'string', p),
    length: optionalCount(o, 'length', p),
    array:
      a === undefined
        ? undefined
        : {
            length: count(a, 'length', `${p}.array`),
            rank: count(a, 'rank', `${p}.array`),
            elementType: text(a, 'elementType', `${p}.array`),
            elements: listOf(a, 'elements', `${p}.array`, (e, q) => ({
              ...decodeValue(e, q),
              index: count(e, 'index', q),
            })),
          },
    fields: o.fields === undefined ? [] : listOf(o, 'fields', p, decodeField),
  };
}
