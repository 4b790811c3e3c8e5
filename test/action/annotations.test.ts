/**
 * Annotations a reviewer can click: a broken rules file fails the bundled Action with one error
 * annotation per problem, carrying the file, line and column, and no stack trace.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ActionFixture, dumpheapStat, sha } from './fixture.js';

let fx: ActionFixture;
beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
  fx.github.commits = [sha('a1'), sha('a0')];
});
afterAll(async () => {
  await fx.stop();
});

it('rules-file problems become ::error file=…,line=…,col=… annotations', async () => {
  const head = join(fx.dir, 'head.txt');
  writeFileSync(head, dumpheapStat([['System.String', 1000, 64_000]]));
  // The runner's workspace is <run dir>/workspace; the rules file sits in a folder of it.
  const r = await fx.push(
    sha('a1'),
    { snapshots: head, rules: 'config/heapgate.yml' },
    {
      prepare: (workspace) => {
        mkdirSync(join(workspace, 'config'), { recursive: true });
        writeFileSync(
          join(workspace, 'config', 'heapgate.yml'),
          'version: 1\nrules:\n  - id: big\n    match: "*"\n    max-cuont: 10\n',
        );
      },
    },
  );
  expect(r.code).toBe(1);
  const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
  expect(errors.length).toBeGreaterThanOrEqual(1);
  for (const e of errors)
    expect(e).toMatch(
      /^::error title=heapgate%3A rules file,file=config\/heapgate\.yml,line=\d+,col=\d+::\S/,
    );
  expect(errors.join('\n')).toMatch(/line=5,col=5::.*max-cuont/);
  expect(r.stdout).not.toMatch(/^\s+at /m);
  expect(r.summary).toContain('heapgate could not complete');
});

it('mode: record writes a job summary: the scenario, the commit, the top types', async () => {
  const head = join(fx.dir, 'record.txt');
  writeFileSync(
    head,
    dumpheapStat([
      ['System.String', 1000, 64_000],
      ['Shop.<Orders>.Cache', 50, 4_000_000],
    ]),
  );
  const r = await fx.push(sha('a1'), { snapshots: head, mode: 'record', scenario: 'rec' });
  expect(r.code, r.stdout).toBe(0);
  expect(r.outputs.status).toBe('recorded');
  expect(r.summary).toContain(
    `### heapgate: baseline of <code>rec</code> for <code>${sha('a1').slice(0, 10)}</code>`,
  );
  expect(r.summary).toContain('Recorded as the heapgate-baseline-rec artifact');
  expect(r.summary).toContain('<code>Shop.&lt;Orders&gt;.Cache</code>');
  expect(r.summary.indexOf('Shop.&lt;Orders')).toBeLessThan(r.summary.indexOf('System.String'));
});
