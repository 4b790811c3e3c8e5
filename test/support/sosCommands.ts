/**
 * Test-only readers of SOS command output (dotnet-dump analyze, the C# "table" generation):
 * `eeheap -gc`, `gcheapstat`, `gchandles -stat`, the statistics of `dumpheap -strings` and
 * `dumpobj`. They are the independent side of the SOS-command tests, kept apart from heapgate's
 * own code on purpose.
 */

/** "1,234" / "1234" → 1234. */
const num = (s: string): number => Number(s.replace(/[,.\u00a0\u202f ]/g, ''));

export interface SosSegmentRow {
  section: string;
  segment: string;
  begin: string;
  allocated: string;
  committed: string;
  allocatedSize: number;
  committedSize: number;
}

export interface SosEEHeap {
  segments: SosSegmentRow[];
  allocatedTotal: number;
  committedTotal: number;
}

export function sosEEHeap(text: string): SosEEHeap {
  const segments: SosSegmentRow[] = [];
  let section = '';
  let allocatedTotal = NaN;
  let committedTotal = NaN;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^(Small object heap|Large object heap|Pinned object heap|NonGC heap|Frozen object heap)/.test(line))
      section = line;
    const total = /^GC (Allocated|Committed) Heap Size:\s+Size:\s+0x[0-9a-f]+\s*\((\d+)\) bytes/i.exec(line);
    if (total) {
      if (total[1] === 'Allocated') allocatedTotal = Number(total[2]);
      else committedTotal = Number(total[2]);
      continue;
    }
    const row = /^([0-9a-f]{8,16})\s+([0-9a-f]{8,16})\s+([0-9a-f]{8,16})\s+([0-9a-f]{8,16})(.*)$/i.exec(line);
    if (!row) continue;
    // Size cells are "0x<hex> (<dec>)", blank when zero: allocated size first, then committed.
    const sizes = [...row[5].matchAll(/0x[0-9a-f]+\s*\((\d+)\)/gi)].map((m) => Number(m[1]));
    const allocated = BigInt(`0x${row[3]}`) - BigInt(`0x${row[2]}`);
    const allocatedSize = allocated === 0n ? 0 : (sizes.shift() ?? NaN);
    segments.push({
      section,
      segment: row[1].toLowerCase(),
      begin: row[2].toLowerCase(),
      allocated: row[3].toLowerCase(),
      committed: row[4].toLowerCase(),
      allocatedSize,
      committedSize: sizes.shift() ?? 0,
    });
  }
  return { segments, allocatedTotal, committedTotal };
}

export interface SosHeapStat {
  /** Header words (Gen0, Gen1, Gen2, LOH, POH, …) → the Total row of each block. */
  allocated: Map<string, number>;
  free: Map<string, number>;
  committed: Map<string, number>;
}

/** `gcheapstat`: the Total rows of its blocks (rows have fewer fields than the header: FRZ is not written). */
export function sosHeapStat(text: string): SosHeapStat {
  const blocks: Map<string, number>[] = [];
  let header: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const words = raw.trim().split(/\s+/);
    if (words[0] === 'Heap') header = words.slice(1);
    else if (words[0] === 'Total' && header.length > 0) {
      const m = new Map<string, number>();
      words.slice(1).forEach((w, i) => {
        if (/^\d+$/.test(w) && header[i] !== undefined) m.set(header[i], Number(w));
      });
      blocks.push(m);
    }
  }
  const [allocated = new Map(), free = new Map(), committed = new Map()] = blocks;
  return { allocated, free, committed };
}

export interface SosHandleStat {
  /** Class name → handles and total size of their targets. */
  types: Map<string, { count: number; bytes: number }>;
  /** "Strong Handles" → 10 … */
  kinds: Map<string, number>;
}

export function sosGcHandlesStat(text: string): SosHandleStat {
  const types = new Map<string, { count: number; bytes: number }>();
  const kinds = new Map<string, number>();
  let inStats = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === 'Statistics:') inStats = true;
    if (line.startsWith('Total ')) inStats = false;
    const kind = /^([A-Za-z ]+ Handles):\s+([\d,]+)$/.exec(line);
    if (kind) kinds.set(kind[1], num(kind[2]));
    const row = /^([0-9a-f]{8,16})\s+([\d,]+)\s+([\d,]+)\s+(.+)$/i.exec(line);
    if (inStats && row) {
      const prev = types.get(row[4]) ?? { count: 0, bytes: 0 };
      types.set(row[4], { count: prev.count + num(row[2]), bytes: prev.bytes + num(row[3]) });
    }
  }
  return { types, kinds };
}

/** `dumpheap -strings` statistics: rows of count, total size and the (possibly truncated) value. */
export function sosStringStats(text: string): { count: number; bytes: number; value: string }[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === 'Statistics:');
  const out: { count: number; bytes: number; value: string }[] = [];
  for (const line of lines.slice(start + 1)) {
    const row = /^\s*([\d,]+)\s+([\d,]+) (.*)$/.exec(line);
    if (row) out.push({ count: num(row[1]), bytes: num(row[2]), value: row[3] });
  }
  return out;
}

export interface SosDumpObj {
  name: string;
  methodTable: string;
  size: number;
  fields: { type: string; offset: number; valueType: boolean; attr: string; value: string; name: string }[];
}

