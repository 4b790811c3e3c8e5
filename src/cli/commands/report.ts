/** `heapgate report` — a self-contained HTML page of one snapshot: treemap, top retainers, types. */
import { Option, type Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderSnapshotHtml } from '../../report/html/index.js';
import { VERSION } from '../../version.js';
import { readSnapshot } from '../readSnapshot.js';

interface ReportOptions {
  format: 'html';
  output?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'a self-contained HTML page of one snapshot: what keeps the heap alive (treemap, top retainers with root paths) and a sortable type table',
    )
    .argument('<file>', 'a .gcdump (full page), or any input stat takes (types only)')
    .addOption(new Option('--format <format>', 'report format').choices(['html']).default('html'))
    .option('--html', 'shorthand for --format html')
    .option('--output <file>', 'write the page to this file instead of stdout')
    .action(async (file: string, opts: ReportOptions) => {
      const snapshot = await readSnapshot(file);
      const html = renderSnapshotHtml(snapshot, {
        tool: `heapgate ${VERSION}`,
        generatedAt: new Date().toISOString(),
      });
      if (opts.output) {
        await mkdir(dirname(opts.output), { recursive: true });
        await writeFile(opts.output, html);
        process.stderr.write(
          `heapgate report: ${opts.output} (${Buffer.byteLength(html).toLocaleString('en-US')} bytes)\n`,
        );
      } else process.stdout.write(html);
    });
}
