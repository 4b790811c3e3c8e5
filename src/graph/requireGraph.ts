import { UsageError } from '../errors.js';
import type { HeapGraph, HeapSnapshot } from '../model/snapshot.js';

/** The object graph, or an actionable error for statistics-only sources (SOS text, reports). */
export function requireGraph(snapshot: HeapSnapshot): HeapGraph {
  if (!snapshot.graph) {
    throw new UsageError(
      `${snapshot.meta.source}: has per-type statistics only (${snapshot.meta.format}); ` +
        'root paths, referrers and retained sizes need an object graph such as a .gcdump',
    );
  }
  return snapshot.graph;
}
