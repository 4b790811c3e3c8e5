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
 * Names inside generic arguments keep their `+` in both tools.
 */
export function sosNameAsGcdump(sos: string): string {
  const s = sos.trim();
  // Trailing array ranks: `[]`, `[,]`, `[][]`...
  const arrays = /((?:\[,*\])*)$/.exec(s)![1];
  const base = s.slice(0, s.length - arrays.length);
  const ranks = (arrays.match(/\[,*\]/g) ?? [])
    .map((r) => (r === '[]' ? '[]' : `<${r.slice(1, -1)}>`))
    .join('');
  // Split the top-level name into its `+`-separated nesting parts, each with its own arguments.
  const parts: { name: string; args: string[] }[] = [];
  let depth = 0;
  let current = '';
  const flush = () => {
    const lt = current.indexOf('<');
    if (lt < 0) parts.push({ name: current, args: [] });
    else parts.push({ name: current.slice(0, lt), args: splitArgs(current.slice(lt + 1, -1)) });
    current = '';
  };
  for (let i = 0; i < base.length; i++) {
    const c = base[i];
    if (c === '<' && current === '') {
      // A compiler-generated name such as `<>c` or `<Run>d__3`: its brackets are not arguments.
      const close = base.indexOf('>', i);
      current = `[${base.slice(i + 1, close)}]`;
      i = close;
      continue;
    }
    if (c === '<') depth++;
    else if (c === '>') depth--;
    if (c === '+' && depth === 0) flush();
    else current += c;
  }
  flush();
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
  return out.map((a) => a.replace(/, /g, ','));
}
