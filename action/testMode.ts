/**
 * `mode: test`: runs the `run` command (a test suite using Heapgate.Testing) under `heapgate test`,
 * then reports the run's memory assertions — job summary, pull request comment, the
 * heapgate-test-<name> artifact — and fails the step when an assertion or the suite failed.
 * The work is the CLI's (src/testrun); this file only wires inputs and outputs.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { artifactSafe } from '../src/ci/names.js';
import { ensureTool } from '../src/tools/discovery.js';
import { shellCommand } from '../src/tools/shell.js';
import { runTests } from '../src/testrun/runTests.js';
import { renderTestJson, renderTestMarkdown, testMarker } from '../src/testrun/testReport.js';
import { VERSION } from '../src/version.js';
import type { TestModeConfig } from './config.js';
import { freshOutDir, postComment, uploadArtifact, type Deps } from './gate.js';
import { Outputs } from './outputs.js';

const SUMMARY_CHARS = 512 * 1024;

export function testArtifactName(name: string): string {
  return `heapgate-test-${artifactSafe(name)}`;
}

export async function testMode(deps: Deps<TestModeConfig>): Promise<void> {
  const { config, ctx, runner } = deps;
  const cwd = resolve(ctx.workspace, config.workingDirectory);
  const out = freshOutDir(ctx, 'heapgate-test', config.scenario);
  await ensureTool('dotnet-gcdump', { install: true });

  const shell = shellCommand(config.command);
  const report = await runner.group(`running the tests: ${config.command}`, () =>
    runTests({ command: shell.command, args: shell.args, cwd, outDir: out, tool: `heapgate ${VERSION}` }),
  );

  const name = testArtifactName(config.scenario);
  const artifact = `the ${name} artifact`;
  const markdown = renderTestMarkdown(report, { name: config.scenario, artifact });
  writeFileSync(join(out, 'report.md'), markdown);
  writeFileSync(join(out, 'result.json'), renderTestJson(report));
  const summary = renderTestMarkdown(report, { name: config.scenario, artifact, maxChars: SUMMARY_CHARS });
  await runner.appendSummary(summary.replace(/^<!--.*?-->\n/, ''), false);
  await postComment(deps, {
    marker: testMarker(config.scenario),
    body: markdown,
    verdict: report.verdict,
    artifact,
  });

  // Snapshots hold every string of the test host: uploaded only with upload-dumps.
  const assertions = join(out, 'assertions');
  const checkpoints = join(out, 'checkpoints');
  const uploads = [
    join(out, 'report.md'),
    join(out, 'result.json'),
    ...filesIn(assertions),
    ...(config.uploadDumps ? filesIn(checkpoints) : []),
  ];
  await uploadArtifact(deps, name, uploads, out);

  const failed = report.assertions.filter((a) => a.error !== undefined || (a.outcome && !a.outcome.passed));
  for (const a of failed)
    runner.error((a.error ?? a.outcome?.message ?? '').slice(0, 4000), {
      title: `heapgate: ${a.test ?? a.id}`,
    });
  if (report.verdict === 'inconclusive') runner.warning(`heapgate test: ${report.summary}`);
  runner.setOutput(Outputs.Status, report.verdict);
  runner.setOutput(Outputs.Findings, failed.length);
  runner.setOutput(Outputs.Errors, failed.length);
  runner.setOutput(Outputs.Warnings, 0);
  runner.setOutput(Outputs.Notices, 0);
  runner.setOutput(Outputs.ReportMarkdown, join(out, 'report.md'));
  runner.setOutput(Outputs.ResultJson, join(out, 'result.json'));
  if (report.verdict === 'fail') runner.setFailed(`heapgate test: ${report.summary}; see the job summary`);
}

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir).map((f) => join(dir, f));
  } catch {
    return [];
  }
}
