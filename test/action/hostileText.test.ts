/**
 * Text from the pull request (here a rules file) quoted in the bundled Action's annotations and job
 * summary shows invisible and bidi characters as <U+XXXX>, as the CLI and the reports do.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionFixture, dumpheapStat, sha } from './fixture.js';

let fx: ActionFixture;

beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
});
afterAll(async () => {
  await fx.stop();
});

describe('annotations quoting a rules file', () => {
  it('show a bidi override as <U+202E>, on the line and column of the problem', async () => {
    const r = await fx.push(
      sha('bidi-rules'),
      { snapshots: 'head.txt', rules: 'rules.yml', baseline: 'head.txt', comment: 'off' },
      {
        ref: 'refs/heads/feature',
        prepare: (workspace) => {
          writeFileSync(join(workspace, 'head.txt'), dumpheapStat([['MyApp.Order', 3, 72]]));
          writeFileSync(
            join(workspace, 'rules.yml'),
            'rules:\n  - id: x\n    match: "*"\n    max-growth: { count: 0 }\n    sev\u202Eerity: error\n',
          );
        },
      },
    );
    expect(r.code).toBe(1);
    expect(r.all).not.toMatch(/[\p{Cf}]/u);
    const annotation = r.stdout.split('\n').find((l) => l.startsWith('::error '));
    expect(annotation).toBe(
      "::error title=heapgate%3A rules file,file=rules.yml,line=5,col=5::unknown key 'sev<U+202E>erity' (did you mean 'severity'?)",
    );
  });
});
