/**
 * Type names as a leak's identity sees them: what a rebuild or an unrelated edit renumbers is
 * dropped, what names the code that holds the objects is kept.
 *
 * - compiler-generated ordinals: `<>c__DisplayClass12_0` → `<>c__DisplayClass`,
 *   `<Load>b__3_1` → `<Load>b__`, `<RunAsync>d__7` → `<RunAsync>d__`, `<>9__3_0` → `<>9__`,
 *   `<Main>g__Local|0_0` → `<Main>g__Local`;
 * - generic arguments become their arity: `Dictionary<System.Int32,Shop.Order>` → `Dictionary<,>`
 *   (a holder is the same dictionary whatever it is keyed by), unless `keepArguments` (the leaking
 *   type itself: `List<Order>` and `List<Customer>` are different leaks);
 * - array ranks become `[]`, and a repeated-run marker (` ×n`) is dropped.
 */

/** An ordinal after a compiler-generated name's `>…__` part. */
const COMPILER_ORDINAL = /(>[A-Za-z0-9]*__[A-Za-z]*)\|?\d+(?:_\d+)*/g;

export function normaliseTypeName(name: string, opts: { keepArguments?: boolean } = {}): string {
  const text = name.replace(/ ×n$/, '');
  if (opts.keepArguments) return renumbered(text);
  let out = '';
  let depth = 0;
  let commas = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (depth === 0) {
      // A `<` after a name character opens generic arguments; at the start of a name (after
      // nothing, `.`, `+` or another `<`) it begins a compiler-generated name such as `<>c`.
      if (ch === '<' && i > 0 && /[\w`]/.test(text[i - 1])) {
        depth = 1;
        commas = 0;
      } else out += ch;
      continue;
    }
    if (ch === '<') depth++;
    else if (ch === '>') {
      depth--;
      if (depth === 0) out += `<${','.repeat(commas)}>`;
    } else if (ch === ',' && depth === 1) commas++;
  }
  return renumbered(out);
}

function renumbered(name: string): string {
  return name.replace(COMPILER_ORDINAL, '$1').replace(/\[[,*]*\]/g, '[]');
}
