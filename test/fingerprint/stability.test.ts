/**
 * Fingerprints of real leaks: each leaking scenario of the scenario app, run three times with
 * different amounts leaked and once more from a clean rebuild of the app in another folder, gives
 * one fingerprint per leak — the same in every run — and the five leaks give five fingerprints.
 * Everything runs through the real CLI (collect, then check).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/tools/run.js';
import { runCli } from '../support/cli.js';
import { LEAKED_TYPE, scenarioAppDir, scenarioAppDll, type LeakScenarioName } from '../support/scenario.js';

const scratch = mkdtempSync(join(tmpdir(), 'heapgate-fingerprint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const rules = join(scratch, 'rules.yml');
writeFileSync(
  rules,
  "version: 1\nrules:\n  - id: leaks\n    match: 'HeapgateScenarios.Leaks.*'\n    max-growth: { count: 2 }\n    evidence: 1\n",
);

interface Fingerprinted {
  subject: string;
  fingerprint?: { id: string; kind: string; basis: string };
}

/** Runs `scenario` with the given dll, and returns the fingerprint check gives its leaked type. */
async function fingerprint(dll: string, scenario: LeakScenarioName, perRound: number, tag: string) {
  const out = join(scratch, `${scenario}-${tag}`);
  const collected = await runCli([
    'collect',
    '-o',
    out,
    '-q',
    '--checkpoints',
    'warmup,round-2',
    '--',
    'dotnet',
    dll,
    scenario,
    '--rounds',
    '2',
    '--per-round',
    String(perRound),
  ]);
  expect(collected.code, collected.stderr).toBe(0);
  const r = await runCli([
    'check',
    join(out, 'round-2.gcdump'),
    '--baseline',
    join(out, 'warmup.gcdump'),
    '--rules',
    rules,
    '--json',
  ]);
  expect(r.code, r.stderr).toBe(1);
  const findings = (JSON.parse(r.stdout) as { findings: Fingerprinted[] }).findings;
  const leak = findings.find((f) => f.subject === LEAKED_TYPE[scenario]);
  expect(leak?.fingerprint?.kind, `${scenario}: ${JSON.stringify(findings.map((f) => f.subject))}`).toBe(
    'path',
  );
  return leak!.fingerprint!;
}

const SCENARIOS = Object.keys(LEAKED_TYPE) as LeakScenarioName[];
const PER_ROUND = [40, 57, 73];

let rebuiltDll: string;
beforeAll(async () => {
  // A clean rebuild: the app's sources copied to another folder and built there from nothing.
  const dir = join(scratch, 'rebuilt-app');
  cpSync(scenarioAppDir, dir, { recursive: true, filter: (src) => !/[\\/](bin|obj)$/.test(src) });
  const built = await runCommand('dotnet', ['build', '-c', 'Release', '-o', join(dir, 'out'), '--nologo'], {
    cwd: dir,
    timeoutMs: 300_000,
  });
  expect(built.code, built.stdout + built.stderr).toBe(0);
  rebuiltDll = join(dir, 'out', 'LeakScenarios.dll');
}, 400_000);

describe('leak fingerprints of the scenario app', () => {
  const seen = new Map<LeakScenarioName, string>();

  it.each(SCENARIOS)(
    '%s: one fingerprint over three runs leaking different amounts and a clean rebuild',
    async (scenario) => {
      const ids: string[] = [];
      for (const [i, n] of PER_ROUND.entries())
        ids.push((await fingerprint(scenarioAppDll(), scenario, n, `run${i}`)).id);
      ids.push((await fingerprint(rebuiltDll, scenario, 61, 'rebuilt')).id);
      expect(new Set(ids).size, ids.join(', ')).toBe(1);
      seen.set(scenario, ids[0]);
    },
    300_000,
  );

  it('five leaks, five fingerprints', () => {
    expect(seen.size).toBe(SCENARIOS.length);
    expect(new Set(seen.values()).size).toBe(SCENARIOS.length);
  });
});
