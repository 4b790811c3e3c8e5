/**
 * `mode: soak` of the bundled Action (dist/index.js), run as a runner runs it on a nightly push:
 * the real LeakScenarios app is soaked for 6 rounds; slow-leak fails with a chart and its holder in
 * the job summary and a report artifact, steady passes. A soak run needs no GitHub API at all.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LEAKED_TYPE, scenarioAppDll } from '../support/scenario.js';
import { ActionFixture, sha } from './fixture.js';

let fx: ActionFixture;

beforeAll(async () => {
  fx = new ActionFixture();
  await fx.start();
});
afterAll(async () => {
  await fx.stop();
});
afterEach(() => {
  expect(fx.github.failures, 'requests GitHub would reject').toEqual([]);
});

const soak = (name: string, scenario: string) => ({
  mode: 'soak',
  run: `dotnet "${scenarioAppDll()}" ${name} --rounds 50`,
  rounds: '6',
  scenario,
});

describe('the Action in soak mode', () => {
  it('slow-leak: fails, with a mermaid chart, a sparkline and the s_items holder in the summary, and a report artifact', async () => {
    const before = fx.github.requests.length;
    const r = await fx.push(sha('nightly-1'), soak('slow-leak', 'nightly-slow'));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/::error::heapgate: memory keeps growing in scenario 'nightly-slow'/);
    expect(r.outputs.status).toBe('fail');
    expect(Number(r.outputs.errors)).toBeGreaterThanOrEqual(1);
    expect(r.summary).toMatch(/^### ❌ heapgate soak: memory keeps growing in <code>nightly-slow<\/code>/);
    expect(r.summary).toContain('```mermaid\nxychart-beta');
    expect(r.summary).toContain('    line [6, 9, 12, 15, 18, 21]');
    expect(r.summary).toContain('▁▂▄▅▇█');
    expect(r.summary).toContain(`<code>${LEAKED_TYPE['slow-leak']}</code>`);
    expect(r.summary).toMatch(/held by static field <code>s&#95;items<\/code>/);
    expect(r.stdout).toContain('collected checkpoint "round-6"');
    expect(r.stdout).not.toContain('collected checkpoint "round-7"');

    const [art] = fx.artifacts('heapgate-soak-nightly-slow');
    expect(art.files).toEqual(
      expect.arrayContaining([
        'report.md',
        'report.html',
        'soak.json',
        expect.stringMatching(/^charts\/01-.*SlowLeakItem\.svg$/),
      ]),
    );
    const json = JSON.parse(fx.artifactFile(art.id, 'soak.json')) as {
      schema: string;
      findings: { subject: string }[];
    };
    expect(json.schema).toBe('heapgate-soak');
    expect(json.findings[0].subject).toBe(LEAKED_TYPE['slow-leak']);
    expect(fx.artifactFile(art.id, 'report.md')).toMatch(/\[SVG chart\]\(charts\/01-.*\.svg\)/);
    expect(fx.github.requests.length).toBe(before);
  });

  it('steady: passes over the same rounds', async () => {
    const r = await fx.push(sha('nightly-2'), soak('steady', 'nightly-steady'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('pass');
    expect(r.outputs.errors).toBe('0');
    expect(r.summary).toContain('### ✅ heapgate soak: no type keeps growing in <code>nightly-steady</code>');
    expect(r.summary).not.toContain('```mermaid');
  });

  it('bad soak inputs fail with the input named', async () => {
    const r = await fx.push(sha('nightly-3'), { ...soak('steady', 'x'), rounds: 'six' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Input 'rounds' must be a whole number from 1 to 100000; got 'six'/);
  });
});
