/**
 * `heapgate assert <request.json>`: one Heapgate.Testing assertion on snapshot files, for the
 * library when it runs without `heapgate test` (it collects the checkpoints itself). Prints the
 * outcome as JSON, the same object `heapgate test` answers over its channel.
 */
import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../../errors.js';
import { renderCheckJson } from '../../report/checkReport.js';
import { evaluateAssertion } from '../../testrun/evaluateAssertion.js';
import { AssertRequest, type AssertionOutcome } from '../../testrun/protocol.js';
import { VERSION } from '../../version.js';
import { ExitCode, type ExitStatus } from '../exitCodes.js';
import { loadSide, readText } from '../inputs.js';

export function registerAssert(program: Command, exit: ExitStatus): void {
  program
    .command('assert')
    .description(
      'judge one Heapgate.Testing assertion request (JSON; base and head are snapshot files) and print its outcome as JSON (exit 0 pass, 1 fail, 2 usage or input error)',
    )
    .argument('<request>', 'assertion request file')
    .option('--report <file>', 'also write the check report (JSON) of the assertion here')
    .action(async (file: string, opts: { report?: string }) => {
      exit.code = await assertOne(file, opts);
    });
}

async function assertOne(file: string, opts: { report?: string }): Promise<number> {
  let json: unknown;
  try {
    json = JSON.parse(await readText(file));
  } catch (err) {
    if (err instanceof SyntaxError) throw new UsageError(`${file}: not JSON: ${err.message}`);
    throw err;
  }
  const parsed = AssertRequest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${file}: ${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`);
  }
  const req = parsed.data;
  const head = (await loadSide(req.head, { graph: true })).snapshot;
  const base = req.base === undefined ? undefined : (await loadSide(req.base)).snapshot;
  const result = evaluateAssertion({
    spec: req.assertion,
    label: `${file}${req.test ? ` (${req.test})` : ''}`,
    ...(req.description !== undefined ? { description: req.description } : {}),
    ...(base && req.base !== undefined ? { base: { snapshot: base, name: req.baseName ?? req.base } } : {}),
    head: { snapshot: head, name: req.headName ?? req.head },
    now: new Date(),
    tool: `heapgate ${VERSION}`,
  });
  if (opts.report) {
    await mkdir(dirname(opts.report), { recursive: true });
    await writeFile(opts.report, renderCheckJson(result.report));
  }
  const outcome: AssertionOutcome = {
    passed: result.passed,
    verdict: result.report.verdict,
    message: result.message,
    ...(opts.report ? { report: opts.report } : {}),
    snapshots: [...(req.base !== undefined ? [req.base] : []), req.head],
  };
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  return result.passed ? ExitCode.ok : ExitCode.gateFailed;
}
