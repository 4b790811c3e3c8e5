/**
 * Root pseudo-nodes (`[static vars]`, `[strong Handles]`, ...) in plain words.
 *
 * Producers disagree on spelling (dotnet-gcdump writes `[strong Handles]`, PerfView's ETW reader
 * `[StrongHandle]`, a 2014 PerfView `[Strong handles]`), so names are matched case- and
 * space-insensitively against a table, with "other root" as the fallback.
 */
import type { RootKind } from '../model/evidence.js';

/** Container pseudo-nodes carry no kind of their own; a more specific node below them decides. */
const CONTAINERS = new Set(['.netroots', 'gcheaps', 'otherroots', 'none', 'jsroots']);

const KINDS = new Map<string, RootKind>([
  ['staticvars', 'static field'],
  ['threadstaticvars', 'thread-static field'],
  ['localvars', 'stack local'],
  ['pinnedlocalvars', 'stack local'],
  ['stack', 'stack local'],
  ['stronghandles', 'strong handle'],
  ['stronghandle', 'strong handle'],
  ['pinninghandles', 'pinned handle'],
  ['pinnedhandle', 'pinned handle'],
  ['pinnedhandles', 'pinned handle'],
  ['asyncpinnedhandle', 'async pinned handle'],
  ['asyncpinnedhandles', 'async pinned handle'],
  ['weakhandle', 'weak handle'],
  ['weakhandles', 'weak handle'],
  ['finalizerhandles', 'finalizer queue'],
  ['finalizerqueue', 'finalizer queue'],
  ['com/winrtobjects', 'COM/WinRT'],
  ['dependenthandles', 'dependent handle'],
  ['dependenthandle', 'dependent handle'],
  ['refcountedhandle', 'ref-counted handle'],
  ['refcountedhandles', 'ref-counted handle'],
  ['sizedrefhandle', 'sized-ref handle'],
  ['sizedrefhandles', 'sized-ref handle'],
  ['otherhandles', 'other root'],
]);

const STATIC_VAR = /^\[static var (.+)\]$/i;
/** ProjectN (.NET Native) names static roots `<Type> (static var)`. */
const STATIC_VAR_SUFFIX = /^(.+) \(static var\)$/;

export interface RootClass {
  kind: RootKind;
  /** True for grouping nodes such as `[.NET Roots]` / `[other roots]` that say nothing by themselves. */
  container: boolean;
  /** For `[static var T.f]`: `T.f` as the producer wrote it. */
  staticName?: string;
}

/** Classifies one pseudo-node name. */
export function classifyRootName(name: string): RootClass {
  const sv = STATIC_VAR.exec(name) ?? STATIC_VAR_SUFFIX.exec(name);
  if (sv) return { kind: 'static field', container: false, staticName: sv[1] };
  const key = name
    .replace(/^\[|\]$/g, '')
    .replace(/\s+/g, '')
    .toLowerCase();
  if (CONTAINERS.has(key)) return { kind: 'other root', container: true };
  const kind = KINDS.get(key);
  if (kind) return { kind, container: false };
  return { kind: 'other root', container: false };
}

/**
 * Root kind of a path given its pseudo-node names, root side first: the deepest specific node
 * wins (`[other roots] → [strong Handles]` is a strong handle), and a static var below
 * `[thread static vars]` is a thread-static field.
 */
export function classifyRootPath(pseudoNames: readonly string[]): { kind: RootKind; rootName?: string } {
  let threadStatic = false;
  let result: { kind: RootKind; rootName?: string } = { kind: 'other root' };
  let specific = false;
  for (const name of pseudoNames) {
    const c = classifyRootName(name);
    if (c.kind === 'thread-static field') threadStatic = true;
    if (c.container) continue;
    if (c.kind === 'other root' && specific) continue;
    specific = c.kind !== 'other root';
    result = c.staticName === undefined ? { kind: c.kind } : { kind: c.kind, rootName: c.staticName };
  }
  if (threadStatic && result.kind === 'static field') result = { ...result, kind: 'thread-static field' };
  return result;
}

/**
 * Traversal tier of a root kind: objects are explained through the most durable root that
 * reaches them. Statics (tier 0) outlive any call; a stack local (tier 1) ends with its frame;
 * handles, the finalizer queue and COM roots (tier 2) are mostly runtime plumbing that also
 * reaches objects a static already holds.
 */
export function rootTier(kind: RootKind): 0 | 1 | 2 {
  switch (kind) {
    case 'static field':
    case 'thread-static field':
      return 0;
    case 'stack local':
      return 1;
    default:
      return 2;
  }
}
