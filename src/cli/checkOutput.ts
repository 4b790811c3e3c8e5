/** Renders a gate report (check, ab) in the chosen format, to --output or stdout. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HeapSnapshot } from '../model/snapshot.js';
import { renderCheckJson, type CheckReport } from '../report/checkReport.js';
import { renderCheckMarkdown } from '../report/markdown.js';
import { renderCheckText } from '../report/text.js';

export interface CheckOutputOptions {
  format: 'md' | 'json' | 'text' | 'html';
  output?: string;
  top?: number;
  artifact?: string;
}

export async function writeCheckReport(
  command: string,
  report: CheckReport,
  opts: CheckOutputOptions,
  head: HeapSnapshot | undefined,
): Promise<void> {
  const text =
    opts.format === 'json'
      ? renderCheckJson(report)
      : opts.format === 'html'
        ? (await import('../report/html/index.js')).renderCheckHtml(report, { head })
        : opts.format === 'md'
          ? renderCheckMarkdown(report, {
              ...(opts.top !== undefined ? { topChanges: opts.top } : {}),
              ...(opts.artifact ? { artifact: opts.artifact } : {}),
            })
          : renderCheckText(report, { ...(opts.top !== undefined ? { top: opts.top } : {}) });
  if (opts.output) {
    await mkdir(dirname(opts.output), { recursive: true });
    await writeFile(opts.output, text);
    process.stderr.write(`heapgate ${command}: ${report.verdict} (${opts.output})\n`);
  } else process.stdout.write(text);
}
