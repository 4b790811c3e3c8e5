/** Turns node paths into the shared evidence model (root kind, named root, compressed steps). */
import type { PathStep, RetentionPath, RootKind } from '../model/evidence.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { NodeFlag } from '../model/snapshot.js';
import { stripSizeBucket } from '../model/typeNames.js';
import { formatAddress } from './addresses.js';
import { requireGraph } from './requireGraph.js';
import { classifyRootPath } from './rootKinds.js';

/**
 * Path root side first, as node indices. Leading pseudo-nodes give the root kind; the objects
 * become steps, with runs of one type (linked lists) folded into a single step carrying
 * `repeat`. The last node (the object asked about) always keeps its own step and address.
 */
export function toRetentionPath(snapshot: HeapSnapshot, nodes: readonly number[]): RetentionPath {
  const graph = requireGraph(snapshot);
  const names = snapshot.types.names;
  const pseudo: string[] = [];
  let i = 0;
  for (; i < nodes.length; i++) {
    const v = nodes[i];
    if ((graph.nodeFlags[v] & NodeFlag.Pseudo) === 0 && v !== graph.root) break;
    pseudo.push(names[graph.nodeType[v]]);
  }
  const steps: PathStep[] = [];
  const last = nodes.length - 1;
  for (; i <= last; i++) {
    const v = nodes[i];
    const type = stripSizeBucket(names[graph.nodeType[v]]);
    const step: PathStep = { type, size: graph.nodeSize[v] };
    if (graph.nodeAddress.of(v) !== 0) step.address = formatAddress(graph.nodeAddress.of(v));
    let run = 1;
    while (i + run < last && stripSizeBucket(names[graph.nodeType[nodes[i + run]]]) === type) run++;
    if (run > 1) {
      step.repeat = run;
      delete step.size;
      i += run - 1;
    }
    steps.push(step);
  }
  const root = classifyRootPath(pseudo);
  const path: RetentionPath = { rootKind: root.kind, steps };
  if (root.rootName !== undefined) path.rootName = staticRootName(root.rootName, steps[0]?.type);
  return path;
}

/**
 * The name of a static root as evidence shows it. dotnet-gcdump names a static root after the
 * type of the object it holds (`[static var List<Order>.s_items]`), not the declaring class,
 * so when that prefix just repeats the first holder's type only the field name is kept.
 * Producers that write the declaring class keep the full `Namespace.Class.field`.
 */
export function staticRootName(rawName: string, firstHolder: string | undefined): string {
  const cut = rawName.lastIndexOf('.');
  if (cut > 0 && firstHolder !== undefined && stripSizeBucket(rawName.slice(0, cut)) === firstHolder) {
    return rawName.slice(cut + 1);
  }
  return rawName;
}

/** Root label for one line of evidence: `static field s_items`, `strong handle`. */
export function rootLabel(kind: RootKind, rootName: string | undefined): string {
  return rootName === undefined ? kind : `${kind} ${rootName}`;
}

/** "held by static field s_orders", or "not reachable from any root" for garbage the snapshot still held. */
export function heldBy(
  kind: RootKind,
  rootName: string | undefined,
  name: (s: string) => string = (s) => s,
): string {
  if (kind === 'unreachable') return 'not reachable from any root';
  return `held by ${kind}${rootName === undefined ? '' : ` ${name(rootName)}`}`;
}

/** One-line rendering: `static field s_orders → List<Order> → Order[] → Order`. */
export function describePath(path: RetentionPath, withAddresses: boolean): string {
  const parts = [rootLabel(path.rootKind, path.rootName)];
  for (const s of path.steps) {
    let text = s.type;
    if (s.repeat !== undefined) text += ` ×${s.repeat.toLocaleString('en-US')}`;
    if (withAddresses && s.address !== undefined) text += ` (${s.address})`;
    parts.push(text);
  }
  return parts.join(' → ');
}
