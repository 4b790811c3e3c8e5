/** HTML reports: one self-contained page per check result, soak result or snapshot. */
import type { HeapSnapshot } from '../../model/snapshot.js';
import type { SoakReport } from '../../soak/report.js';
import type { CheckReport } from '../checkReport.js';
import { checkHtmlReport } from './fromCheck.js';
import { snapshotHtmlReport, type SnapshotHtmlOptions } from './fromSnapshot.js';
import { soakHtmlReport } from './fromSoak.js';
import { stepFactsFromGraph } from './graphFacts.js';
import { renderHtmlPage } from './page.js';

export type { HtmlReport } from './model.js';

/**
 * The page of a check result. `head` is the head snapshot the evidence came from: its per-type
 * bytes feed the treemap and, with a graph, its objects' retained sizes the path explorer.
 */
export function renderCheckHtml(report: CheckReport, opts: { head?: HeapSnapshot } = {}): string {
  const head = opts.head;
  const stepFacts = head ? stepFactsFromGraph(head, [...report.findings, ...report.suppressed]) : undefined;
  return renderHtmlPage(
    checkHtmlReport(report, {
      ...(head ? { headStats: head.stats } : {}),
      ...(stepFacts ? { stepFacts } : {}),
    }),
  );
}

export function renderSoakHtml(report: SoakReport): string {
  return renderHtmlPage(soakHtmlReport(report));
}

export function renderSnapshotHtml(snapshot: HeapSnapshot, opts: SnapshotHtmlOptions): string {
  return renderHtmlPage(snapshotHtmlReport(snapshot, opts));
}
