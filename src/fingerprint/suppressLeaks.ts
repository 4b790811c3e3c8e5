/**
 * Suppressions that name a leak by its fingerprint. Fingerprints exist only once evidence is
 * attached, after the rules have judged, so these suppressions apply in a second step: matching
 * findings move to the suppressed list, and the verdict and per-rule outcomes follow.
 */
import { worst, verdictOf, type Evaluation, type Finding } from '../rules/findings.js';
import { suppresses, suppressionRecord } from '../rules/judge.js';
import type { Suppression } from '../rules/types.js';

export function suppressLeaks(
  ev: Evaluation,
  suppressions: readonly Suppression[],
  today: string,
): Evaluation {
  const byLeak = suppressions.filter((s) => s.fingerprints.length > 0);
  if (byLeak.length === 0) return ev;
  const findings: Finding[] = [];
  const moved: Finding[] = [];
  for (const f of ev.findings) {
    const s = f.check === 'suppression-expired' ? undefined : byLeak.find((sup) => suppresses(sup, f));
    if (!s) {
      findings.push(f);
      continue;
    }
    f.suppressedBy = suppressionRecord(s, today);
    moved.push(f);
  }
  if (moved.length === 0) return ev;
  const rules = ev.rules.map((o) => {
    const mine = findings.filter((f) => f.rule.id === o.rule.id || f.alsoBy?.some((r) => r.id === o.rule.id));
    const floor = o.status === 'inconclusive' && o.findings === 0 ? 'inconclusive' : 'pass';
    return {
      ...o,
      status: worst(
        mine.map((f) => f.status),
        floor,
      ),
      findings: mine.length,
    };
  });
  return {
    ...ev,
    verdict: verdictOf(findings, ev.inconclusiveReasons),
    findings,
    suppressed: [...ev.suppressed, ...moved],
    rules,
  };
}
