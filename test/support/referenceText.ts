/**
 * Readers of the reference tools' text output, for tests that use those tools as oracles.
 *
 * Written independently of heapgate's own readers (src/formats/sos, src/model/typeNames): a test
 * that checks heapgate against `dotnet-dump analyze` or `dotnet-gcdump report` must not share the
 * code it checks. Each reader is strict: a line it does not expect inside a table throws, and
 * every table's rows must add up to the total the tool prints, so a change of the tools' layout
 * fails loudly instead of silently dropping rows.
 */

/** One type's row as a reference tool prints it. */
export interface RefRow {
  count: number;
  bytes: number;
}

const num = (s: string): number => Number(s.replaceAll(',', ''));

/** One `Statistics:` table of SOS `dumpheap -stat` (rows by printed class name, Free included). */
export interface SosStatTable {
  rows: Map<string, RefRow>;
  total: RefRow;
}

/**
 * Every `dumpheap -stat` table in `text` (one per command, in order), e.g. the output of
 * `dotnet-dump analyze <dump> -c "dumpheap -stat -live" -c "dumpheap -stat -dead" -c exit`.
 * Rows of one name (several method tables print the same name) are added together.
 */
export function sosStatTables(text: string): SosStatTable[] {
  const tables: SosStatTable[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== 'Statistics:') continue;
    if (!/^\s*MT\s+Count\s+TotalSize\s+Class Name\s*$/.test(lines[++i] ?? ''))
      throw new Error(`dumpheap -stat: no column header after "Statistics:" at line ${i + 1}`);
    const rows = new Map<string, RefRow>();
    for (i++; ; i++) {
      const line = lines[i];
      if (line === undefined) throw new Error('dumpheap -stat: table without a "Total" line');
      const total = /^Total ([\d,]+) objects, ([\d,]+) bytes$/.exec(line.trim());
      if (total !== null) {
        const table = { rows, total: { count: num(total[1]), bytes: num(total[2]) } };
        const sum = [...rows.values()].reduce(
          (a, r) => ({ count: a.count + r.count, bytes: a.bytes + r.bytes }),
          {
            count: 0,
            bytes: 0,
          },
        );
        if (sum.count !== table.total.count || sum.bytes !== table.total.bytes)
          throw new Error(
            `dumpheap -stat: rows add up to ${sum.count} objects, ${sum.bytes} bytes, the total says ${line.trim()}`,
          );
        tables.push(table);
        break;
      }
      const row = /^\s*([0-9a-f]{8,16})\s+([\d,]+)\s+([\d,]+) (.+)$/.exec(line);
      if (row === null)
        throw new Error(`dumpheap -stat: unexpected line ${i + 1} in a table: ${JSON.stringify(line)}`);
      const name = row[4].trim();
      const prev = rows.get(name) ?? { count: 0, bytes: 0 };
      rows.set(name, { count: prev.count + num(row[2]), bytes: prev.bytes + num(row[3]) });
    }
  }
  return tables;
}

/** Segment addresses of the NonGC (frozen) heap in SOS `eeheap -gc` output. */
export function sosNonGcSegments(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === 'NonGC heap');
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 2)) {
    const m = /^\s*([0-9a-f]{8,16})\s+[0-9a-f]{8,16}\s+[0-9a-f]{8,16}\s+[0-9a-f]{8,16}\s+0x/.exec(line);
    if (m === null) break;
    out.push(m[1]);
  }
  return out;
}

/**
 * SOS's spelling of a type name turned into the one dotnet-gcdump writes (which is what heapgate
 * reports for a .gcdump). What differs, as the two tools print the same type:
 *
 * | SOS                                                     | dotnet-gcdump                        |
 * |---------------------------------------------------------|--------------------------------------|
 * | `System.Collections.Generic.Dictionary<System.Int32, X>` | `...Dictionary<System.Int32,X>`      |
 * | `System.Collections.Generic.Dictionary<K, V>+Entry[]`   | `Entry<K,V>[]` (innermost name only, the enclosing type's arguments moved to it) |
 * | `System.RuntimeType+RuntimeTypeCache`                    | `RuntimeTypeCache`                   |
 * | `System.Type+<>c`, `Pool<System.Char>+<>c`              | `[]c`, `[]c<System.Char>`            |
 * | `System.String[,]`                                      | `System.String<,>`                   |
 *
 * Names inside generic arguments keep their `+` in both tools, and the arguments of every nesting
 * level move to the end: SOS `List<Ns.Top<System.Char>+Mid>` is dotnet-gcdump's
 * `List<Ns.Top+Mid<System.Char>>` (on .NET 8, `SharedArrayPool<T>+ThreadLocalArray` is such a type).
 */
