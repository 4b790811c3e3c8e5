/**
 * Type-name helpers shared by every reader so that the same CLR type compares equal
 * whichever tool produced the snapshot.
 */
import { parseTypeName, renderCanonical } from './clrTypeName.js';

// dotnet-gcdump and PerfView split big objects into one type-table entry per size bucket:
// "System.Byte[] (Bytes > 10K)"; older PerfView files add "(Ptrs,ElemSize=4)" style markers.
const SIZE_BUCKET_SUFFIX =
  / \((?:Bytes > \d+[KMG]?(?:,Ptrs)?(?:,ElemSize=\d+)?|Ptrs(?:,ElemSize=\d+)?|ElemSize=\d+)\)$/;

/** "System.Byte[] (Bytes > 10K)" -> "System.Byte[]". Names without a bucket are returned as is. */
export function stripSizeBucket(name: string): string {
  return name.replace(SIZE_BUCKET_SUFFIX, '');
}

/** Which tool spelled a type name; every source canonicalises to the same form. */
export type TypeNameSource = 'gcdump' | 'sos' | 'gcdump-report' | 'any';

const NEEDS_PARSE = /[`[\]<>+/,]/;

/**
 * The spelling used as the key of per-type statistics, equal for the same CLR type whichever
 * tool named it (dotnet-gcdump, SOS of any generation, `dotnet-gcdump report`).
 *
 * dotnet-gcdump keeps less information than SOS — a nested type is named by its innermost
 * simple name and generic arguments are flattened (`Dictionary<K,V>+Entry[]` becomes
 * `Entry<K,V>[]`) — so the canonical form follows it, except that gcdump's manglings that can
 * be undone are: `System.Int32<,>` -> `System.Int32[,]`, `[]c__DisplayClass0_0` -> `<>c__DisplayClass0_0`.
 * Size-bucket suffixes are removed. Names that are not type names (pseudo nodes, `Free`,
 * `UNKNOWN 0x...`) are returned trimmed, with runs of spaces collapsed.
 */
export function canonicalTypeName(name: string, _source: TypeNameSource = 'any'): string {
  const bare = monoNesting(stripSizeBucket(name.trim()).replace(/[‹›]/g, (q) => (q === '‹' ? '<' : '>')));
  if (!NEEDS_PARSE.test(bare)) return bare;
  const parsed = parseTypeName(bare);
  return parsed ? renderCanonical(parsed) : bare.replace(/\s+/g, ' ');
}

/**
 * Generic collections whose nested types Mono names by a dotted path
 * (`System.Collections.Generic.Dictionary.Entry<K,V>[]`) where CoreCLR's gcdump names the nested type
 * alone (`Entry<K,V>[]`). A dotted path cannot tell a namespace from an enclosing type in general,
 * so only these well-known enclosing types are undone.
 */
const MONO_OUTER_TYPES = new Set(
  [
    'System.Collections.Generic.Dictionary',
    'System.Collections.Generic.HashSet',
    'System.Collections.Generic.List',
    'System.Collections.Generic.Queue',
    'System.Collections.Generic.Stack',
    'System.Collections.Generic.LinkedList',
    'System.Collections.Generic.SortedDictionary',
    'System.Collections.Generic.SortedList',
    'System.Collections.Generic.SortedSet',
    'System.Collections.Generic.PriorityQueue',
    'System.Collections.Concurrent.ConcurrentDictionary',
    'System.Collections.Concurrent.ConcurrentQueue',
    'System.Collections.Concurrent.ConcurrentStack',
    'System.Collections.Concurrent.ConcurrentBag',
    'System.Collections.ObjectModel.ReadOnlyDictionary',
  ].map((n) => `${n}.`),
);

/** `System.Collections.Generic.Dictionary.Entry<…>` → `Entry<…>` (see MONO_OUTER_TYPES). */
function monoNesting(name: string): string {
  if (!name.startsWith('System.Collections.')) return name;
  const end = name.search(/[<[`]/);
  const path = end < 0 ? name : name.slice(0, end);
  const cut = path.lastIndexOf('.');
  if (cut < 0 || !MONO_OUTER_TYPES.has(path.slice(0, cut + 1))) return name;
  return name.slice(cut + 1);
}
