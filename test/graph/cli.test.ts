/**
 * `heapgate roots | refs | dominators` on real snapshots of the LeakScenarios app, run in
 * process through the CLI entry, and one `roots --address` checked against SOS `gcroot` on a
 * memory dump taken at the same checkpoint of the same process.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { RetentionPath, TypeEvidence } from '../../src/model/evidence.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { collectScenarioSnapshots, withScenario } from '../support/scenario.js';
import { dumpAnalyze } from '../support/tools.js';
import { gcdumpNameAsCanonical, sosGcrootText, sosNameAsGcdump } from '../support/referenceText.js';

const ORDER = 'HeapgateScenarios.Leaks.LeakedOrder';
const LIST = `System.Collections.Generic.List<${ORDER}>`;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'heapgate', ...args]);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('roots / refs / dominators on a real snapshot', () => {
  let file: string;
  beforeAll(async () => {
    file = (await collectScenarioSnapshots('static-list', { checkpoints: ['round-1'] }))['round-1'];
  });

  it('roots --type prints the cluster and a pasteable sample path', async () => {
    const r = await cli('roots', file, '--type', ORDER);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^HeapgateScenarios\.Leaks\.LeakedOrder: 2,000 instances, [\d,]+ bytes, retained [\d,]+ bytes$/,
    );
    expect(lines[3]).toBe(`    static field s_orders → ${LIST} → ${ORDER}[] → ${ORDER}`);
    expect(lines.at(-2)).toMatch(/^ {10}-> 0x[0-9a-f]+ HeapgateScenarios\.Leaks\.LeakedOrder$/);
  });

  it('roots --address agrees with the clusters, and --all adds the statics handle', async () => {
    const json = await cli('roots', file, '--type', ORDER, '--json');
    const ev = JSON.parse(json.stdout) as TypeEvidence;
    const address = ev.clusters[0].sample.steps.at(-1)?.address as string;

    const one = JSON.parse((await cli('roots', file, '--address', address, '--json')).stdout) as {
      type: string;
      paths: RetentionPath[];
    };
    expect(one.type).toBe(ORDER);
    expect(one.paths).toEqual([ev.clusters[0].sample]);

    const all = JSON.parse((await cli('roots', file, '--address', address, '--all', '--json')).stdout) as {
      paths: RetentionPath[];
    };
    expect(all.paths.length).toBeGreaterThanOrEqual(2);
    expect(all.paths.map((p) => p.rootKind)).toContain('static field');
    // Statics also hang off the runtime's strong handle to the statics array.
    expect(all.paths.map((p) => p.rootKind)).toContain('strong handle');
    for (const p of all.paths) expect(p.steps.at(-1)?.address).toBe(address);
    const limited = await cli('roots', file, '--address', address, '--all', '--limit', '1');
    expect(limited.stdout).toContain('Found 1 root path (stopped at --limit 1).');
  });

  it('refs lists referrers and references with types and sizes', async () => {
    const ev = JSON.parse((await cli('roots', file, '--type', ORDER, '--json')).stdout) as TypeEvidence;
    const steps = ev.clusters[0].sample.steps;
    const refs = JSON.parse(
      (await cli('refs', file, '--address', steps[1].address as string, '--json')).stdout,
    ) as {
      schemaVersion: number;
      command: string;
      object: { type: string; retained: number; size: number };
      referrers: { type: string; address?: string }[];
      references: { type: string }[];
    };
    expect([refs.schemaVersion, refs.command]).toEqual([1, 'refs']);
    expect(refs.object.type).toBe(`${ORDER}[]`);
    expect(refs.referrers.map((r) => r.address)).toContain(steps[0].address);
    expect(refs.references.filter((r) => r.type === ORDER)).toHaveLength(2000);
    expect(refs.object.retained).toBeGreaterThan(refs.object.size);
    const text = await cli('refs', file, '--address', steps[1].address as string, '--limit', '3');
    expect(text.stdout).toContain('References (2000):');
    expect(text.stdout).toContain('… 1997 more (raise --limit)');
  });

  it('dominators lists the biggest retainers', async () => {
    const r = await cli('dominators', file, '--top', '5', '--json');
    const out = JSON.parse(r.stdout) as {
      schemaVersion: number;
      command: string;
      reachableBytes: number;
      dominators: { type: string; retained: number; shallow: number }[];
    };
    expect([out.schemaVersion, out.command]).toEqual([1, 'dominators']);
    expect(out.dominators).toHaveLength(5);
    const retained = out.dominators.map((d) => d.retained);
    expect([...retained].sort((a, b) => b - a)).toEqual(retained);
    for (const d of out.dominators) expect(d.retained).toBeLessThanOrEqual(out.reachableBytes);
    expect(out.dominators.map((d) => d.type)).toContain(LIST);
  });

  it('roots --type matches like stat --type: the simple name, a substring or a glob picks the one type', async () => {
    const full = JSON.parse((await cli('roots', file, '--type', ORDER, '--json')).stdout) as TypeEvidence;
    for (const query of ['LeakedOrder', 'leakedorder', '*.LeakedOrder']) {
      const r = await cli('roots', file, '--type', query, '--json');
      expect(r.code, query).toBe(0);
      expect(JSON.parse(r.stdout), query).toEqual(full);
    }
  });

  it('reports usage errors with exit code 2', async () => {
    expect((await cli('roots', file)).stderr).toContain('exactly one of --type <name> or --address <addr>');
    const missing = await cli('roots', file, '--address', '0x10');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no object at 0x10');
    const ambiguous = await cli('roots', file, '--type', 'LeakedOrd');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(`'LeakedOrd' matches 3 types: `);
    expect(ambiguous.stderr).toContain(ORDER);
    expect(ambiguous.stderr).toContain(LIST);
    const none = await cli('roots', file, '--type', 'NoSuchTypeAnywhere');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no instances of type 'NoSuchTypeAnywhere'`);
    expect((await cli('refs', file, '--address', 'zz')).stderr).toContain("'zz' is not an object address");
  });
});

describe('cross-check with SOS gcroot', () => {
  it('finds the paths SOS reports, object for object, and no others, from a .gcdump and from a dump of the same moment', async () => {
    await withScenario('static-list', { rounds: 1 }, async (s) => {
      expect(await s.checkpoint()).toBe('warmup');
      s.continue();
      // The process waits at round-1 while both snapshots are taken.
      expect(await s.checkpoint()).toBe('round-1');
      const dump = await s.dump();
      const gcdump = await s.gcdump();
      const ev = JSON.parse((await cli('roots', gcdump, '--type', ORDER, '--json')).stdout) as TypeEvidence;
      // Sampled objects: the first and last instance of the leaked type, and one between.
      const graph = await loadSnapshot(gcdump, { graph: true });
      const order = graph.types.names.indexOf(ORDER);
      const instances: string[] = [];
      for (let i = 0; i < (graph.graph?.nodeCount ?? 0); i++)
        if (graph.graph?.nodeType[i] === order)
          instances.push(`0x${graph.graph.nodeAddress.of(i).toString(16)}`);
      expect(instances.length).toBeGreaterThan(100);
      const samples = [
        ev.clusters[0].sample.steps.at(-1)?.address as string,
        instances[0],
        instances[instances.length >> 1],
        instances[instances.length - 1],
      ];
      for (const address of samples) {
        // SOS's text, read by the test-only reader (not heapgate's gcroot reader).
        const sos = sosGcrootText(await dumpAnalyze(dump, [`gcroot ${address}`]));
        expect(sos.paths.length).toBeGreaterThan(0);
        expect(sos.paths).toHaveLength(sos.found);
        // The .gcdump, and the dump itself through the ClrMD reader: both must agree with SOS.
        for (const file of [gcdump, dump]) {
          const ours = JSON.parse(
            (await cli('roots', file, '--address', address, '--all', '--json')).stdout,
          ) as {
            paths: RetentionPath[];
          };
          agreeWithGcroot(sos, ours.paths, `${address} in ${file}`);
        }
      }
    });
  });
});

/**
 * Every SOS path is one of ours, object for object, from the same kind of root; each of ours is an
 * SOS path, or the tail of one below a static variable (heapgate names the static; SOS shows the
 * runtime's statics array above it).
 */