export function sosNameAsGcdump(sos: string): string {
  const s = sos.trim();
  // Trailing array ranks: `[]`, `[,]`, `[][]`...
  const arrays = /((?:\[,*\])*)$/.exec(s)![1];
  const base = s.slice(0, s.length - arrays.length);
  const ranks = (arrays.match(/\[,*\]/g) ?? [])
    .map((r) => (r === '[]' ? '[]' : `<${r.slice(1, -1)}>`))
    .join('');
  // dotnet-gcdump spells a compiler-generated part `<>c` as `[]c`.
  const parts = nestingParts(base, (generated) => `[${generated.slice(1, -1)}]`);
  const args = parts.flatMap((p) => p.args);
  const name = parts[parts.length - 1].name;
  return `${name}${args.length > 0 ? `<${args.join(',')}>` : ''}${ranks}`;
}

/** Top-level comma-separated generic arguments, each trimmed (inner arguments keep SOS's ", "→","). */
function splitArgs(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of inner) {
    if (c === '<' || c === '[') depth++;
    if (c === '>' || c === ']') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out.map(argAsGcdump);
}

/**
 * One generic argument in dotnet-gcdump's spelling: its `+`-separated nesting parts keep their
 * names and `+`, the arguments of all parts (each spelled the same way) follow the last one.
 */
function argAsGcdump(arg: string): string {
  const arrays = /((?:\[,*\])*)$/.exec(arg)![1];
  const base = arg.slice(0, arg.length - arrays.length);
  const parts = nestingParts(base, (generated) => generated);
  const names = parts.map((p) => p.name);
  const args = parts.flatMap((p) => p.args);
  return `${names.join('+')}${args.length > 0 ? `<${args.join(',')}>` : ''}${arrays}`;
}

/**
 * The `+`-separated nesting parts of a name without array ranks, each with its own generic
 * arguments in dotnet-gcdump's spelling. A compiler-generated part (`<>c`, `<RunAsync>d__1`) is
 * kept as `generated` spells it: its brackets are not arguments.
 */
function nestingParts(base: string, generated: (name: string) => string): { name: string; args: string[] }[] {
  const parts: { name: string; args: string[] }[] = [];
  let depth = 0;
  let current = '';
  const flush = () => {
    const lt = current.indexOf('<', current.startsWith('<') ? current.indexOf('>') + 1 : 0);
    if (lt < 0) parts.push({ name: current, args: [] });
    else parts.push({ name: current.slice(0, lt), args: splitArgs(current.slice(lt + 1, -1)) });
    current = '';
  };
  for (let i = 0; i < base.length; i++) {
    const c = base[i];
    if (c === '<' && current === '') {
      const close = base.indexOf('>', i);
      current = generated(base.slice(i, close + 1));
      i = close;
      continue;
    }
    if (c === '<') depth++;
    else if (c === '>') depth--;
    if (c === '+' && depth === 0) flush();
    else current += c;
  }
  flush();
  return parts;
}

/** One row of `dotnet-gcdump report`: the size of one instance, the count, the type and its module. */
export interface GcdumpReportRow {
  size: number;
  count: number;
  /** As printed, without the size-bucket suffix such as ` (Bytes > 10K)`. */
  name: string;
  module: string | undefined;
}

/** `dotnet-gcdump report <file>` text: the two header totals and one row per type index. */
export interface GcdumpReportText {
  /** "GC Heap bytes": the sum of every object's size. */
  heapBytes: number;
  /** "GC Heap objects": every node of the file's graph, root pseudo-nodes included. */
  heapObjects: number;
  rows: GcdumpReportRow[];
  /** Instance count per name, size buckets of one type added together. */
  counts: Map<string, number>;
}

