/** Map a path inside a parsed YAML document back to file:line:col. */
import { isMap, isNode, isScalar, type Document, type LineCounter } from 'yaml';
import type { SourcePos } from './types.js';

export type YamlPath = readonly (string | number)[];

/**
 * Position of the node at `path`, or of the key `key` inside the map at `path` when given.
 * Paths that do not exist (a missing required key) fall back to the nearest existing parent.
 */
export function positionOf(
  doc: Document,
  lc: LineCounter,
  file: string,
  path: YamlPath,
  key?: string,
): SourcePos {
  let offset: number | undefined;
  if (key !== undefined) {
    const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isScalar(pair.key) && String(pair.key.value) === key && pair.key.range)
          offset = pair.key.range[0];
      }
    }
  }
  for (let n = path.length; offset === undefined && n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) offset = node.range[0];
  }
  const { line, col } = lc.linePos(offset ?? 0);
  return { file, line, col };
}