function agreeWithGcroot(sos: ReturnType<typeof sosGcrootText>, paths: RetentionPath[], what: string): void {
  const step = (address: string | undefined, type: string) =>
    `${BigInt(address ?? 0).toString(16)} ${gcdumpNameAsCanonical(type)}`;
  const sosKeys = sos.paths.map((p) => p.steps.map((st) => step(st.address, sosNameAsGcdump(st.type))));
  const ourKeys = paths.map((p) => p.steps.map((st) => step(st.address, st.type)));
  for (const [i, p] of sosKeys.entries()) {
    const k = ourKeys.findIndex((q) => q.join(' > ') === p.join(' > '));
    expect(
      k,
      `${what}: SOS path ${p.join(' > ')} not among ours:\n${ourKeys.map((q) => q.join(' > ')).join('\n')}`,
    ).toBeGreaterThanOrEqual(0);
    expect(sos.paths[i].root).toContain(`(${paths[k].rootKind})`);
  }
  for (const [k, q] of ourKeys.entries()) {
    const same = sosKeys.some((p) => p.join(' > ') === q.join(' > '));
    if (same) continue;
    const tailOf = sos.paths.find((p, i) => {
      const keys = sosKeys[i];
      const at = keys.length - q.length;
      return (
        at > 0 &&
        keys.slice(at).join(' > ') === q.join(' > ') &&
        p.steps[at].note?.startsWith('static variable')
      );
    });
    expect(tailOf, `${what}: our path ${q.join(' > ')} is not in SOS's gcroot output`).toBeDefined();
    expect(paths[k].rootKind).toBe('static field');
  }
}
