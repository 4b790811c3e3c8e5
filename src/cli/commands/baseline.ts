import type { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../../errors.js';
import { describeBaselineChange } from '../../baseline/changes.js';
import { BaselineError } from '../../baseline/parse.js';
import { recordBaseline, withLeaks } from '../../baseline/record.js';
import { findingsOfCheckJson, nextLeaks } from '../../fingerprint/knownLeaks.js';
import { requireScenarioName } from '../../baseline/scenarioName.js';
import type { Baseline } from '../../baseline/schema.js';
import { serializeBaseline } from '../../baseline/serialize.js';
import { compareNames } from '../../diff/diffStats.js';
import { retainedByType } from '../../graph/evidence.js';
import type { HeapSnapshot } from '../../model/snapshot.js';
import { formatBytes, formatInt } from '../../report/numbers.js';
import { textTable, plain } from '../../report/textTable.js';
import { exists, loadSide, readBaselineFile } from '../inputs.js';
import { VERSION } from '../../version.js';
import { parseCount } from '../options.js';
import type { ExitStatus } from '../exitCodes.js';

interface RecordOptions {
  scenario: string;
  out?: string;
  force?: boolean;
  commit?: string;
  retained?: boolean;
  dryRun?: boolean;
  leaksFrom?: string;
}

export function registerBaseline(program: Command, exit: ExitStatus): void {
  const cmd = program
    .command('baseline')
    .description('record and inspect per-scenario baselines (baselines/<scenario>.json)');
  cmd
    .command('record')
    .description(
      'record a baseline from one or more snapshots of a scenario (several: per-type median, every sample kept)',
    )
    .argument('<snapshots...>', 'snapshot files of the same scenario')
    .requiredOption('--scenario <name>', 'scenario the snapshots belong to')
    .option('--out <file>', 'where to write (default baselines/<scenario>.json)')
    .option('--force', 'replace an existing baseline of the same scenario')
    .option('--dry-run', 'print the change to the baseline file as a unified diff and write nothing')
    .option('--commit <sha>', 'commit the snapshots were taken at (default $GITHUB_SHA)')
    .option(
      '--retained',
      'also store retained bytes per type (dominator tree), so reports can say what fixing a regression frees',
    )
    .option(
      '--leaks-from <check.json>',
      'remember the leaks of this `heapgate check --json` result as known (first seen dates carry over from the baseline being replaced)',
    )
    .action(async (files: string[], opts: RecordOptions) => {
      exit.code = await record(files, opts);
    });
  cmd
    .command('show')
    .description('summarise a baseline: samples, totals, biggest types and their noise across samples')
    .argument('<file>', 'baseline JSON')
    .option('--json', 'print the validated baseline as JSON')
    .option('--top <n>', 'types to list (default 20)', parseCount)
    .action(async (file: string, opts: { json?: boolean; top?: number }) => {
      const b = await readBaselineFile(file);
      process.stdout.write(opts.json ? serializeBaseline(b) : renderBaseline(b, file, opts.top ?? 20));
    });
}

async function record(files: string[], opts: RecordOptions): Promise<number> {
  requireScenarioName(opts.scenario, '--scenario');
  const out = opts.out ?? `baselines/${opts.scenario}.json`;
  const snaps: HeapSnapshot[] = [];
  for (const f of files) snaps.push((await loadSide(f, { graph: opts.retained === true })).snapshot);
  const commit = opts.commit ?? process.env.GITHUB_SHA;
  let retained: Map<string, number>[] | undefined;
  if (opts.retained) {
    const flat = snaps.find((s) => !s.graph);
    if (flat)
      throw new UsageError(
        `${flat.meta.source}: --retained needs an object graph (a .gcdump), but this snapshot has per-type statistics only`,
      );
    retained = snaps.map((s) => retainedByType(s));
  }
  const next = recordBaseline(snaps, {
    scenario: opts.scenario,
    createdAt: new Date().toISOString(),
    tool: `heapgate ${VERSION}`,
    ...(commit ? { commit } : {}),
    ...(retained ? { retained } : {}),
  });

  const existing = await exists(out);
  let previous: Baseline | undefined;
  if (existing) {
    try {
      previous = await readBaselineFile(out);
    } catch (err) {
      if (!(err instanceof BaselineError)) throw err;
      throw new UsageError(
        `${out} exists and is not a valid heapgate baseline (${err.message}); refusing to overwrite it — move it away or pass another --out`,
      );
    }
  }
  const recorded =
    opts.leaksFrom === undefined
      ? next
      : withLeaks(
          next,
          nextLeaks(
            previous?.leaks,
            findingsOfCheckJson(await readFile(opts.leaksFrom, 'utf8'), opts.leaksFrom),
            {
              date: new Date().toISOString().slice(0, 10),
              ...(commit ? { commit } : {}),
            },
          ),
        );
  const text = serializeBaseline(recorded);
  if (previous) {
    // Never replace another scenario's baseline, even with --force: that is always a wrong --out.
    if (previous.scenario !== opts.scenario) {
      throw new UsageError(
        `${out} is the baseline of scenario '${previous.scenario}', not '${opts.scenario}'; refusing to overwrite it — pass another --out`,
      );
    }
    const change = describeBaselineChange(previous, recorded);
    if (opts.dryRun) return printPatch(out, await readFile(out, 'utf8'), text);
    if (!opts.force) {
      process.stderr.write(
        `${out} already holds a baseline of '${opts.scenario}'. Recording would change:\n${change.map((l) => `  ${l}\n`).join('')}`,
      );
      throw new UsageError(`${out} exists; pass --force to replace it`);
    }
    process.stderr.write(`replacing ${out}:\n${change.map((l) => `  ${l}\n`).join('')}`);
  }
  if (opts.dryRun) return printPatch(out, '', text);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, text);
  process.stdout.write(
    `recorded ${out}: scenario '${opts.scenario}', ${snaps.length} sample${snaps.length === 1 ? '' : 's'}, ${formatInt(Object.keys(next.types).length)} types, ${formatBytes(next.totals.bytes)} in ${formatInt(next.totals.objects)} objects${next.estimated ? ' (ESTIMATED: checks against it will be inconclusive)' : ''}\n`,
  );
  return 0;
}

