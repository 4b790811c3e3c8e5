/**
 * Long retention paths for the terminal: generic arguments lose their namespaces and the path
 * breaks at its arrows, so an evidence line stays readable (JSON and markdown keep full names).
 */

/** The widest line the text report aims for. */
export const TEXT_WIDTH = 160;

const QUALIFIED = /[A-Za-z_][\w`]*(?:\.[A-Za-z_][\w`]*)+/y;

/**
 * `System.Collections.Generic.Dictionary<System.Int32,Shop.Order>` →
 * `System.Collections.Generic.Dictionary<Int32,Order>`: the outer name stays whole, names inside
 * `<…>` keep their last segment (nested `Outer+Inner` and array ranks are untouched).
 */
export function shortGenericArgs(name: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < name.length;) {
    const ch = name[i];
    if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    if (depth > 0 && ch !== '<') {
      QUALIFIED.lastIndex = i;
      const m = QUALIFIED.exec(name);
      if (m && (i === 0 || !/[\w`.]/.test(name[i - 1] ?? ''))) {
        out += m[0].slice(m[0].lastIndexOf('.') + 1);
        i += m[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}

/**
 * `lead` followed by `parts` joined with " -> ": one line when it fits in `width`; otherwise the
 * parts (with shortened generic arguments) fill lines greedily, each continuation line indented by
 * `indent` and starting with "-> ". A single part longer than the width gets a line of its own.
 */
export function wrapPath(
  lead: string,
  parts: readonly string[],
  indent: string,
  width = TEXT_WIDTH,
): string[] {
  const oneLine = `${lead}${parts.join(' -> ')}`;
  if (oneLine.length <= width) return [oneLine];
  const short = parts.map(shortGenericArgs);
  const lines: string[] = [];
  let line = lead.trimEnd();
  let first = true;
  for (const part of short) {
    const piece = first ? part : `-> ${part}`;
    const joined = first ? `${lead}${part}` : `${line} ${piece}`;
    if (joined.length <= width || line.trim().length === 0) line = joined;
    else {
      lines.push(line);
      line = `${indent}${piece}`;
    }
    first = false;
  }
  lines.push(line);
  return lines;
}
