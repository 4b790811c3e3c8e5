/** The Action: read inputs and context once, then run the mode. Every failure ends in one setFailed. */
import * as core from '@actions/core';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeapgateError } from '../src/errors.js';
import { RulesError } from '../src/rules/errors.js';
import { revealInvisible } from '../src/report/escape.js';
import { redact } from './apiError.js';
import { selectArtifactStore } from './artifacts.js';
import { readConfig } from './config.js';
import { annotationFile } from './findingAnnotations.js';
import { readContext } from './context.js';
import { gate } from './gate.js';
import { GitHubApi } from './github.js';
import { report } from './reportMode.js';
import { soak } from './soak.js';
import { aggregate } from './aggregate.js';
import { testMode } from './testMode.js';
import { actionsCore, type RunnerPort } from './port.js';

export async function run(runner: RunnerPort = actionsCore): Promise<void> {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  // Rules files are named relative to working-directory, once it is known.
  let cwd = workspace;
  try {
    // The token first: nothing after this line can print it unmasked.
    const token = core.getInput('github-token');
    if (token) core.setSecret(token);
    const config = readConfig((name) => core.getInput(name));
    cwd = resolve(workspace, config.workingDirectory);
    const ctx = readContext(process.env);
    const api = new GitHubApi(config.token, ctx.repo);
    const store = selectArtifactStore(process.env, api, ctx.repo, config.token);
    const common = { ctx, api, store, actionRoot: actionRoot(), runner };
    if (config.mode === 'report') await report({ ...common, config });
    else if (config.mode === 'soak') await soak({ ...common, config });
    else if (config.mode === 'aggregate') await aggregate({ ...common, config });
    else if (config.mode === 'test') await testMode({ ...common, config });
    else await gate({ ...common, config });
  } catch (err) {
    const message = failureMessage(err, process.env.HEAPGATE_DEBUG === '1');
    if (err instanceof RulesError) {
      // One annotation per problem, on the line of the rules file a reviewer can click.
      for (const p of err.problems)
        runner.error(revealInvisible(p.message), {
          title: 'heapgate: rules file',
          ...annotationFile(p.file, workspace, cwd),
          startLine: p.line,
          startColumn: p.col,
        });
      runner.fail();
    } else runner.setFailed(`heapgate: ${message}`);
    await runner
      .appendSummary(`### ❌ heapgate could not complete\n\n\`\`\`\n${firstLines(message)}\n\`\`\`\n`)
      .catch(() => undefined);
  }
}

/**
 * What the failure annotation says: a HeapgateError's own message; anything else is a bug, shown as
 * one line with a request to report it (the stack only with HEAPGATE_DEBUG=1). Tokens never pass.
 */
export function failureMessage(err: unknown, debug: boolean): string {
  if (err instanceof HeapgateError) return revealInvisible(redact(err.message));
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (debug && err instanceof Error && err.stack) return redact(err.stack);
  return `internal error: ${revealInvisible(redact(text.split('\n')[0] ?? '')).slice(0, 300)} (please report it at https://github.com/heapgate/heapgate/issues; set HEAPGATE_DEBUG=1 for details)`;
}

/** The folder holding action.yml: the bundle is dist/index.js below it. */
function actionRoot(): string {
  return process.env.GITHUB_ACTION_PATH || join(dirname(fileURLToPath(import.meta.url)), '..');
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 20).join('\n').replace(/```/g, "'''");
}
