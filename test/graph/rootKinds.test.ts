import { describe, expect, it } from 'vitest';
import { classifyRootName, classifyRootPath } from '../../src/graph/rootKinds.js';

describe('root kinds', () => {
  it.each([
    ['[static vars]', 'static field'],
    ['[thread static vars]', 'thread-static field'],
    ['[local vars]', 'stack local'],
    ['[Pinned local vars]', 'stack local'],
    ['[Stack]', 'stack local'],
    ['[strong Handles]', 'strong handle'],
    ['[StrongHandle]', 'strong handle'],
    ['[Strong handles]', 'strong handle'],
    ['[pinning Handles]', 'pinned handle'],
    ['[PinnedHandle]', 'pinned handle'],
    ['[Pinned handles]', 'pinned handle'],
    ['[AsyncPinnedHandle]', 'async pinned handle'],
    ['[finalizer Handles]', 'finalizer queue'],
    ['[FinalizerQueue]', 'finalizer queue'],
    ['[COM/WinRT Objects]', 'COM/WinRT'],
    ['[Dependent Handles]', 'dependent handle'],
    ['[RefCountedHandle]', 'ref-counted handle'],
    ['[SizedRefHandle]', 'sized-ref handle'],
    ['[other Handles]', 'other root'],
    ['[something new]', 'other root'],
  ])('%s is a %s', (name, kind) => {
    expect(classifyRootName(name).kind).toBe(kind);
  });

  it('reads the static field out of [static var ...] and the ProjectN suffix form', () => {
    expect(classifyRootName('[static var System.Collections.Generic.List<A.B>.s_items]')).toEqual({
      kind: 'static field',
      container: false,
      staticName: 'System.Collections.Generic.List<A.B>.s_items',
    });
    expect(classifyRootName('MyApp.Cache (static var)').staticName).toBe('MyApp.Cache');
  });

  it('takes the deepest specific pseudo-node of a path', () => {
    expect(classifyRootPath(['[.NET Roots]', '[other roots]', '[strong Handles]'])).toEqual({
      kind: 'strong handle',
    });
    expect(classifyRootPath(['[.NET Roots]', '[static vars]', '[static var X.f]'])).toEqual({
      kind: 'static field',
      rootName: 'X.f',
    });
    expect(classifyRootPath(['[.NET Roots]', '[thread static vars]', '[static var X.t]'])).toEqual({
      kind: 'thread-static field',
      rootName: 'X.t',
    });
    expect(classifyRootPath(['[.NET Roots]', '[other roots]'])).toEqual({ kind: 'other root' });
    expect(classifyRootPath(['[GC Heaps]', '[.NET Roots]', '[local vars]'])).toEqual({ kind: 'stack local' });
  });
});
