/** Attaching allocation sites from a trace to the findings that deserve evidence. */
import { analyseAllocations } from '../allocs/analyse.js';
import type { AllocationTrace } from '../formats/nettrace/reader.js';
import type { AllocationSitesEvidence } from '../model/evidence.js';
import { canonicalTypeName } from '../model/typeNames.js';
import type { Finding } from '../rules/findings.js';

/** Stacks per type, and frames per stack, kept in reports (the full list is `heapgate allocs`). */
const MAX_STACKS = 3;
const MAX_FRAMES = 8;

function wanted(f: Finding): boolean {
  return (f.status === 'fail' || f.status === 'warn' || f.wouldBe !== undefined) && f.types.length > 0;
}

/**
 * Each failing or warning finding gains, for up to 3 of its types, the top allocation stacks of
 * that type in the trace (type names are compared in canonical form, as snapshots name them).
 * A type the trace never sampled gets none.
 */
export function attachAllocationSites(findings: Finding[], trace: AllocationTrace, source: string): void {
  const types = new Set(findings.filter(wanted).flatMap((f) => f.types.slice(0, 3)));
  if (types.size === 0) return;
  const canonical = new Map<string, string>();
  const report = analyseAllocations(trace, {
    type: (name) => {
      const c = canonicalTypeName(name);
      canonical.set(name, c);
      return types.has(c);
    },
    topStacks: MAX_STACKS,
  });
  const byType = new Map<string, AllocationSitesEvidence>();
  for (const t of report.types) {
    const type = canonical.get(t.type) ?? t.type;
    byType.set(type, {
      type,
      trace: source,
      ticks: t.ticks,
      estimatedBytes: t.bytes,
      relativeError: round(t.relativeError),
      stacks: t.sites.map((s) => ({
        frames: s.frames.slice(0, MAX_FRAMES),
        ticks: s.ticks,
        share: round(s.share),
        shareError: round(s.shareError),
      })),
    });
  }
  for (const f of findings.filter(wanted)) {
    const sites = f.types
      .slice(0, 3)
      .map((t) => byType.get(t))
      .filter((e): e is AllocationSitesEvidence => e !== undefined);
    if (sites.length > 0) f.allocatedAt = sites;
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
