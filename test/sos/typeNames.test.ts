import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTypeName } from '../../src/model/typeNames.js';

/**
 * A CLR type as the tools see it: a nesting path where each level may declare generic
 * parameters, plus array/pointer suffixes. Rendered below in each tool's spelling by small
 * independent printers that follow what the tools were observed to print.
 */
interface Level {
  name: string;
  args: T[];
}
interface T {
  levels: Level[];
  suffixes: string[];
}

const ident = fc.constantFrom(
  'Order',
  'Entry',
  'Node',
  'Cache',
  'Inner',
  'Item2',
  '<>c',
  '<RunAsync>d__4',
  '<>c__DisplayClass3_0',
);
const ns = fc.constantFrom('', 'System.', 'Contoso.Shop.', 'My_App.');
const suffix = fc.constantFrom('[]', '[,]', '[,,]', '*');

function typeAt(depth: number): fc.Arbitrary<T> {
  const argList = depth === 0 ? fc.constant([] as T[]) : fc.array(typeAt(depth - 1), { maxLength: 2 });
  return fc
    .record({
      ns,
      names: fc.array(ident, { minLength: 1, maxLength: 3 }),
      args: fc.tuple(argList, argList, argList),
      suffixes: fc.array(suffix, { maxLength: 2 }),
    })
    .map(({ ns: n, names, args, suffixes }) => ({
      // Compiler-generated names do not carry a namespace in these tests.
      levels: names.map((name, i) => ({
        name: i === 0 && !name.startsWith('<') ? n + name : name,
        args: args[i],
      })),
      // A pointer suffix only as the innermost element type (`Int32*[]`), never after an array.
      suffixes: suffixes.filter((x, i) => x !== '*' || i === 0),
    }));
}
const typeArb = typeAt(2);

function allArgs(t: T): T[] {
  return t.levels.flatMap((l) => l.args);
}

// Current SOS (ClrMD 3): C# syntax, args per level with ", ", `+` nesting.
function sosG4(t: T): string {
  return (
    t.levels.map((l) => l.name + (l.args.length ? `<${l.args.map(sosG4).join(', ')}>` : '')).join('+') +
    t.suffixes.join('')
  );
}

// Native SOS / windbg: reflection syntax, arity per level, all args flattened at the end, assembly-qualified.
function sosReflection(t: T): string {
  const path = t.levels.map((l) => l.name + (l.args.length ? `\`${l.args.length}` : '')).join('+');
  const args = allArgs(t);
  const generic = args.length
    ? `[${args.map((a) => `[${sosReflection(a)}, Contoso.Core, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null]`).join(',')}]`
    : '';
  return path + generic + t.suffixes.join('');
}

// dotnet-gcdump: nested object types by their innermost name, args flattened without spaces,
// `<>` written `[]`, multi-dimensional ranks written `<,>`.
function gcdump(t: T, depth = 0): string {
  const names = t.levels.map((l) => l.name);
  let s = depth === 0 && names.length > 1 ? names[names.length - 1] : names.join('+');
  const args = allArgs(t);
  if (args.length) s += `<${args.map((a) => gcdump(a, depth + 1)).join(',')}>`;
  s = s.replaceAll('<>', '[]');
  return s + t.suffixes.map((x) => (x.includes(',') ? x.replace('[', '<').replace(']', '>') : x)).join('');
}

