import { readFileSync } from 'node:fs';
import { configDefaults, defineConfig, type Plugin } from 'vitest/config';

/** Long real-process suites (a service under load, many collections): `*.long.test.ts`. */
const LONG = 'test/**/*.long.test.ts';

/**
 * @actions/workflow-parser imports its schema JSON without import attributes (it is built for
 * bundlers), so vite loads it (`server.deps.inline`); this loads its files without the source-map
 * comments that point at sources it does not ship, which vite would warn about once per file.
 */
const workflowParser: Plugin = {
  name: 'workflow-parser-without-source-maps',
  enforce: 'pre',
  load(id) {
    if (!/[\\/]node_modules[\\/]@actions[\\/]workflow-parser[\\/].*\.js$/.test(id)) return null;
    return { code: readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, ''), map: null };
  },
};

export default defineConfig({
  plugins: [workflowParser],
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    reporters: ['default', './test/support/summaryReporter.ts'],
    // Two workers on two cores: most files spawn the CLI, dotnet apps or the diagnostics tools, so
    // more workers only make them starve each other (and the runner) on a loaded machine.
    maxWorkers: 2,
    minWorkers: 1,
    // Limits for the work under test, not for the runner: a test that runs the CLI or a .NET app
    // passes that process its own timeout; these only stop a test that is stuck.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // A slow machine is not a failure: vitest waits this long for a worker to start or stop.
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, LONG] },
      },
      {
        // After everything else, one file at a time, so long suites neither starve the short ones
        // nor each other.
        extends: true,
        test: {
          name: 'long',
          include: [LONG],
          sequence: { groupOrder: 1 },
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
