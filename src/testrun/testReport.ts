/**
 * The report of a whole `heapgate test` run: every checkpoint and every memory assertion of the
 * test suite, as JSON (result.json), terminal text and budgeted, escaped markdown for the PR
 * comment and job summary.
 */
import { BudgetedMarkdown, renderTable } from '../report/budgetedMarkdown.js';
import { code, escapeText, revealInvisible } from '../report/escape.js';
import { formatBytes, formatInt } from '../report/numbers.js';
import { plain, STATUS_WORD, textTable } from '../report/textTable.js';
import { VERDICT_ICON } from '../report/describe.js';
import type { Verdict } from '../rules/findings.js';
import type { AssertionRecord } from './session.js';
import type { CheckpointInfo } from './protocol.js';

export const TEST_REPORT_SCHEMA_VERSION = 1;

export interface TestRunReport {
  schemaVersion: number;
  tool: string;
  generatedAt: string;
  /** The test command as run (arguments joined for display). */
  command: string;
  /** Its exit code; null when it was killed by a signal. */
  commandExitCode: number | null;
  verdict: Verdict;
  /** Why the verdict is what it is, in one line. */
  summary: string;
  checkpoints: CheckpointInfo[];
  assertions: AssertionRecord[];
}

export function buildTestReport(input: {
  tool: string;
  generatedAt: string;
  command: string;
  commandExitCode: number | null;
  checkpoints: readonly CheckpointInfo[];
  assertions: readonly AssertionRecord[];
}): TestRunReport {
  const failed = input.assertions.filter((a) => a.outcome && !a.outcome.passed).length;
  const errors = input.assertions.filter((a) => a.error !== undefined).length;
  const passed = input.assertions.filter((a) => a.outcome?.passed).length;
  let verdict: Verdict;
  let summary: string;
  if (failed > 0 || errors > 0) {
    verdict = 'fail';
    summary = `${plural(failed, 'memory assertion')} failed${errors ? `, ${plural(errors, 'could', 'could')} not be evaluated` : ''}, ${formatInt(passed)} passed`;
  } else if (input.commandExitCode !== 0) {
    verdict = 'fail';
    summary = `the test command ${input.commandExitCode === null ? 'was killed' : `exited with code ${input.commandExitCode}`}; ${plural(passed, 'memory assertion')} passed`;
  } else if (input.assertions.length === 0) {
    // Never a silent pass: a run that asserted nothing says so.
    verdict = 'inconclusive';
    summary =
      input.checkpoints.length === 0
        ? 'no test took a heap checkpoint (does the suite reference Heapgate.Testing, and did the tests run?)'
        : `${plural(input.checkpoints.length, 'checkpoint')} taken but no memory assertion made`;
  } else {
    verdict = 'pass';
    summary = `${plural(passed, 'memory assertion')} passed`;
  }
  return {
    schemaVersion: TEST_REPORT_SCHEMA_VERSION,
    tool: input.tool,
    generatedAt: input.generatedAt,
    command: input.command,
    commandExitCode: input.commandExitCode,
    verdict,
    summary,
    checkpoints: [...input.checkpoints],
    assertions: [...input.assertions],
  };
}

