/**
 * The text a failing memory assertion puts in the test result: what was expected, what was found,
 * and the first evidence line — the accumulation point, else the retention path — so a reviewer
 * can act from the test output alone.
 */
import { accumulationSummary } from '../graph/accumulation.js';
import { heldBy } from '../graph/retentionPath.js';
import type { CheckReport } from '../report/checkReport.js';
import { actualText, checkLabel, limitText } from '../report/describe.js';
import { formatInt } from '../report/numbers.js';
import type { Finding } from '../rules/findings.js';
import { shortGenericArgs } from '../report/wrap.js';

export interface MessageContext {
  description?: string;
  head: string;
  base?: string;
}

/** '' when the report has no failing finding. */
export function failureMessage(report: CheckReport, ctx: MessageContext): string {
  const failing = report.findings.filter((f) => f.status === 'fail');
  if (failing.length === 0) return '';
  const where = ctx.base
    ? `between checkpoints '${ctx.base}' and '${ctx.head}'`
    : `at checkpoint '${ctx.head}'`;
  const lines = [ctx.description ? `${ctx.description}, found:` : `memory assertion failed ${where}:`];
  for (const f of failing) {
    lines.push(`  ${f.subject}: ${checkLabel(f)} ${actualText(f)}, limit ${limitText(f)}`);
    const held = firstEvidenceLine(f);
    if (held) lines.push(`    ${held}`);
  }
  return lines.join('\n');
}

/** "300 x Shop.OrderSession held by static field Shop.Registry.s_sessions: List<…> -> …" */
export function firstEvidenceLine(f: Finding): string | undefined {
  const ev = f.evidence?.[0];
  if (!ev) return undefined;
  const point = ev.accumulation?.[0];
  if (point) return `${formatInt(point.count)} x ${ev.type} ${accumulationSummary(point, ev.instances)}`;
  const c = ev.clusters[0];
  if (!c) return undefined;
  const path = c.holders.map((h) => shortGenericArgs(h)).join(' -> ');
  return `${formatInt(c.count)} x ${ev.type} ${heldBy(c.rootKind, c.rootName || undefined)}${path ? `: ${path}` : ''}`;
}
