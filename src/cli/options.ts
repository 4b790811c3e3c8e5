import { InvalidArgumentError, Option, type Command } from 'commander';

/** Commander parser for a non-negative integer option such as `--top 20`. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`'${value}' is too large`);
  return n;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** Commander parser for sizes: `4096`, `10KB`, `1.5MiB`, `2g`. */
export function parseByteSize(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? BYTE_UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new InvalidArgumentError(`expected a size like 4096, 64KB or 1.5MiB, got '${value}'`);
  }
  return Math.round(Number(m[1]) * unit);
}

/** The report options `check` and `soak` share: --format, --output, --fail-on. */
export function addReportOptions(cmd: Command, failOnHelp: string): Command {
  return cmd
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['md', 'json', 'text', 'html'])
        .default('text'),
    )
    .addOption(new Option('--json', 'shorthand for --format json').conflicts('format'))
    .option('--output <file>', 'write the report to this file instead of stdout')
    .addOption(
      new Option('--fail-on <level>', failOnHelp).choices(['error', 'warning', 'never']).default('error'),
    )
    .hook('preAction', (_program, action) => {
      if (action.getOptionValue('json') === true) action.setOptionValue('format', 'json');
    });
}

/** A one-sided confidence such as 0.99. */
export function parseConfidence(value: string): number {
  const n = Number(value);
  if (!/^\s*0?\.\d+\s*$/.test(value) || !(n > 0.5 && n < 1))
    throw new InvalidArgumentError(`expected a confidence between 0.5 and 1, such as 0.99, got '${value}'`);
  return n;
}
