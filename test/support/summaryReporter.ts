import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest';

/** Prints one plain closing line, "N passed, N failed, N skipped", for CI logs that read it. */
export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const visit = (task: RunnerTask): void => {
      if (task.type === 'suite') {
        for (const t of task.tasks) visit(t);
        return;
      }
      const state = task.result?.state;
      if (state === 'pass') passed++;
      else if (state === 'fail') failed++;
      else skipped++;
    };
    for (const f of files) {
      if (f.result?.state === 'fail' && f.tasks.length === 0) failed++; // a file that failed to load
      for (const t of f.tasks) visit(t);
    }
    if (errors.length > 0) failed += errors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
