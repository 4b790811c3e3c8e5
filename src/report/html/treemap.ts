/** Groups per-type values into the namespace → type hierarchy the report's treemap draws. */
import { HTML_LIMITS, type HtmlTreemap, type TreemapGroup, type TreemapLeaf } from './model.js';

export const NO_NAMESPACE = '(no namespace)';
const OTHER_TYPES = '(other types)';
const OTHER_NAMESPACES = '(other namespaces)';

/**
 * The namespace of a display type name: the part before the last dot of the name without its
 * generic arguments and array ranks. `System.Collections.Generic.List<X>` → `System.Collections.Generic`.
 */
export function namespaceOf(typeName: string): string {
  let end = typeName.length;
  for (let i = 0; i < typeName.length; i++) {
    const c = typeName[i];
    if (c === '<' || c === '[' || c === ' ') {
      end = i;
      break;
    }
  }
  const bare = typeName.slice(0, end);
  const dot = bare.lastIndexOf('.');
  return dot > 0 ? bare.slice(0, dot) : NO_NAMESPACE;
}

export interface TreemapOptions {
  title: string;
  measure: string;
  maxTypes?: number;
  maxGroups?: number;
}

/**
 * Namespace groups, biggest first, each with its biggest types. Only the `maxTypes` biggest types
 * keep a cell of their own; the rest of a namespace is one "(other types)" cell and namespaces
 * beyond `maxGroups` one "(other namespaces)" group, so every byte is still drawn.
 */
export function buildTreemap(leaves: readonly TreemapLeaf[], opts: TreemapOptions): HtmlTreemap {
  const maxTypes = opts.maxTypes ?? HTML_LIMITS.treemapTypes;
  const maxGroups = opts.maxGroups ?? HTML_LIMITS.treemapGroups;
  const positive = leaves.filter((l) => l.value > 0).sort((a, b) => b.value - a.value);
  const kept = new Set(positive.slice(0, maxTypes));
  const byNamespace = new Map<string, TreemapGroup>();
  let total = 0;
  for (const leaf of positive) {
    total += leaf.value;
    const ns = namespaceOf(leaf.name);
    let group = byNamespace.get(ns);
    if (!group) {
      group = { name: ns, value: 0, children: [] };
      byNamespace.set(ns, group);
    }
    group.value += leaf.value;
    if (kept.has(leaf)) group.children.push(leaf);
    else addOther(group, leaf);
  }
  const groups = [...byNamespace.values()].sort((a, b) => b.value - a.value || cmp(a.name, b.name));
  const shown = groups.slice(0, maxGroups);
  const rest = groups.slice(maxGroups);
  if (rest.length > 0) {
    const other: TreemapGroup = { name: OTHER_NAMESPACES, value: 0, children: [] };
    for (const g of rest) {
      other.value += g.value;
      other.children.push({ name: g.name, value: g.value, ...deltaOf(g.children) });
    }
    other.children.sort((a, b) => b.value - a.value);
    const small = other.children.splice(maxGroups);
    if (small.length > 0) {
      const lump: TreemapLeaf = { name: OTHER_TYPES, value: 0 };
      for (const c of small) {
        lump.value += c.value;
        if (c.delta !== undefined) lump.delta = (lump.delta ?? 0) + c.delta;
      }
      other.children.push(lump);
    }
    shown.push(other);
  }
  for (const g of shown) g.children.sort((a, b) => b.value - a.value || cmp(a.name, b.name));
  return { title: opts.title, measure: opts.measure, total, groups: shown };
}

function addOther(group: TreemapGroup, leaf: TreemapLeaf): void {
  let other = group.children.find((c) => c.name === OTHER_TYPES);
  if (!other) {
    other = { name: OTHER_TYPES, value: 0 };
    group.children.push(other);
  }
  other.value += leaf.value;
  if (leaf.delta !== undefined) other.delta = (other.delta ?? 0) + leaf.delta;
}

function deltaOf(children: readonly TreemapLeaf[]): { delta?: number } {
  let any = false;
  let sum = 0;
  for (const c of children) {
    if (c.delta === undefined) continue;
    any = true;
    sum += c.delta;
  }
  return any ? { delta: sum } : {};
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
