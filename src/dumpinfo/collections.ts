/**
 * Collection waste in a full dump: empty collections that keep storage (a List, Dictionary,
 * HashSet, Queue, Stack, ConcurrentDictionary, … with no elements but an allocated array), and
 * sparse reference arrays (at least `minLength` slots, at least `minNullShare` of them null; the
 * null slots are the waste), each by type and by the field holding them.
 */
import { canonicalTypeName } from '../model/typeNames.js';
import { count, listOf, optionalCount, record, text, type Json } from './answer.js';

export interface WasteGroup {
  /** A type name, or `Declaring.Type.field` (the array type for array elements). */
  name: string;
  count: number;
  wastedBytes: number;
  nullSlots?: number;
}

export interface WasteSection {
  objects: number;
  wastedBytes: number;
  nullSlots?: number;
  /** Objects no field or array element refers to (held by roots only). */
  unheld: number;
  types: WasteGroup[];
  holders: WasteGroup[];
}

export interface CollectionWaste {
  pointerSize: number;
  emptyCollections: WasteSection;
  sparseArrays: WasteSection & { minLength: number; minNullShare: number };
}

function groups(o: Json, key: 'types' | 'holders', path: string): WasteGroup[] {
  const name = key === 'types' ? 'type' : 'holder';
  return listOf(o, key, path, (g, p) => {
    const nullSlots = optionalCount(g, 'nullSlots', p);
    const raw = text(g, name, p);
    return {
      // Types spelled as `stat` and the rules spell them; a holder is `Declaring.Type.field` as written.
      name: key === 'types' ? canonicalTypeName(raw, 'sos') : raw,
      count: count(g, 'count', p),
      wastedBytes: count(g, 'wastedBytes', p),
      ...(nullSlots === undefined ? {} : { nullSlots }),
    };
  });
}

function section(o: Json, key: string): WasteSection {
  const s = record(o[key], `collections.${key}`);
  const path = `collections.${key}`;
  const nullSlots = optionalCount(s, 'nullSlots', path);
  return {
    objects: count(s, 'objects', path),
    wastedBytes: count(s, 'wastedBytes', path),
    ...(nullSlots === undefined ? {} : { nullSlots }),
    unheld: count(s, 'unheld', path),
    types: groups(s, 'types', path),
    holders: groups(s, 'holders', path),
  };
}

export function decodeCollections(value: unknown): CollectionWaste {
  const o = record(value, 'collections');
  const sparse = record(o.sparseArrays, 'collections.sparseArrays');
  return {
    pointerSize: count(o, 'pointerSize', 'collections'),
    emptyCollections: section(o, 'emptyCollections'),
    sparseArrays: {
      ...section(o, 'sparseArrays'),
      minLength: count(sparse, 'minLength', 'collections.sparseArrays'),
      minNullShare: count(sparse, 'minNullShare', 'collections.sparseArrays'),
    },
  };
}
