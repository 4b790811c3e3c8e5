/**
 * `mode: test` of the bundled Action (dist/index.js) on a pull request: the NUnit example suite runs
 * under `heapgate test`; the leaking test fails the step with its holder in the job summary, an
 * error annotation and one pull request comment, edited in place when a later push fixes it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDotnetExamples, exampleSuiteDir } from '../support/app.js';
import { ActionFixture, sha } from './fixture.js';

let fx: ActionFixture;

beforeAll(async () => {
  await buildDotnetExamples();
  fx = new ActionFixture();
  await fx.start();
}, 900_000);
afterAll(async () => {
  await fx.stop();
});
afterEach(() => {
  expect(fx.github.failures, 'requests GitHub would reject').toEqual([]);
});

const suite = exampleSuiteDir('Inventory.NUnitTests');
const inputs = (filter: string) => ({
  mode: 'test',
  run: `dotnet test "${suite}" -c Release --no-build${filter}`,
  scenario: 'inventory-tests',
});

describe('the Action in test mode', () => {
  it('fails a pull request whose test leaks, with the holder in the summary, an annotation and one comment; a fix edits that comment', async () => {
    const pr = { number: 31, base: sha('test-base'), head: sha('test-head-1') };
    const r = await fx.pullRequest(pr, inputs(''));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.outputs.status).toBe('fail');
    expect(r.outputs.errors).toBe('1');
    expect(r.stdout).toMatch(
      /::error title=heapgate%3A Inventory\.Tests\.StockWatcherMemoryTests\.Retargeted_watchers_are_released::/,
    );
    expect(r.stdout).toMatch(/::error::heapgate test: 1 memory assertion failed, 1 passed/);
    expect(r.summary).toMatch(/^### ❌ heapgate test: fail — 1 memory assertion failed, 1 passed/);
    expect(r.summary).toContain('399 x Inventory.StockWatcher held by List<Inventory.StockWatcher>._items');

    const comments = fx.github.commentsOn(pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('<!-- heapgate:test name=inventory-tests -->');

    const [art] = fx.artifacts('heapgate-test-inventory-tests');
    expect(art.files).toEqual(expect.arrayContaining(['report.md', 'result.json', 'assertions/a2.json']));
    // Snapshots hold every string of the test host: not uploaded unless upload-dumps is set.
    expect(art.files.filter((f) => f.endsWith('.gcdump'))).toEqual([]);

    // The next push leaves out the leaking test: the comment is brought up to date, not duplicated.
    const fixed = await fx.pullRequest(
      { ...pr, head: sha('test-head-2'), action: 'synchronize' },
      inputs(' --filter TestCategory!=leaking-example'),
    );
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.outputs.status).toBe('pass');
    const after = fx.github.commentsOn(pr.number);
    expect(after).toHaveLength(1);
    expect(after[0].body).toMatch(/✅ heapgate test: pass — 1 memory assertion passed/);
  }, 600_000);

  it('says so when the suite took no checkpoint, instead of passing quietly', async () => {
    const r = await fx.push(sha('test-none'), {
      ...inputs(' --filter FullyQualifiedName~NoSuchTest'),
      scenario: 'no-memory-tests',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('inconclusive');
    expect(r.stdout).toMatch(/::warning::heapgate test: no test took a heap checkpoint/);
  }, 600_000);
});
