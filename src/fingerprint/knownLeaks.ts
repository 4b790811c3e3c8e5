/**
 * Known leaks: a baseline remembers the fingerprints of the leaks its run had, with the date (and
 * commit) each was first seen. A later check then tells a reader which of its findings are new,
 * which are known (and since when), and which known leaks are gone.
 */
import { z } from '../json/zod.js';
import { UsageError } from '../errors.js';
import { lineCol, tooDeep } from '../json/nesting.js';
import type { Finding } from '../rules/findings.js';

export interface KnownLeak {
  subject: string;
  kind: 'path' | 'type';
  basis: string;
  firstSeen: { date: string; commit?: string };
}

/** By fingerprint id. */
export type KnownLeaks = Record<string, KnownLeak>;

export interface LeakSummary {
  new: number;
  known: number;
  /** Leaks the baseline knew that no finding of this run has. */
  fixed: (KnownLeak & { id: string })[];
}

/**
 * Marks each fingerprinted finding new or known against the baseline's leaks, and lists the fixed
 * ones; undefined when the baseline keeps no leak record (recorded before it could, or by hand).
 */
export function classifyLeaks(
  findings: readonly Finding[],
  known: KnownLeaks | undefined,
): LeakSummary | undefined {
  if (!known) return undefined;
  const seen = new Set<string>();
  let fresh = 0;
  let old = 0;
  for (const f of findings) {
    const id = f.fingerprint?.id;
    if (id === undefined) continue;
    seen.add(id);
    const k = Object.hasOwn(known, id) ? known[id] : undefined;
    if (k) {
      f.leak = { status: 'known', firstSeen: k.firstSeen };
      old++;
    } else {
      f.leak = { status: 'new' };
      fresh++;
    }
  }
  const fixed = Object.entries(known)
    .filter(([id]) => !seen.has(id))
    .map(([id, k]) => ({ id, ...k }))
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  return { new: fresh, known: old, fixed };
}

/**
 * The leaks a baseline recorded from this run carries: each fingerprint of its failing or warning
 * findings, first seen when the previous baseline says, else now. Fixed leaks are dropped.
 */
export function nextLeaks(
  previous: KnownLeaks | undefined,
  findings: readonly Pick<Finding, 'subject' | 'fingerprint' | 'suppressedBy'>[],
  now: { date: string; commit?: string },
): KnownLeaks {
  const out: KnownLeaks = {};
  for (const f of findings) {
    const fp = f.fingerprint;
    if (!fp || f.suppressedBy || Object.hasOwn(out, fp.id)) continue;
    const before = previous && Object.hasOwn(previous, fp.id) ? previous[fp.id] : undefined;
    out[fp.id] = {
      subject: before?.subject ?? f.subject,
      kind: fp.kind,
      basis: fp.basis,
      firstSeen: before?.firstSeen ?? { date: now.date, ...(now.commit ? { commit: now.commit } : {}) },
    };
  }
  return out;
}

const CheckJsonFindings = z.object({
  findings: z
    .array(
      z.object({
        subject: z.string(),
        fingerprint: z
          .object({
            id: z.string().regex(/^hg\d+-[0-9a-f]{12}$/),
            kind: z.enum(['path', 'type']),
            basis: z.string(),
          })
          .optional(),
        suppressedBy: z.unknown().optional(),
      }),
    )
    .max(1_000_000),
});

/** The fingerprinted findings of a `heapgate check --json` result, for `baseline record --leaks-from`. */
export function findingsOfCheckJson(text: string, file: string): Pick<Finding, 'subject' | 'fingerprint'>[] {
  const deep = tooDeep(text, 64);
  if (deep)
    throw new UsageError(
      `${file}:${lineCol(text, deep.offset)}: not a heapgate check result (nested too deep)`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `${file}: not JSON (${(err as Error).message}); give the output of 'heapgate check --json'`,
    );
  }
  const parsed = CheckJsonFindings.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(
      `${file}: not a heapgate check result with fingerprints; give the output of 'heapgate check --json'`,
    );
  return parsed.data.findings.filter((f) => f.suppressedBy === undefined);
}
