/** `heapgate history` as text and markdown (with a mermaid chart of the largest change). */
import type { History, TypeHistory } from '../history/levels.js';
import { code, escapeText } from './escape.js';
import { formatBytes, formatInt } from './numbers.js';
import { sparkline } from './soak/sparkline.js';
import { plain, textTable } from './textTable.js';

const short = (commit: string) => commit.slice(0, 10);
const day = (date: string) => date.slice(0, 10);

function began(t: TypeHistory): string {
  const c = t.change;
  if (!c) return '';
  return `${c.count > 0 ? 'rose' : 'fell'} between ${short(c.before.commit)} (${day(c.before.date)}) and ${short(c.after.commit)} (${day(c.after.date)})`;
}

function levels(t: TypeHistory): string {
  const c = t.change;
  if (!c) return `${formatInt(t.count[0] ?? 0)} → ${formatInt(t.count.at(-1) ?? 0)}`;
  const sign = c.count > 0 ? '+' : '−';
  return `${sign}${formatInt(Math.abs(Math.round(c.count)))} objects, ${sign}${formatBytes(Math.abs(Math.round(c.bytes)))}`;
}

function heading(h: History, source: string): string {
  const first = h.points[0];
  const last = h.points.at(-1);
  return `heapgate history of ${source}: ${h.points.length} recorded commit${h.points.length === 1 ? '' : 's'}${first && last ? ` (${short(first.commit)} ${day(first.date)} … ${short(last.commit)} ${day(last.date)})` : ''}`;
}

export function renderHistoryText(h: History, source: string): string {
  const out = [plain(heading(h, source)), ''];
  out.push(
    `heap: ${sparkline(h.total.bytes)} ${formatBytes(h.total.bytes[0] ?? 0)} → ${formatBytes(h.total.bytes.at(-1) ?? 0)}${h.total.change ? `; ${began(h.total)}` : ''}`,
  );
  out.push('');
  if (h.changed.length === 0) out.push('No type changed level beyond the noise floor.');
  else {
    out.push('Types whose level changed (largest first):');
    out.push(
      ...textTable(
        ['type', 'objects per commit', 'level change', 'where it began'],
        h.changed.map((t) => [plain(t.name), sparkline(t.count), levels(t), began(t)]),
        ['l', 'l', 'r', 'l'],
      ).map((l) => `  ${l}`),
    );
  }
  return out.join('\n') + '\n';
}

export function renderHistoryMarkdown(h: History, source: string): string {
  const out = [`### 📈 ${escapeText(heading(h, source))}`, ''];
  if (h.changed.length === 0) out.push('No type changed level beyond the noise floor.');
  else {
    out.push('| Type | Objects per commit | Level change | Where it began |', '| :- | :- | -: | :- |');
    for (const t of h.changed)
      out.push(
        `| ${code(t.name)} | ${sparkline(t.count)} | ${escapeText(levels(t))} | ${escapeText(began(t))} |`,
      );
    const top = h.changed[0];
    out.push(
      '',
      '```mermaid',
      'xychart-beta',
      `    title "${top.name.replace(/["\\\n]/g, ' ')} - live objects per commit"`,
      `    x-axis [${h.points.map((p) => `"${short(p.commit).slice(0, 7)}"`).join(', ')}]`,
      `    line [${top.count.join(', ')}]`,
      '```',
    );
  }
  return out.join('\n') + '\n';
}
