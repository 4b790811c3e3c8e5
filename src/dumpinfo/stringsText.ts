/** Terminal rendering of `heapgate stat --strings`. */
import { revealInvisible, shorten } from '../report/escape.js';
import { formatBytes, formatInt } from '../report/format.js';
import { plain, textTable } from '../report/textTable.js';
import type { StringReport } from './strings.js';

const MAX_VALUE = 60;

/**
 * A string value from the process as a quoted literal: control characters as escapes (\n, \u001b),
 * invisible and bidi characters as <U+XXXX>, long values shortened in the middle.
 */
export function quoteValue(value: string, length: number): string {
  const literal = revealInvisible(JSON.stringify(shorten(value, MAX_VALUE)));
  return length > value.length ? `${literal} (${formatInt(length)} chars)` : literal;
}

export function renderStringsText(report: StringReport, file: string): string {
  const lines = [
    `${plain(file)}: ${formatInt(report.strings)} strings, ${formatInt(report.stringBytes)} bytes; ` +
      `${formatInt(report.distinctValues)} distinct values, ${formatInt(report.duplicatedValues)} held more than once, ` +
      `wasting ${formatInt(report.wastedBytes)} bytes (${formatBytes(report.wastedBytes)})`,
    '',
    ...textTable(
      ['Copies', 'Each', 'Wasted', 'Value', 'Held by'],
      report.duplicates.map((d) => [
        formatInt(d.count),
        formatInt(d.size),
        formatInt(d.wastedBytes),
        quoteValue(d.value, d.length),
        d.holders.length === 0
          ? '(no object: roots only)'
          : d.holders
              .slice(0, 2)
              .map((h) => `${plain(shorten(h.holder))} (${formatInt(h.count)})`)
              .join(', '),
      ]),
      ['r', 'r', 'r', 'l', 'l'],
    ),
  ];
  if (report.duplicatedValues > report.duplicates.length)
    lines.push(
      `… ${formatInt(report.duplicatedValues - report.duplicates.length)} more duplicated values (--top)`,
    );
  return lines.join('\n') + '\n';
}
