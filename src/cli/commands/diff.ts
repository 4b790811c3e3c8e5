import type { Command } from 'commander';
import { diffStats } from '../../diff/diffStats.js';
import { diffJson, renderDiffText, sideInfo } from '../../report/diffReport.js';
import { loadSide } from '../inputs.js';
import { parseCount } from '../options.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('per-type count and bytes changes between two heaps (snapshot files or baseline JSON)')
    .argument('<base>', 'base: a snapshot file or a baseline JSON')
    .argument('<head>', 'head: a snapshot file or a baseline JSON')
    .option('--top <n>', 'show only the N biggest changes (default 25 in text; all in JSON)', parseCount)
    .option('--json', 'print one JSON document (schema in README)')
    .action(async (baseFile: string, headFile: string, opts: { top?: number; json?: boolean }) => {
      const base = (await loadSide(baseFile)).snapshot;
      const head = (await loadSide(headFile)).snapshot;
      const diff = diffStats(base, head);
      const b = sideInfo(base.meta);
      const h = sideInfo(head.meta);
      process.stdout.write(
        opts.json
          ? JSON.stringify(diffJson(diff, b, h, opts.top), null, 2) + '\n'
          : renderDiffText(diff, b, h, opts.top ?? 25),
      );
    });
}
