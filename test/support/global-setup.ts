/**
 * vitest global setup: builds the LeakScenarios app once per run, checks the diagnostics tools
 * are installed, and gives the run a snapshot cache folder shared by all test files
 * (HEAPGATE_TEST_CACHE_DIR), removed at the end unless HEAPGATE_KEEP_TEST_FILES=1.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool } from '../../src/tools/discovery.js';
import { buildScenarioApp } from './app.js';

export default async function setup(): Promise<() => void> {
  const missing = (['dotnet-gcdump', 'dotnet-dump'] as const).filter((tool) => findTool(tool) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `The tests need ${missing.join(' and ')}. Install them project-locally with ` +
        missing.map((tool) => `\`dotnet tool install --tool-path .tools ${tool}\``).join(' and ') +
        ' (as .ci/run does), or set HEAPGATE_TOOLS_DIR to a folder that has them.',
    );
  }
  await buildScenarioApp();

  const runId = process.env.HEAPGATE_TEST_RUN_ID ?? `${Date.now().toString(36)}-${process.pid}`;
  const cacheDir = process.env.HEAPGATE_TEST_CACHE_DIR ?? join(tmpdir(), `heapgate-test-cache-${runId}`);
  mkdirSync(cacheDir, { recursive: true });
  // Workers inherit the environment of this process.
  process.env.HEAPGATE_TEST_RUN_ID = runId;
  process.env.HEAPGATE_TEST_CACHE_DIR = cacheDir;

  return () => {
    if (process.env.HEAPGATE_KEEP_TEST_FILES === '1')
      process.stderr.write(`heapgate test snapshots kept in ${cacheDir}\n`);
    else rmSync(cacheDir, { recursive: true, force: true });
  };
}
