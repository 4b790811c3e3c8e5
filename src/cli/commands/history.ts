/**
 * `heapgate history <baseline>`: a committed baseline's versions along git history (or several
 * baseline files, e.g. downloaded artifacts), per-type counts across them, and for each type whose
 * level changed, the commit range where the change began.
 */
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { BaselineError, parseBaseline } from '../../baseline/parse.js';
import type { Baseline } from '../../baseline/schema.js';
import { UsageError } from '../../errors.js';
import { buildHistory, type HistoryPoint } from '../../history/levels.js';
import { renderHistoryMarkdown, renderHistoryText } from '../../report/history.js';
import { runCommand } from '../../tools/run.js';
import { jsonDocument } from '../jsonOutput.js';
import { parseCount } from '../options.js';
import { readBaselineFile } from '../inputs.js';

interface HistoryOptions {
  type?: string;
  top?: number;
  maxCommits: number;
  minCount: number;
  format: 'text' | 'md' | 'json';
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description(
      "per-type counts across a baseline's recorded versions (its git history, or several baseline files), and where each change of level began",
    )
    .argument(
      '<baselines...>',
      'one committed baseline file (read along git history), or several baseline files',
    )
    .option('--type <pattern>', 'only types whose name contains this text, or matches this glob')
    .option('--top <n>', 'types listed', parseCount, 20)
    .option('--max-commits <n>', 'newest versions read from git history', parseCount, 100)
    .option(
      '--min-count <n>',
      'smallest change of level reported, in objects (and at least 10%)',
      parseCount,
      100,
    )
    .option('--format <format>', 'text, md or json', 'text')
    .action(async (files: string[], opts: HistoryOptions) => {
      if (!['text', 'md', 'json'].includes(opts.format))
        throw new UsageError(`--format must be text, md or json; got '${opts.format}'`);
      const points = files.length === 1 ? await fromGit(files[0], opts.maxCommits) : await fromFiles(files);
      if (points.length < 2)
        throw new UsageError(
          `${files.join(', ')}: ${points.length} recorded version${points.length === 1 ? '' : 's'}; history needs two or more (commit the baseline as it changes, or give several baseline files)`,
        );
      const history = buildHistory(points, {
        ...(opts.type !== undefined ? { type: opts.type } : {}),
        top: opts.top ?? 20,
        floor: { count: opts.minCount, pct: 10 },
      });
      const source = files.length === 1 ? files[0] : `${files.length} baselines`;
      process.stdout.write(
        opts.format === 'json'
          ? jsonDocument('history', { source, ...history })
          : opts.format === 'md'
            ? renderHistoryMarkdown(history, source)
            : renderHistoryText(history, source),
      );
    });
}

function point(b: Baseline, commit: string, date: string): HistoryPoint {
  return { commit, date, types: b.types, totals: b.totals };
}

/** The file's versions on the first-parent line of HEAD, oldest first; versions that do not parse are skipped. */
async function fromGit(file: string, max: number): Promise<HistoryPoint[]> {
  const dir = dirname(resolve(file));
  const git = (args: string[]) => runCommand('git', args, { cwd: dir, timeoutMs: 120_000 });
  const name = await git(['ls-files', '--full-name', '--error-unmatch', resolve(file)]);
  if (name.code !== 0)
    throw new UsageError(
      `${file} is not a file git tracks (${name.stderr.trim().split('\n')[0] ?? 'not a git checkout'}); commit it, or give several baseline files`,
    );
  const path = name.stdout.trim();
  const log = await git(['log', '--first-parent', `-n${max}`, '--format=%H%x09%cI', '--', `:(top)${path}`]);
  if (log.code !== 0) throw new UsageError(`git log of ${file} failed: ${log.stderr.trim()}`);
  const commits = log.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t') as [string, string])
    .reverse();
  const points: HistoryPoint[] = [];
  for (const [commit, date] of commits) {
    const shown = await git(['show', `${commit}:${path}`]);
    if (shown.code !== 0) continue;
    try {
      points.push(point(parseBaseline(shown.stdout, `${file}@${commit.slice(0, 10)}`), commit, date));
    } catch (err) {
      if (!(err instanceof BaselineError)) throw err;
      process.stderr.write(`heapgate: skipped ${file} at ${commit.slice(0, 10)}: ${err.message}\n`);
    }
  }
  return points;
}

/** Baseline files ordered by the time they were recorded; each names its commit when it knows it. */
async function fromFiles(files: readonly string[]): Promise<HistoryPoint[]> {
  const points: HistoryPoint[] = [];
  for (const f of files) {
    const b = await readBaselineFile(f);
    points.push(point(b, b.commit ?? f, b.createdAt));
  }
  return points.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