/** `dumpobj <addr>`: header lines and the instance/static field rows. */
export function sosDumpObj(text: string): SosDumpObj {
  const label = (l: string) => new RegExp(`^${l}:\\s+(.*)$`, 'm').exec(text)?.[1].trim() ?? '';
  const fields: SosDumpObj['fields'] = [];
  for (const raw of text.split(/\r?\n/)) {
    const row =
      /^\s*([0-9a-f]{8,16})\s+([0-9a-f]+)\s+([0-9a-f]+)\s+(.+?)\s+([01]|Yes|No)\s+(instance|static|shared static|TLstatic|CLstatic)\s+(\S+)\s+(\S+)\s*$/i.exec(
        raw,
      );
    if (row)
      fields.push({
        type: row[4],
        offset: parseInt(row[3], 16),
        valueType: row[5] === '1' || row[5] === 'Yes',
        attr: row[6],
        value: row[7],
        name: row[8],
      });
  }
  return {
    name: label('Name'),
    methodTable: label('MethodTable').toLowerCase().replace(/^0+/, ''),
    size: Number(/^(\d+)/.exec(label('Size'))?.[1] ?? NaN),
    fields,
  };
}

/**
 * A reflection-syntax name as native SOS prints it in some tables
 * (``System.Buffers.SharedArrayPool`1[[System.Char, System.Private.CoreLib]]``) in C# syntax
 * (`System.Buffers.SharedArrayPool<System.Char>`), as ClrMD names types. The arguments of a nested
 * type of a generic type follow the nested name (``SharedArrayPool`1+ThreadLocalArray[[System.Char, …]][]``)
 * and go to the parts that declare them (`SharedArrayPool<System.Char>+ThreadLocalArray[]`).
 */
export function sosReflectionNameAsCSharp(name: string): string {
  let i = 0;
  const parse = (): string => {
    const parts: { name: string; arity: number }[] = [{ name: '', arity: 0 }];
    const args: string[] = [];
    let suffix = '';
    while (i < name.length) {
      const c = name[i];
      if (c === '`') {
        let digits = '';
        while (i + 1 < name.length && /\d/.test(name[i + 1])) digits += name[++i];
        i++;
        parts[parts.length - 1].arity = Number(digits);
        continue;
      }
      if (c === '+') {
        parts.push({ name: '', arity: 0 });
        i++;
        continue;
      }
      if (name.startsWith('[[', i)) {
        i++;
        while (name[i] === '[') {
          i++;
          args.push(parse());
          // Skip ", Assembly" up to the closing bracket of this argument.
          let depth = 0;
          while (i < name.length && !(name[i] === ']' && depth === 0)) {
            if (name[i] === '[') depth++;
            if (name[i] === ']') depth--;
            i++;
          }
          i++;
          if (name[i] === ',') i++;
        }
        i++;
        continue;
      }
      if (c === '[' && (name[i + 1] === ']' || name[i + 1] === ',')) {
        const close = name.indexOf(']', i);
        suffix += name.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      if (c === ',' || c === ']') break;
      parts[parts.length - 1].name += c;
      i++;
    }
    let next = 0;
    const spelled = parts.map((p) => {
      const own = args.slice(next, next + p.arity);
      next += p.arity;
      return own.length > 0 ? `${p.name}<${own.join(', ')}>` : p.name;
    });
    return spelled.join('+') + suffix;
  };
  return parse();
}

/** One row of a `dumpheap [<start> <end>]` listing. */
export interface SosHeapRow {
  address: string;
  methodTable: string;
  size: number;
  free: boolean;
}

/** The object rows of a `dumpheap` listing (address, method table, size, "Free" marker). */
export function sosHeapListing(text: string): SosHeapRow[] {
  const out: SosHeapRow[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const row = /^\s*([0-9a-f]{8,16})\s+([0-9a-f]{8,16})\s+([\d,]+)\s*(Free)?\s*$/i.exec(raw);
    if (row)
      out.push({
        address: row[1].toLowerCase(),
        methodTable: row[2].toLowerCase(),
        size: num(row[3]),
        free: row[4] !== undefined,
      });
  }
  return out;
}

/** `gcheapstat`'s fragmentation summary ("SOH:0% LOH:20% POH:0%") of the first heap row. */
export function sosHeapStatFragmentation(text: string): Map<string, number> {
  const m = new Map<string, number>();
  const line = /^\S+.*\b(SOH:\d+%.*)$/m.exec(text)?.[1] ?? '';
  for (const part of line.matchAll(/(\w+):(\d+)%/g)) m.set(part[1], Number(part[2]));
  return m;
}

/** `finalizequeue`: objects ready for finalization and registered for it, summed over heaps. */
export function sosFinalizeQueue(text: string): { ready: number; registered: number } {
  let ready = 0;
  let registered = 0;
  for (const raw of text.split(/\r?\n/)) {
    const r = /^Ready for finalization ([\d,]+) objects/.exec(raw.trim());
    if (r) ready += num(r[1]);
    const g = /^generation \d has ([\d,]+) (?:finalizable )?objects/.exec(raw.trim());
    if (g) registered += num(g[1]);
  }
  return { ready, registered };
}