export function gcdumpReportText(text: string): GcdumpReportText {
  const lines = text.split(/\r?\n/);
  const header = (i: number, what: string): number => {
    const m = new RegExp(`^\\s*([\\d,]+)\\s+${what}$`).exec(lines[i] ?? '');
    if (m === null) throw new Error(`dotnet-gcdump report: line ${i + 1} is not "${what}": ${lines[i]}`);
    return num(m[1]);
  };
  const heapBytes = header(0, 'GC Heap bytes');
  const heapObjects = header(1, 'GC Heap objects');
  if (lines[2].trim() !== '' || !/^\s*Object Bytes\s+Count\s+Type$/.test(lines[3]))
    throw new Error('dotnet-gcdump report: no column header after the totals');
  const rows: GcdumpReportRow[] = [];
  const counts = new Map<string, number>();
  for (let i = 4; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const m = /^\s*([\d,]+)\s+([\d,]+) {2}(.+?)(?: \(Bytes > [\d.]+[KMG]?\))?(?: {2}\[([^\]]*)\])?$/.exec(
      lines[i],
    );
    if (m === null)
      throw new Error(`dotnet-gcdump report: unexpected line ${i + 1}: ${JSON.stringify(lines[i])}`);
    const row = { size: num(m[1]), count: num(m[2]), name: m[3], module: m[4] };
    rows.push(row);
    counts.set(row.name, (counts.get(row.name) ?? 0) + row.count);
  }
  return { heapBytes, heapObjects, rows, counts };
}

/** One root path of SOS `gcroot`: the root as printed and the objects from it to the target. */
export interface SosGcrootPath {
  /** Section the root is listed under, e.g. "HandleTable" or "Thread 2c4f". */
  section: string;
  /** The root's line(s), trimmed, e.g. "00007fad4f6d13e8 (strong handle)". */
  root: string;
  steps: { address: string; type: string; note?: string }[];
}

/**
 * SOS `gcroot <address>` text (dotnet-dump): sections ("HandleTable:", "Thread …:", …), each
 * root as one or more indented lines, then `-> <address> <type> [(note)]` per object, and
 * "Found N unique roots." Addresses come back as `0x` + lower-case hex without leading zeros.
 */
export function sosGcrootText(text: string): { paths: SosGcrootPath[]; found: number } {
  const paths: SosGcrootPath[] = [];
  let found: number | undefined;
  let section = '';
  let root: string[] = [];
  let current: SosGcrootPath | undefined;
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    if (/^(Loading core dump|Caching GC roots|Subsequent runs of this command)/.test(line)) continue;
    const total = /^Found ([\d,]+) unique roots?\.?$/.exec(line.trim());
    if (total !== null) {
      found = num(total[1]);
      continue;
    }
    const step = /^\s+->\s+([0-9a-fA-F]+)\s+(.+?)\s*$/.exec(line);
    if (step !== null) {
      if (current === undefined) {
        if (root.length === 0) throw new Error(`gcroot: line ${i + 1}: an object before any root`);
        current = { section, root: root.join(' '), steps: [] };
        paths.push(current);
        root = [];
      }
      const typed = /^(.+?)(?:\s+\(([a-z][^()]*)\))?$/.exec(step[2])!;
      current.steps.push({
        address: `0x${BigInt(`0x${step[1]}`).toString(16)}`,
        type: typed[1],
        ...(typed[2] === undefined ? {} : { note: typed[2] }),
      });
      continue;
    }
    current = undefined;
    if (/^\S.*:$/.test(line)) {
      section = line.slice(0, -1).trim();
      root = [];
    } else if (/^\s/.test(line)) root.push(line.trim());
    else throw new Error(`gcroot: unexpected line ${i + 1}: ${JSON.stringify(line)}`);
  }
  if (found === undefined) throw new Error('gcroot: no "Found N unique roots" line');
  return { paths, found };
}

/** Instance count per type in `dotnet-gcdump report` text (size buckets of one type added). */
export function reportCounts(report: string): Map<string, number> {
  return gcdumpReportText(report).counts;
}

/** The "GC Heap objects" total of `dotnet-gcdump report` text. */
export function reportTotalObjects(report: string): number {
  return gcdumpReportText(report).heapObjects;
}

/**
 * dotnet-gcdump's spelling turned into the canonical one heapgate names types by, for the two
 * things dotnet-gcdump loses: `<>` of compiler-generated names (`[]c` → `<>c`) and array ranks
 * (`System.Int32<,>` → `System.Int32[,]`). Canonical names are left as they are.
 */
export function gcdumpNameAsCanonical(name: string): string {
  return name.replace(/(^|[.+<,])\[\]/g, '$1<>').replace(/<(,+)>/g, '[$1]');
}
