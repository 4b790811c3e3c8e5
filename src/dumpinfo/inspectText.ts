/** Terminal rendering of `heapgate inspect`, laid out like SOS !DumpObject with nested levels indented. */
import { shorten } from '../report/escape.js';
import { formatInt } from '../report/format.js';
import { plain, textTable } from '../report/textTable.js';
import type { Field, InspectedObject, Value } from './inspect.js';
import { quoteValue } from './stringsText.js';

const name = (s: string) => plain(shorten(s));

function valueText(v: Value): string {
  if (v.kind === 'reference') {
    if (/^0+$/.test(v.value)) return 'null';
    const what =
      v.string !== undefined
        ? quoteValue(v.string, v.string.length)
        : v.targetType
          ? `(${name(v.targetType)})`
          : '';
    return `${v.value} ${what}`.trimEnd();
  }
  if (v.kind === 'struct') return `${v.value} (inline struct)`;
  return plain(v.value);
}

function objectLines(o: InspectedObject, indent: string): string[] {
  const label = (l: string, v: string) => `${indent}${`${l}:`.padEnd(13)}${v}`;
  const lines = [
    label('Name', name(o.type)),
    label('Address', o.address),
    label('MethodTable', o.methodTable),
    label('Size', `${formatInt(o.size)} bytes`),
  ];
  if (o.generation) lines.push(label('Generation', o.generation));
  if (o.module) lines.push(label('Module', plain(o.module)));
  if (o.free) return [...lines, `${indent}(free space, not an object)`];
  if (o.string !== undefined) lines.push(label('String', quoteValue(o.string, o.length ?? o.string.length)));
  if (o.array) {
    lines.push(
      label(
        'Array',
        `rank ${o.array.rank}, ${formatInt(o.array.length)} elements of ${name(o.array.elementType)}`,
      ),
    );
    if (o.array.elements.length > 0) {
      lines.push(`${indent}Elements:`);
      for (const e of o.array.elements) {
        lines.push(`${indent}  [${e.index}] ${valueText(e)}`);
        lines.push(...nested(e, `${indent}      `));
      }
      if (o.array.length > o.array.elements.length)
        lines.push(`${indent}  … ${formatInt(o.array.length - o.array.elements.length)} more`);
    }
  }
  if (o.fields.length > 0) lines.push(`${indent}Fields:`, ...fieldLines(o.fields, indent));
  return lines;
}

function nested(v: Value, indent: string): string[] {
  if (v.object) return objectLines(v.object, indent);
  if (v.fields && v.fields.length > 0) return fieldLines(v.fields, indent);
  return [];
}

function fieldLines(fields: readonly Field[], indent: string): string[] {
  const table = textTable(
    ['Offset', 'Type', 'Value', 'Name'],
    fields.map((f) => [f.offset.toString(16), name(f.type), valueText(f), name(f.name)]),
    ['r', 'l', 'l', 'l'],
  );
  const out = [`${indent}${table[0]}`, `${indent}${table[1]}`];
  fields.forEach((f, i) => {
    out.push(`${indent}${table[i + 2]}`);
    out.push(...nested(f, `${indent}    `));
  });
  return out;
}

export function renderInspectText(o: InspectedObject): string {
  return objectLines(o, '').join('\n') + '\n';
}
