/** `heapgate soak` for the terminal: verdict, series, findings with sparklines, growing types. */
import { heldBy } from '../../graph/retentionPath.js';
import { accumulationLines } from '../text.js';
import type { SoakReport } from '../../soak/report.js';
import { formatBytes, formatInt, formatP, rateText } from '../numbers.js';
import { findingsTable, plain, textTable, verdictHeading } from '../textTable.js';
import { duration } from './markdown.js';
import { sparkline } from './sparkline.js';

export function renderSoakText(r: SoakReport, opts: { top?: number } = {}): string {
  const out: string[] = [];
  out.push(verdictHeading('soak', r, r.scenario));
  const warm = r.series.points.filter((p) => p.warmup).map((p) => plain(p.label));
  const analysed = r.series.points.filter((p) => !p.warmup).map((p) => plain(p.label));
  out.push(
    `series:    ${analysed.length} analysed (${analysed.join(', ')})${warm.length ? `; warm-up skipped: ${warm.join(', ')}` : ''}${r.series.spanHours !== undefined ? `; over ${duration(r.series.spanHours)}` : ''}`,
  );
  if (r.series.projectionSkipped) out.push(`           ${plain(r.series.projectionSkipped)}`);
  out.push(`rules:     ${r.meta.rulesFiles.map(plain).join(', ')}`);
  const c = r.totals.count;
  const b = r.totals.bytes;
  out.push(
    `heap:      ${formatInt(c.first)} -> ${formatInt(c.last)} objects ${sparkline(c.values)} (${rateText('count', c.slopePerRound, 'round')}); ${formatBytes(b.first)} -> ${formatBytes(b.last)} (${rateText('bytes', b.slopePerRound, 'round')})`,
  );
  for (const reason of r.inconclusiveReasons) out.push(`!! inconclusive: ${plain(reason)}`);

  if (r.findings.length > 0) {
    out.push('', 'Findings');
    out.push(
      ...findingsTable(
        r.findings,
        { header: 'type', width: 100 },
        {
          header: 'series',
          cell: (f) => {
            const t = r.types.find((x) => x.name === f.subject);
            return t ? sparkline(t[f.metric ?? 'count'].values) : '';
          },
        },
      ),
    );
    const shown = new Set<string>();
    for (const f of r.findings) {
      for (const ev of f.evidence ?? []) {
        if (shown.has(ev.type)) continue;
        shown.add(ev.type);
        out.push(`  - ${plain(ev.type)}: ${formatInt(ev.instances)} instances in the last snapshot`);
        out.push(...accumulationLines(ev, f.evidenceWanted));
        for (const cl of ev.clusters.slice(0, Math.max(1, f.evidenceWanted))) {
          out.push(
            `    ${formatInt(cl.count)} ${heldBy(cl.rootKind, cl.rootName || undefined, plain)}: ${cl.holders.map(plain).join(' -> ')}`,
          );
        }
      }
    }
  }

  const growing = r.types.filter((t) => t.count.slopePerRound > 0 || t.bytes.slopePerRound > 0);
  const top = growing.slice(0, opts.top ?? 15);
  if (top.length > 0) {
    out.push('', `Growing types (${formatInt(growing.length)} of ${formatInt(r.types.length)} that changed)`);
    const rows = top.map((t) => [
      rateText('count', t.count.slopePerRound, 'round'),
      rateText('bytes', t.bytes.slopePerRound, 'round'),
      formatP(t.count.mannKendall.pIncreasing),
      `${formatInt(t.count.first)} -> ${formatInt(t.count.last)}`,
      sparkline(t.count.values, 16),
      plain(t.name),
    ]);
    out.push(
      ...textTable(['count/round', 'bytes/round', 'p', 'count', 'trend', 'type'], rows, [
        'r',
        'r',
        'r',
        'r',
        'l',
        'l',
      ]).map((l) => `  ${l}`),
    );
  }
  return out.join('\n') + '\n';
}
