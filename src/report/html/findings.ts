/** Findings (of check and soak) as the HTML report shows them: words plus explorable root paths. */
import type { PathStep } from '../../model/evidence.js';
import type { Finding } from '../../rules/findings.js';
import { rootLabel } from '../../graph/retentionPath.js';
import { actualText, checkLabel, limitText } from '../describe.js';
import type { HtmlFinding, HtmlPath, HtmlPathStep } from './model.js';

/** Facts about one object on a path, looked up in the snapshot's graph by address. */
export type StepFacts = (address: string) => { retained?: number; referrers?: number } | undefined;

export function htmlFinding(f: Finding, facts?: StepFacts): HtmlFinding {
  const paths: HtmlPath[] = [];
  let retained: number | undefined;
  for (const e of f.evidence ?? []) {
    if (e.retainedBytes !== undefined) retained = (retained ?? 0) + e.retainedBytes;
    for (const a of e.accumulation ?? []) {
      paths.push({
        title: `${a.count.toLocaleString('en-US')} × ${e.type} ${a.summary}`,
        root: rootLabel(a.path.rootKind, a.path.rootName),
        count: a.count,
        steps: a.path.steps.map((s) => htmlStep(s, facts)),
      });
    }
    for (const c of e.clusters) {
      paths.push({
        title: `${c.count.toLocaleString('en-US')} × ${e.type}`,
        root:
          c.rootKind === 'unreachable' ? 'not reachable from any root' : rootLabel(c.rootKind, c.rootName),
        count: c.count,
        bytes: c.bytes,
        steps: c.sample.steps.map((s) => htmlStep(s, facts)),
      });
    }
  }
  const suppressed = f.suppressedBy;
  return {
    status: suppressed ? 'suppressed' : f.status,
    subject: f.subject,
    check: checkLabel(f),
    actual: actualText(f),
    limit: limitText(f),
    rule: [f.rule, ...(f.alsoBy ?? [])].map((r) => `${r.id} (${r.file}:${r.line})`).join(', '),
    ...(f.fingerprint
      ? {
          fingerprint: `${f.fingerprint.id}${f.leak?.status === 'new' ? ', new' : f.leak?.status === 'known' ? `, known since ${f.leak.firstSeen.date}` : ''} (${f.fingerprint.kind === 'type' ? 'type only, no retention path' : f.fingerprint.basis})`,
        }
      : {}),
    ...(f.message !== undefined ? { message: f.message } : {}),
    ...(f.hint !== undefined ? { hint: f.hint } : {}),
    ...(suppressed
      ? {
          suppressedBy: `${suppressed.reason} (${suppressed.file}:${suppressed.line}${suppressed.expires ? `, expires ${suppressed.expires}` : ''})`,
        }
      : {}),
    ...(retained !== undefined ? { retained } : {}),
    paths,
  };
}

export function htmlStep(s: PathStep, facts?: StepFacts): HtmlPathStep {
  const step: HtmlPathStep = { type: s.type };
  if (s.address !== undefined) step.address = s.address;
  if (s.size !== undefined) step.size = s.size;
  if (s.repeat !== undefined) step.repeat = s.repeat;
  const known = s.address !== undefined && facts ? facts(s.address) : undefined;
  if (known?.retained !== undefined) step.retained = known.retained;
  if (known?.referrers !== undefined) step.referrers = known.referrers;
  return step;
}
