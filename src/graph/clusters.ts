/**
 * Groups the instances of a type by the type-level signature of their root path, so evidence
 * reads "12,040 of 12,043 Order are held by static field s_items → Dictionary<…> → Order"
 * instead of listing 12,043 paths.
 */
import type { PathCluster, RetentionPath } from '../model/evidence.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { NodeFlag } from '../model/snapshot.js';
import { formatAddress } from './addresses.js';
import type { PathSignatures } from './pathSignatures.js';
import { requireGraph } from './requireGraph.js';
import { classifyRootPath } from './rootKinds.js';
import { pathTo, type RootPathTree } from './rootPaths.js';
import { rootLabel, staticRootName, toRetentionPath } from './retentionPath.js';
import type { TypeGroups } from './typeGroups.js';

export interface ClusterInputs {
  tree: RootPathTree;
  groups: TypeGroups;
  signatures: PathSignatures;
}

export interface TypeClusters {
  instances: number;
  bytes: number;
  /** Most instances first, then most bytes, then signature. */
  clusters: PathCluster[];
  omitted?: { clusters: number; count: number; bytes: number };
}

interface Tally {
  sig: number;
  count: number;
  bytes: number;
  /** First instance met in tree order: the one with the shortest path in its cluster. */
  sample: number;
}

const UNREACHABLE = -1;

/** Clusters for several canonical groups in one sweep of the graph. */
export function clusterByRootPath(
  snapshot: HeapSnapshot,
  inputs: ClusterInputs,
  groupIds: readonly number[],
  maxClusters: number,
): TypeClusters[] {
  const graph = requireGraph(snapshot);
  const { tree, groups, signatures } = inputs;
  const { nodeType, nodeSize, nodeFlags } = graph;
  const slot = new Int32Array(groups.names.length).fill(-1);
  groupIds.forEach((g, k) => (slot[g] = k));
  const tallies = groupIds.map(() => new Map<number, Tally>());
  const add = (v: number, sig: number) => {
    const k = slot[groups.groupOf[nodeType[v]]];
    if (k < 0 || (nodeFlags[v] & NodeFlag.Pseudo) !== 0) return;
    const t = tallies[k].get(sig);
    if (t) {
      t.count++;
      t.bytes += nodeSize[v];
    } else {
      tallies[k].set(sig, { sig, count: 1, bytes: nodeSize[v], sample: v });
    }
  };
  for (let i = 0; i < tree.reachable; i++) {
    const v = tree.order[i];
    if (groups.groupOf[nodeType[v]] >= 0) add(v, signatures.sigOf[v]);
  }
  for (let v = 0; v < graph.nodeCount; v++) {
    if (signatures.sigOf[v] < 0 && groups.groupOf[nodeType[v]] >= 0) add(v, UNREACHABLE);
  }

  return tallies.map((byKey) => {
    const all = [...byKey.values()].map((t) => describeCluster(snapshot, inputs, t));
    all.sort(
      (a, b) =>
        b.count - a.count ||
        b.bytes - a.bytes ||
        (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0),
    );
    const result: TypeClusters = {
      instances: all.reduce((n, c) => n + c.count, 0),
      bytes: all.reduce((n, c) => n + c.bytes, 0),
      clusters: all.slice(0, maxClusters),
    };
    const rest = all.slice(maxClusters);
    if (rest.length > 0) {
      result.omitted = {
        clusters: rest.length,
        count: rest.reduce((n, c) => n + c.count, 0),
        bytes: rest.reduce((n, c) => n + c.bytes, 0),
      };
    }
    return result;
  });
}

function describeCluster(snapshot: HeapSnapshot, inputs: ClusterInputs, t: Tally): PathCluster {
  const graph = requireGraph(snapshot);
  const { groups, signatures } = inputs;
  if (t.sig === UNREACHABLE) {
    const type = groups.names[groups.groupOf[graph.nodeType[t.sample]]];
    const sample: RetentionPath = {
      rootKind: 'unreachable',
      steps: [
        { type, address: formatAddress(graph.nodeAddress.of(t.sample)), size: graph.nodeSize[t.sample] },
      ],
    };
    return {
      signature: `not reachable from roots → ${type}`,
      rootKind: 'unreachable',
      holders: [type],
      count: t.count,
      bytes: t.bytes,
      sample,
    };
  }
  const entries: number[] = [];
  for (let s = t.sig; s >= 0; s = signatures.parent[s]) entries.push(s);
  entries.reverse();
  const pseudo: string[] = [];
  const holders: string[] = [];
  for (const s of entries) {
    const code = signatures.code[s];
    if (code < 0) pseudo.push(snapshot.types.names[-code - 1]);
    else holders.push(groups.names[code] + (signatures.repeated[s] === 1 ? ' ×n' : ''));
  }
  const root = classifyRootPath(pseudo);
  const rootName =
    root.rootName === undefined ? undefined : staticRootName(root.rootName, holders[0]?.replace(/ ×n$/, ''));
  const cluster: PathCluster = {
    signature: [rootLabel(root.kind, rootName), ...holders].join(' → '),
    rootKind: root.kind,
    holders,
    count: t.count,
    bytes: t.bytes,
    sample: toRetentionPath(snapshot, pathTo(inputs.tree, graph.root, t.sample) ?? [t.sample]),
  };
  if (rootName !== undefined) cluster.rootName = rootName;
  return cluster;
}