function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${formatInt(n)} ${n === 1 ? word : pluralWord}`;
}

export function renderTestJson(r: TestRunReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

function statusOf(a: AssertionRecord): 'PASS' | 'FAIL' | 'ERROR' {
  if (a.error !== undefined) return 'ERROR';
  return a.outcome?.passed ? 'PASS' : 'FAIL';
}

function checkpointName(r: TestRunReport, id: string | undefined): string {
  if (id === undefined) return '';
  return r.checkpoints.find((c) => c.id === id)?.name ?? id;
}

function betweenText(r: TestRunReport, a: AssertionRecord): string {
  return a.base !== undefined
    ? `${checkpointName(r, a.base)} -> ${checkpointName(r, a.head)}`
    : checkpointName(r, a.head);
}

export function renderTestText(r: TestRunReport): string {
  const out = [
    `heapgate test: ${STATUS_WORD[r.verdict]} — ${plain(r.summary)}`,
    `command:   ${plain(r.command)}`,
  ];
  if (r.checkpoints.length > 0) {
    out.push('', 'Checkpoints');
    out.push(
      ...textTable(
        ['id', 'test', 'checkpoint', 'objects', 'heap', 'took'],
        r.checkpoints.map((c) => [
          c.id,
          plain(c.test ?? ''),
          plain(c.name),
          formatInt(c.objects),
          formatBytes(c.bytes),
          `${((c.collectMs + c.readMs) / 1000).toFixed(1)} s`,
        ]),
        ['l', 'l', 'l', 'r', 'r', 'r'],
      ).map((l) => `  ${l}`),
    );
  }
  if (r.assertions.length > 0) {
    out.push('', 'Assertions');
    out.push(
      ...textTable(
        ['status', 'test', 'assertion', 'checkpoints'],
        r.assertions.map((a) => [
          statusOf(a),
          plain(a.test ?? ''),
          plain(a.description ?? a.spec.kind),
          plain(betweenText(r, a)),
        ]),
        ['l', 'l', 'l', 'l'],
      ).map((l) => `  ${l}`),
    );
    for (const a of r.assertions) {
      const detail = a.error ?? (a.outcome && !a.outcome.passed ? a.outcome.message : undefined);
      if (!detail) continue;
      out.push('', `  ${statusOf(a)} ${plain(a.test ?? a.id)}`);
      for (const line of detail.split('\n')) out.push(`    ${plain(line)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Marks the PR comment of a test run so later runs edit it in place. */
export function testMarker(name: string): string {
  return `<!-- heapgate:test name=${name.replace(/[^A-Za-z0-9._/-]/g, '_')} -->`;
}

export function renderTestMarkdown(
  r: TestRunReport,
  opts: { name?: string; artifact?: string; maxChars?: number } = {},
): string {
  const artifact = opts.artifact ?? 'the heapgate-test artifact (result.json)';
  const md = new BudgetedMarkdown(
    artifact,
    `\n<sub>${escapeText(r.tool)} · memory assertions of ${code(r.command)} · full report: ${escapeText(artifact)}</sub>\n`,
    opts.maxChars,
  );
  md.emit(testMarker(opts.name ?? 'tests'));
  md.emit(`### ${VERDICT_ICON[r.verdict]} heapgate test: ${r.verdict} — ${escapeText(r.summary)}`);
  const failing = r.assertions.filter((a) => statusOf(a) !== 'PASS');
  for (const a of failing) {
    md.emit('');
    md.emit(`**${statusOf(a)}** ${code(a.test ?? a.id)} — ${escapeText(a.description ?? a.spec.kind)}`);
    const detail = revealInvisible(a.error ?? a.outcome?.message ?? '');
    // The message holds type names and retention paths: a fenced block shows them verbatim and
    // cannot be broken out of, whatever the names contain.
    const fence = '`'.repeat(Math.max(3, longestBacktickRun(detail) + 1));
    md.emit(`${fence}text\n${detail}\n${fence}`);
  }
  if (r.assertions.length > 0)
    md.details(
      `${plural(r.assertions.length, 'assertion')}`,
      renderTable(
        ['', 'Test', 'Assertion', 'Checkpoints'],
        r.assertions.map((a) => [
          statusOf(a) === 'PASS' ? '✅' : '❌',
          code(a.test ?? ''),
          escapeText(a.description ?? a.spec.kind),
          escapeText(betweenText(r, a)),
        ]),
        ['c', 'l', 'l', 'l'],
      ),
    );
  if (r.checkpoints.length > 0)
    md.details(
      `${plural(r.checkpoints.length, 'checkpoint')}`,
      renderTable(
        ['Test', 'Checkpoint', 'Objects', 'Heap', 'Took'],
        r.checkpoints.map((c) => [
          code(c.test ?? ''),
          escapeText(c.name),
          formatInt(c.objects),
          formatBytes(c.bytes),
          `${((c.collectMs + c.readMs) / 1000).toFixed(1)} s`,
        ]),
        ['l', 'l', 'r', 'r', 'r'],
      ),
    );
  return md.finish();
}

function longestBacktickRun(text: string): number {
  let best = 0;
  for (const m of text.matchAll(/`+/g)) best = Math.max(best, m[0].length);
  return best;
}
