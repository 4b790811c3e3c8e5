/** Synthetic .gcdump files for the HTML report tests, written with the test gcdump writer. */
import type { WriterGraph, WriterNode, WriterType } from '../support/gcdumpWriter.js';

/** Type names that would run script if a page ever wrote them as markup. */
export const HOSTILE_ITEM = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_HOLDER = 'Evil.</script><script>window.__pwned=2</script>';

/**
 * A static field holding a list whose array holds `items` objects of a type named like markup.
 * With `items` = 0 it is the baseline; with 600 it fails builtin:default as a new type.
 */
export function hostileGraph(items: number): WriterGraph {
  const types: WriterType[] = [
    { name: 'UNDEFINED', size: 0 },
    { name: '[.NET Roots]', size: 0 },
    { name: '[static vars]', size: 0 },
    { name: '[static var Evil.Cache.s_items]', size: 0 },
    { name: HOSTILE_HOLDER, size: 32, module: '/app/Evil.dll' },
    { name: `${HOSTILE_ITEM}[]`, size: 24 + 8 * Math.max(items, 1), module: '/app/Evil.dll' },
    { name: HOSTILE_ITEM, size: 40, module: '/app/Evil.dll' },
    { name: 'System.String', size: 30 },
  ];
  const nodes: WriterNode[] = [
    { type: 1, children: [1] },
    { type: 2, children: [2] },
    { type: 3, children: [3] },
    { type: 4, children: [4, 5], address: 0x7f0000001000 },
    { type: 5, children: [], address: 0x7f0000002000 },
    { type: 7, address: 0x7f0000001800 },
  ];
  for (let i = 0; i < items; i++) {
    nodes[4].children!.push(nodes.length);
    nodes.push({ type: 6, address: 0x7f0000100000 + i * 64 });
  }
  return { types, nodes, root: 0, processName: 'Evil<b>App</b>' };
}

/**
 * A heap of `objects` objects spread over `typeCount` types in `namespaces` namespaces, held by
 * 100 static fields through arrays: the shape of a big service heap, for size and speed budgets.
 */
export function bigGraph(objects: number, typeCount = 20_000, namespaces = 400): WriterGraph {
  const types: WriterType[] = [
    { name: 'UNDEFINED', size: 0 },
    { name: '[.NET Roots]', size: 0 },
    { name: '[static vars]', size: 0 },
    { name: 'System.Object[]', size: -1 },
  ];
  const holders = 100;
  for (let h = 0; h < holders; h++) types.push({ name: `[static var Big.Holder${h}.s_items]`, size: 0 });
  const firstType = types.length;
  for (let t = 0; t < typeCount; t++)
    types.push({
      name: `Company.Product${t % namespaces}.Feature.Type${t}<System.Int32>`,
      size: 24 + (t % 13) * 8,
    });
  const nodes: WriterNode[] = [
    { type: 1, children: [1] },
    { type: 2, children: [] },
  ];
  const perHolder = Math.ceil(objects / holders);
  let made = 0;
  let address = 0x7f0000000000;
  for (let h = 0; h < holders && made < objects; h++) {
    const staticNode = nodes.length;
    nodes[1].children!.push(staticNode);
    nodes.push({ type: 4 + h, children: [staticNode + 1] });
    const children: number[] = [];
    nodes.push({ type: 3, size: 24 + 8 * perHolder, children, address: (address += 0x1000) });
    for (let i = 0; i < perHolder && made < objects; i++, made++) {
      children.push(nodes.length);
      // Skewed: low type numbers are common, so sizes differ by orders of magnitude.
      const t = Math.floor(typeCount * Math.pow(((made * 7919) % objects) / objects, 3));
      nodes.push({ type: firstType + t, address: (address += 0x40) });
    }
  }
  return { types, nodes, root: 0 };
}
