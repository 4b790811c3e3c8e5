/** What a leak's fingerprint ignores (ordinals, counts, generic arguments of holders) and what it does not (holders). */
import { describe, expect, it } from 'vitest';
import { attachFingerprints, fingerprintOf } from '../../src/fingerprint/fingerprint.js';
import { normaliseTypeName } from '../../src/fingerprint/normalise.js';
import type { PathCluster, TypeEvidence } from '../../src/model/evidence.js';
import type { Finding } from '../../src/rules/findings.js';

describe('normaliseTypeName', () => {
  it.each([
    ['<>c__DisplayClass12_0', '<>c__DisplayClass'],
    ['Shop.Handlers+<>c__DisplayClass3_0<System.String>', 'Shop.Handlers+<>c__DisplayClass<>'],
    ['<Load>b__3_1', '<Load>b__'],
    ['<RunAsync>d__7', '<RunAsync>d__'],
    ['<>9__3_0', '<>9__'],
    ['<<Main>$>g__Local|0_0', '<<Main>$>g__Local'],
    [
      'System.Collections.Generic.Dictionary<System.Int32,Shop.Order>',
      'System.Collections.Generic.Dictionary<,>',
    ],
    ['Entry<System.Int32,System.Collections.Generic.List<X>>[]', 'Entry<,>[]'],
    ['System.Int32[,]', 'System.Int32[]'],
    ['LinkedListNode<Foo> ×n', 'LinkedListNode<>'],
    ['<>c', '<>c'],
    ['My__Type2', 'My__Type2'],
  ])('%s → %s', (name, want) => expect(normaliseTypeName(name)).toBe(want));

  it('keeps the arguments of the leaking type itself', () => {
    expect(normaliseTypeName('List<Shop.Order>', { keepArguments: true })).toBe('List<Shop.Order>');
    expect(normaliseTypeName('Func<<>c__DisplayClass4_2>', { keepArguments: true })).toBe(
      'Func<<>c__DisplayClass>',
    );
  });
});

const cluster = (holders: string[], count: number, rootName = 's_items'): PathCluster => ({
  signature: holders.join(' → '),
  rootKind: 'static field',
  rootName,
  holders,
  count,
  bytes: count * 24,
  sample: { rootKind: 'static field', rootName, steps: holders.map((type) => ({ type })) },
});

const finding = (subject: string, evidence?: TypeEvidence[]): Finding =>
  ({
    rule: { id: 'r', file: 'f', line: 1, col: 1 },
    status: 'fail',
    severity: 'error',
    check: 'growth',
    subject,
    types: [subject],
    evidenceWanted: 1,
    ...(evidence ? { evidence } : {}),
  }) as Finding;

const ev = (type: string, clusters: PathCluster[]): TypeEvidence => ({ type, instances: 1, clusters });

describe('fingerprintOf', () => {
  const path = ['System.Collections.Generic.List<Shop.Order>', 'Shop.Order[]', 'Shop.Order'];

  it('is the same for another run with other counts, another closure ordinal, and SOS’s qualified field name', () => {
    const a = fingerprintOf(finding('Shop.Order', [ev('Shop.Order', [cluster(path, 3000)])]));
    const b = fingerprintOf(
      finding('Shop.Order', [
        ev('Shop.Order', [cluster(path, 3017, 'Shop.Registry.s_items'), cluster(['X'], 3)]),
      ]),
    );
    expect(a).toEqual(b);
    expect(a.kind).toBe('path');
    expect(a.id).toMatch(/^hg1-[0-9a-f]{12}$/);
    expect(a.basis).toBe(
      'static field s_items → System.Collections.Generic.List<> → Shop.Order[] → Shop.Order',
    );
  });

  it('changes with the holder or the root, and is type-level without evidence', () => {
    const base = fingerprintOf(finding('Shop.Order', [ev('Shop.Order', [cluster(path, 10)])])).id;
    const otherHolder = [
      'System.Collections.Generic.HashSet<Shop.Order>',
      'Slot<Shop.Order>[]',
      'Shop.Order',
    ];
    expect(fingerprintOf(finding('Shop.Order', [ev('Shop.Order', [cluster(otherHolder, 10)])])).id).not.toBe(
      base,
    );
    expect(
      fingerprintOf(finding('Shop.Order', [ev('Shop.Order', [cluster(path, 10, 's_other')])])).id,
    ).not.toBe(base);
    const bare = fingerprintOf(finding('Shop.Order'));
    expect(bare.kind).toBe('type');
    expect(bare.id).not.toBe(base);
  });

  it('the representative path is the one holding most instances, whatever order the clusters come in', () => {
    const small = cluster(['Shop.Cache', 'Shop.Order'], 5, 's_cache');
    const big = cluster(path, 500);
    expect(fingerprintOf(finding('Shop.Order', [ev('Shop.Order', [small, big])]))).toEqual(
      fingerprintOf(finding('Shop.Order', [ev('Shop.Order', [big, small])])),
    );
  });

  it('objects hanging off a leaking object share its fingerprint', () => {
    const order = finding('Shop.Order', [ev('Shop.Order', [cluster(path, 100)])]);
    const name = finding('System.String', [ev('System.String', [cluster([...path, 'System.String'], 100)])]);
    const elsewhere = finding('System.Byte[]', [
      ev('System.Byte[]', [cluster(['Shop.Pool', 'System.Byte[]'], 4, 's_pool')]),
    ]);
    attachFingerprints([name, order, elsewhere]);
    expect(name.fingerprint?.id).toBe(order.fingerprint?.id);
    expect(elsewhere.fingerprint?.id).not.toBe(order.fingerprint?.id);
  });
});