/** The baseline file's change as a unified diff: baselines keep one type per line, so it reads like a code review. */
function printPatch(file: string, before: string, after: string): number {
  process.stdout.write(
    before === after
      ? `${file}: no change\n`
      : createTwoFilesPatch(
          file,
          file,
          before,
          after,
          before ? 'current' : '(new file)',
          'would be recorded',
        ),
  );
  return 0;
}

function renderBaseline(b: Baseline, file: string, top: number): string {
  const out: string[] = [];
  const field = (k: string, v: string) => out.push(`${k.padEnd(12)}${v}`);
  field('baseline', file);
  field('scenario', b.scenario);
  field('recorded', `${b.createdAt} by ${b.tool}${b.commit ? ` at ${b.commit}` : ''}`);
  field('samples', `${b.samples.length} (${b.statistic} per type)`);
  for (const s of b.samples)
    out.push(
      `${''.padEnd(12)}- ${plain(s.source)} (${s.format}${s.creationTool ? `, ${s.creationTool}` : ''}${s.collectedAt ? `, ${s.collectedAt}` : ''}): ${formatInt(s.totals.objects)} objects, ${formatBytes(s.totals.bytes)}`,
    );
  field('totals', `${formatInt(b.totals.objects)} objects, ${formatBytes(b.totals.bytes)}`);
  field('types', formatInt(Object.keys(b.types).length));
  if (b.estimated) for (const r of b.estimateReasons) out.push(`!! ESTIMATED: ${r}`);
  const entries = Object.entries(b.types)
    .sort(([an, a], [bn, bb]) => bb.bytes - a.bytes || compareNames(an, bn))
    .slice(0, top);
  const hasRetained = entries.some(([, e]) => e.retained !== undefined);
  const rows = entries.map(([name, e]) => [
    formatInt(e.count),
    formatBytes(e.bytes),
    ...(hasRetained ? [formatBytes(e.retained ?? 0)] : []),
    e.samples ? `${formatInt(Math.min(...e.samples.count))}..${formatInt(Math.max(...e.samples.count))}` : '',
    plain(name),
  ]);
  const header = ['count', 'bytes', ...(hasRetained ? ['retained'] : []), 'count range', 'type'];
  out.push(
    '',
    ...textTable(
      header,
      rows,
      header.map((h) => (h === 'type' ? 'l' : 'r')),
    ),
  );
  return out.join('\n') + '\n';
}
