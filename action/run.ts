/** The Action: read inputs and context once, then run the mode. Every failure ends in one setFailed. */
import * as core from '@actions/core';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeapgateError } from '../src/errors.js';
import { redact } from './apiError.js';
import { selectArtifactStore } from './artifacts.js';
import { readConfig } from './config.js';
import { readContext } from './context.js';
import { gate } from './gate.js';
import { GitHubApi } from './github.js';
import { report } from './reportMode.js';
import { soak } from './soak.js';

export async function run(): Promise<void> {
  try {
    // The token first: nothing after this line can print it unmasked.
    const token = core.getInput('github-token');
    if (token) core.setSecret(token);
    const config = readConfig((name) => core.getInput(name));
    const ctx = readContext(process.env);
    const api = new GitHubApi(config.token, ctx.repo);
    const store = selectArtifactStore(process.env, api, ctx.repo, config.token);
    const deps = { config, ctx, api, store, actionRoot: actionRoot() };
    if (config.mode === 'report') await report(deps);
    else if (config.mode === 'soak') await soak(deps);
    else await gate(deps);
  } catch (err) {
    const message = failureMessage(err, process.env.HEAPGATE_DEBUG === '1');
    core.setFailed(`heapgate: ${message}`);
    await core.summary
      .addRaw(`### ❌ heapgate could not complete\n\n\`\`\`\n${firstLines(message)}\n\`\`\`\n`, true)
      .write()
      .catch(() => undefined);
  }
}

/**
 * What the failure annotation says: a HeapgateError's own message; anything else is a bug, shown as
 * one line with a request to report it (the stack only with HEAPGATE_DEBUG=1). Tokens never pass.
 */
export function failureMessage(err: unknown, debug: boolean): string {
  if (err instanceof HeapgateError) return redact(err.message);
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (debug && err instanceof Error && err.stack) return redact(err.stack);
  return `internal error: ${redact(text.split('\n')[0] ?? '').slice(0, 300)} (please report it at https://github.com/heapgate/heapgate/issues; set HEAPGATE_DEBUG=1 for details)`;
}

/** The folder holding action.yml: the bundle is dist/index.js below it. */
function actionRoot(): string {
  return process.env.GITHUB_ACTION_PATH || join(dirname(fileURLToPath(import.meta.url)), '..');
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 20).join('\n').replace(/```/g, "'''");
}
