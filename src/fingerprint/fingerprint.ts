/**
 * A leak's identity across runs: a short hash of its normalised retention path, so the same leak
 * found again (another run, a rebuild, a different number of instances) has the same fingerprint,
 * and a different holder gives a different one. Findings without evidence get a type-level
 * fingerprint, marked as such.
 */
import { createHash } from 'node:crypto';
import type { PathCluster, TypeEvidence } from '../model/evidence.js';
import type { Finding } from '../rules/findings.js';
import { normaliseTypeName } from './normalise.js';

/** Bumped when the basis changes: fingerprints of different versions never compare equal. */
export const FINGERPRINT_VERSION = 1;

export interface Fingerprint {
  /** `hg1-` and 12 hex digits of the basis's SHA-256. */
  id: string;
  /** `path`: from the retention path that holds most instances; `type`: no evidence, the type alone. */
  kind: 'path' | 'type';
  /** What was hashed, for a reader: "static field s_items → List<> → Order[] → Order". */
  basis: string;
}

/**
 * The cluster that stands for a type's leak: the one holding most instances (ties: the smaller
 * basis), so the choice depends on the heap's shape, not on the order a walk met the objects.
 */
export function representativeCluster(ev: TypeEvidence): PathCluster | undefined {
  let best: PathCluster | undefined;
  let bestBasis = '';
  for (const c of ev.clusters) {
    if (c.rootKind === 'unreachable') continue;
    const basis = pathBasis(ev.type, c);
    if (!best || c.count > best.count || (c.count === best.count && basis < bestBasis)) {
      best = c;
      bestBasis = basis;
    }
  }
  return best;
}

/** The normalised path: root kind and field, the holders' types, and the leaking type. */
export function pathBasis(type: string, c: PathCluster): string {
  // gcdump names a static by its field, SOS by `Namespace.Class.field`: the field is what both know.
  const field = c.rootName?.slice(c.rootName.lastIndexOf('.') + 1);
  const root = field ? `${c.rootKind} ${field}` : c.rootKind;
  const holders = c.holders.slice(0, -1).map((h) => normaliseTypeName(h));
  return [root, ...holders, normaliseTypeName(type, { keepArguments: true })].join(' → ');
}

export function fingerprintOf(f: Pick<Finding, 'subject' | 'evidence'>): Fingerprint {
  for (const ev of f.evidence ?? []) {
    const c = representativeCluster(ev);
    if (c) return make('path', pathBasis(ev.type, c));
  }
  return make('type', `type ${normaliseTypeName(f.subject, { keepArguments: true })}`);
}

function make(kind: Fingerprint['kind'], basis: string): Fingerprint {
  const hash = createHash('sha256').update(`v${FINGERPRINT_VERSION}\n${basis}`).digest('hex');
  return { id: `hg${FINGERPRINT_VERSION}-${hash.slice(0, 12)}`, kind, basis };
}

/**
 * Sets each finding's fingerprint from its evidence (again, when evidence was attached later).
 * Objects hanging off a leaking object are the same leak: a finding whose path runs through
 * another finding's type along that finding's own path (the strings and buffers of leaked cache
 * entries) takes that finding's fingerprint, so one leak is one fingerprint.
 */
export function attachFingerprints(findings: readonly Finding[]): void {
  const own = findings.map((f) => (f.check === 'suppression-expired' ? undefined : fingerprintOf(f)));
  const paths = own
    .filter((p): p is Fingerprint => p?.kind === 'path')
    .sort((a, b) => a.basis.length - b.basis.length || (a.basis < b.basis ? -1 : 1));
  findings.forEach((f, i) => {
    const mine = own[i];
    if (!mine) return;
    f.fingerprint =
      mine.kind === 'path' ? (paths.find((p) => mine.basis.startsWith(`${p.basis} → `)) ?? mine) : mine;
  });
}
