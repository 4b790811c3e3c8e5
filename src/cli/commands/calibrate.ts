import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import { calibrate, type Calibration, type MetricNoise } from '../../calibrate/noise.js';
import { noisierThanDefault, suggestRules } from '../../calibrate/suggestRules.js';
import { formatBytes, formatInt } from '../../report/numbers.js';
import { plain, textTable } from '../../report/textTable.js';
import { readBaselineFile } from '../inputs.js';
import { parseConfidence, parseCount } from '../options.js';

interface CalibrateOptions {
  confidence: number;
  json?: boolean;
  rulesOut?: string;
  top?: number;
}

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description(
      'noise bands per type from a baseline recorded from several clean runs: the tolerance a clean run stays within and the smallest growth the gate can detect',
    )
    .argument(
      '<baseline>',
      'baseline JSON recorded from several clean runs (heapgate baseline record a b c ...)',
    )
    .option('--confidence <c>', 'one-sided confidence of the tolerance', parseConfidence, 0.99)
    .option(
      '--rules-out <file>',
      'write a rules file to use beside builtin:default for types noisier than it allows',
    )
    .option('--top <n>', 'moving types listed in the text output (default 20)', parseCount)
    .option('--json', 'print the calibration as JSON')
    .action(async (file: string, opts: CalibrateOptions) => {
      const baseline = await readBaselineFile(file);
      if (baseline.samples.length < 2) {
        throw new UsageError(
          `${file}: recorded from ${baseline.samples.length} snapshot; calibration needs several clean runs (record the baseline from 5 or more)`,
        );
      }
      const result = calibrate(baseline, opts.confidence);
      if (opts.rulesOut !== undefined) await writeFile(opts.rulesOut, suggestRules(result));
      process.stdout.write(
        opts.json ? JSON.stringify(result, null, 2) + '\n' : renderCalibration(result, file, opts.top ?? 20),
      );
    });
}

function range(m: MetricNoise, fmt: (n: number) => string): string {
  return m.min === m.max ? fmt(m.median) : `${fmt(m.min)}–${fmt(m.max)}`;
}

function renderCalibration(c: Calibration, file: string, top: number): string {
  const noisy = new Set(noisierThanDefault(c).map((t) => t.name));
  const lines = [
    `calibration of ${file}: scenario '${c.scenario}', ${c.runs} clean runs, ${(c.confidence * 100).toFixed(1)}% confidence (z = ${c.z.toFixed(3)})`,
    `${formatInt(c.steadyTypes)} types never moved (exact tolerance); ${formatInt(c.moving.length)} moved; ${formatInt(noisy.size)} beyond builtin:default's allowance`,
    '',
  ];
  const rows = c.moving
    .slice(0, top)
    .map((t) => [
      plain(t.name + (noisy.has(t.name) ? ' (!)' : '')),
      plain(range(t.count, formatInt)),
      plain(formatInt(t.count.mad)),
      plain(`+${formatInt(t.count.detectable)}`),
      plain(range(t.bytes, formatBytes)),
      plain(`+${formatBytes(t.bytes.detectable)}`),
    ]);
  if (rows.length > 0) {
    lines.push(
      ...textTable(['type', 'count (min–max)', 'MAD', 'detectable', 'bytes (min–max)', 'detectable'], rows, [
        'l',
        'r',
        'r',
        'r',
        'r',
        'r',
      ]),
    );
    if (c.moving.length > rows.length)
      lines.push(`… ${formatInt(c.moving.length - rows.length)} more moving types (--top, --json)`);
    if (noisy.size > 0)
      lines.push(
        `(!) moves more than builtin:default allows: write --rules-out to give it a calibrated limit`,
      );
  }
  return lines.join('\n') + '\n';
}