describe('canonicalTypeName', () => {
  it('gives the same name for one type whichever tool spelled it', () => {
    fc.assert(
      fc.property(typeArb, (t) => {
        const fromG4 = canonicalTypeName(sosG4(t), 'sos');
        expect(canonicalTypeName(sosReflection(t), 'sos')).toBe(fromG4);
        expect(canonicalTypeName(gcdump(t), 'gcdump')).toBe(fromG4);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(typeArb, (t) => {
        const once = canonicalTypeName(sosG4(t));
        expect(canonicalTypeName(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  // Pairs printed by dotnet-dump 10 (dumpheap -stat) and dotnet-gcdump 10 (report) for the same
  // objects of one .NET 10 process, with the canonical spelling both must reach.
  const observed: [sos: string, gcdump: string, canonical: string][] = [
    [
      'System.Collections.Generic.Dictionary<System.Int32, LeakDemo.Order>+Entry[]',
      'Entry<System.Int32,LeakDemo.Order>[] (Bytes > 1K)',
      'Entry<System.Int32,LeakDemo.Order>[]',
    ],
    [
      'System.Collections.Generic.HashSet<LeakDemo.Order>+Entry[]',
      'Entry<LeakDemo.Order>[]',
      'Entry<LeakDemo.Order>[]',
    ],
    [
      'LeakDemo.Outer+Gen<System.Int32>+Deep<System.String>',
      'Deep<System.Int32,System.String>',
      'Deep<System.Int32,System.String>',
    ],
    ['LeakDemo.Top<System.String>+Mid[]', 'Mid<System.String>[]', 'Mid<System.String>[]'],
    [
      'System.Collections.Generic.List<LeakDemo.Top<System.String>+Mid>',
      'System.Collections.Generic.List<LeakDemo.Top+Mid<System.String>>',
      'System.Collections.Generic.List<LeakDemo.Top+Mid<System.String>>',
    ],
    [
      'System.Collections.Generic.Dictionary<System.Int32, LeakDemo.Outer+Gen<System.Int32>+Deep<System.String>>',
      'System.Collections.Generic.Dictionary<System.Int32,LeakDemo.Outer+Gen+Deep<System.Int32,System.String>>',
      'System.Collections.Generic.Dictionary<System.Int32,LeakDemo.Outer+Gen+Deep<System.Int32,System.String>>',
    ],
    ['LeakDemo.Outer+Inner[,]', 'Inner<,>', 'Inner[,]'],
    ['System.Int32[,][]', 'System.Int32<,>[]', 'System.Int32[,][]'],
    [
      'System.Collections.Generic.List<System.Int32[,]>',
      'System.Collections.Generic.List<System.Int32<,>>',
      'System.Collections.Generic.List<System.Int32[,]>',
    ],
    ['LeakDemo.Program+<>c__DisplayClass2_0', '[]c__DisplayClass2_0', '<>c__DisplayClass2_0'],
    [
      '<>f__AnonymousType0<System.Int32, System.String>',
      '[]f__AnonymousType0<System.Int32,System.String>',
      '<>f__AnonymousType0<System.Int32,System.String>',
    ],
    [
      'System.Runtime.CompilerServices.AsyncTaskMethodBuilder<System.Int32>+AsyncStateMachineBox<LeakDemo.Program+<RunAsync>d__1>',
      'AsyncStateMachineBox<System.Int32,LeakDemo.Program+<RunAsync>d__1>',
      'AsyncStateMachineBox<System.Int32,LeakDemo.Program+<RunAsync>d__1>',
    ],
    ['System.Int32*[]', 'System.Int32*[]', 'System.Int32*[]'],
    ['System.Nullable<System.Int32>[]', 'System.Nullable<System.Int32>[]', 'System.Nullable<System.Int32>[]'],
  ];
  it.each(observed)('%s ~ %s', (sos, gc, canonical) => {
    expect(canonicalTypeName(sos, 'sos')).toBe(canonical);
    expect(canonicalTypeName(gc, 'gcdump')).toBe(canonical);
  });

  it('reads reflection syntax from native SOS and windbg', () => {
    expect(canonicalTypeName('System.Collections.Generic.List`1[[System.String, mscorlib]]')).toBe(
      'System.Collections.Generic.List<System.String>',
    );
    expect(
      canonicalTypeName(
        'System.Collections.Generic.Dictionary`2+Entry[[System.String, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089],[Contoso.Item, Contoso.Core]][]',
      ),
    ).toBe('Entry<System.String,Contoso.Item>[]');
    expect(canonicalTypeName('System.Lazy`1+Boxed[[Contoso.Item, Contoso]]')).toBe('Boxed<Contoso.Item>');
    expect(canonicalTypeName('List`1[System.String]')).toBe('List<System.String>');
    // CLR 1.x wrote nesting with '/'.
    expect(canonicalTypeName('Contoso.Outer/Inner')).toBe('Inner');
  });

  it('leaves names that are not type names alone', () => {
    for (const name of [
      'Free',
      'UNKNOWN 0x7ff8',
      '[static var Contoso.Cache.s_items]',
      '<Unloaded Type>',
      'Unknown (MethodTable: 7ff812345678)',
      'Type(0x1234)',
    ]) {
      expect(canonicalTypeName(name)).toBe(name);
    }
    expect(canonicalTypeName('System.String')).toBe('System.String');
    expect(canonicalTypeName('  System.Byte[] (Bytes > 100K) ')).toBe('System.Byte[]');
    expect(canonicalTypeName('LeakDemo.Program+<<Main>$>g__Local|0_0')).toBe('<<Main>$>g__Local|0_0');
  });
});

describe('Mono and Xamarin spellings', () => {
  it("name a BCL collection's nested type by its dotted path; the canonical name is CoreCLR's", () => {
    const cases: [string, string][] = [
      [
        'System.Collections.Generic.Dictionary.Entry<System.String,System.Object>[]',
        'Entry<System.String,System.Object>[]',
      ],
      ['System.Collections.Generic.HashSet.Slot<System.Int32>[]', 'Slot<System.Int32>[]'],
      ['System.Collections.Generic.List.Enumerator<App.Order>', 'Enumerator<App.Order>'],
      [
        'System.Collections.Concurrent.ConcurrentDictionary.Node<System.String,App.Session>',
        'Node<System.String,App.Session>',
      ],
      // Guillemets as some Xamarin tools print generic brackets.
      [
        'System.Collections.Generic.Dictionary.Entry‹System.String,App.Order›[]',
        'Entry<System.String,App.Order>[]',
      ],
    ];
    for (const [mono, canonical] of cases) {
      expect(canonicalTypeName(mono), mono).toBe(canonical);
      expect(canonicalTypeName(canonicalTypeName(mono))).toBe(canonical);
    }
    // The CoreCLR spellings of the same types agree.
    expect(
      canonicalTypeName(
        'System.Collections.Generic.Dictionary`2+Entry[[System.String, System.Private.CoreLib],[App.Order, App]][]',
      ),
    ).toBe('Entry<System.String,App.Order>[]');
  });

  it('leave the collections themselves and user namespaces alone', () => {
    for (const name of [
      'System.Collections.Generic.Dictionary<System.String,App.Order>',
      'System.Collections.Generic.List<App.Order>',
      'App.Cache.Entry<App.Order>',
      'System.Collections.Generic.Comparer<System.String>',
    ])
      expect(canonicalTypeName(name)).toBe(name);
  });
});
