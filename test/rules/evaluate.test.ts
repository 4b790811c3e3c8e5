import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffStats } from '../../src/diff/diffStats.js';
import { evaluate } from '../../src/rules/evaluate.js';
import { exitCodeFor, type Evaluation } from '../../src/rules/findings.js';
import { parseRules } from '../../src/rules/parse.js';

type Heap = Record<string, [count: number, bytes: number]>;

function side(heap: Heap) {
  const stats = Object.entries(heap).map(([name, [count, bytes]]) => ({ name, count, bytes }));
  return {
    stats,
    totals: {
      objects: stats.reduce((n, s) => n + s.count, 0),
      bytes: stats.reduce((n, s) => n + s.bytes, 0),
    },
  };
}

function run(
  yaml: string,
  base: Heap | undefined,
  head: Heap,
  opts: { estimated?: string[]; today?: string; uncertain?: string[] } = {},
): Evaluation {
  return evaluate({
    rules: parseRules(yaml, 'h.yml'),
    diff: diffStats(side(base ?? {}), side(head)),
    baselineMissing: base === undefined,
    estimatedReasons: opts.estimated ?? [],
    today: opts.today ?? '2026-01-15',
    ...(opts.uncertain ? { uncertain: { names: opts.uncertain, reasons: ['the walk missed roots'] } } : {}),
  });
}

const summary = (ev: Evaluation) =>
  ev.findings.map(
    (f) =>
      `${f.status} ${f.subject} ${f.check}${f.metric ? `/${f.metric}` : ''} ${f.actual ?? ''}>${f.limit ?? ''}`,
  );

describe('growth limits', () => {
  const rules = 'rules:\n  - id: g\n    match: "*"\n    max-growth: { count: 0 }\n';

  it('fails any growth over an absolute limit and passes equal or lower counts', () => {
    const ev = run(
      rules,
      { A: [10, 100], B: [10, 100], C: [10, 100] },
      { A: [11, 110], B: [10, 100], C: [3, 30] },
    );
    expect(summary(ev)).toEqual(['fail A growth/count 1>0']);
    expect(ev.verdict).toBe('fail');
    expect(ev.findings[0]).toMatchObject({
      base: 10,
      head: 11,
      pct: 10,
      rule: { id: 'g', file: 'h.yml', line: 2, col: 5 },
    });
  });

  it('noise floor: growth below it is ignored, growth at it is judged', () => {
    const y = rules + '    noise-floor: { count: 5 }\n';
    expect(summary(run(y, { A: [10, 0] }, { A: [14, 0] }))).toEqual([]);
    expect(summary(run(y, { A: [10, 0] }, { A: [15, 0] }))).toEqual(['fail A growth/count 5>0']);
  });

  it('percent limits scale with the baseline; abs+% allows the larger of the two', () => {
    const pct = 'rules:\n  - match: "*"\n    max-growth: { bytes: 10% }\n';
    expect(summary(run(pct, { A: [1, 1000] }, { A: [1, 1100] }))).toEqual([]);
    expect(summary(run(pct, { A: [1, 1000] }, { A: [1, 1101] }))).toEqual(['fail A growth/bytes 101>100']);
    const both = 'rules:\n  - match: "*"\n    max-growth: { count: [50, 10%] }\n';
    // small type: the absolute 50 is the larger allowance
    expect(summary(run(both, { S: [100, 0] }, { S: [150, 0] }))).toEqual([]);
    expect(summary(run(both, { S: [100, 0] }, { S: [151, 0] }))).toEqual(['fail S growth/count 51>50']);
    // large type: 10% is the larger allowance
    expect(summary(run(both, { L: [10_000, 0] }, { L: [11_000, 0] }))).toEqual([]);
    expect(summary(run(both, { L: [10_000, 0] }, { L: [11_001, 0] }))).toEqual([
      'fail L growth/count 1001>1000',
    ]);
  });

  it('per: all sums the matched types', () => {
    const y = 'rules:\n  - match: "MyApp.*"\n    per: all\n    max-growth: { count: 5 }\n';
    const ev = run(
      y,
      { 'MyApp.A': [10, 0], 'MyApp.B': [10, 0], Other: [0, 0] },
      { 'MyApp.A': [14, 0], 'MyApp.B': [13, 0], 'MyApp.New': [1, 0], Other: [99, 0] },
    );
    expect(summary(ev)).toEqual(['fail 3 types matching MyApp.* growth/count 8>5']);
    expect(ev.findings[0].types).toEqual(['MyApp.A', 'MyApp.B', 'MyApp.New']);
  });

  it('property: a growth finding appears exactly when a naive oracle says the limit is exceeded', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.nat(10_000),
        fc.option(fc.nat(500), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
        fc.option(fc.nat(300), { nil: undefined }),
        (base, head, abs, pct, floor) => {
          if (abs === undefined && pct === undefined) abs = 0;
          const limit = [abs, pct === undefined ? undefined : `${pct}%`].filter((x) => x !== undefined);
          const y = `rules:\n  - match: T\n    max-growth: { count: ${JSON.stringify(limit)} }\n${floor === undefined ? '' : `    noise-floor: { count: ${floor} }\n`}`;
          const ev = run(y, { T: [base, 0] }, { T: [head, 0] });
          const growth = head - base;
          const allowed = Math.max(
            abs ?? -Infinity,
            pct === undefined ? -Infinity : Math.floor((base * pct) / 100),
          );
          const expectFail = (floor === undefined || growth >= floor) && growth > allowed;
          expect(ev.findings.length).toBe(expectFail ? 1 : 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('absolute limits and totals', () => {
  it('max-count and max-bytes judge head values, also without a baseline', () => {
    const y = 'rules:\n  - match: A\n    max-count: 10\n    max-bytes: 1KB\n    max-growth: { count: 0 }\n';
    const ev = run(y, undefined, { A: [11, 2048] });
    // 2x over the byte limit ranks before 1.1x over the count limit
    expect(summary(ev)).toEqual(['fail A max-bytes/bytes 2048>1024', 'fail A max-count/count 11>10']);
    // Growth could not be checked: the verdict stays fail (a definite violation), with the reason listed.
    expect(ev.verdict).toBe('fail');
    expect(ev.inconclusiveReasons).toEqual(['no baseline: growth and new-type limits were not checked']);
  });

  it('match: total checks the heap totals', () => {
    const y = 'rules:\n  - match: total\n    max-growth: { bytes: [1000, 10%] }\n    severity: warning\n';
    const ev = run(y, { A: [1, 5000], B: [1, 5000] }, { A: [1, 6000], B: [1, 5100] });
    expect(summary(ev)).toEqual(['warn total growth/bytes 1100>1000']);
    expect(ev.verdict).toBe('warn');
  });
});

describe('new types', () => {
  const base = { Old: [1, 10] } as Heap;
  it('default policy warns about any new type; floors raise the bar', () => {
    expect(
      summary(
        run('rules:\n  - match: "*"\n    max-growth: { count: 0 }\n', base, { Old: [1, 10], Fresh: [1, 8] }),
      ),
    ).toEqual(['warn Fresh new-type/count 1>0']);
    const floored = 'rules:\n  - match: "*"\n    max-growth: { count: 0 }\n    noise-floor: { count: 10 }\n';
    expect(summary(run(floored, base, { Old: [1, 10], Fresh: [10, 8_000_000] }))).toEqual([]);
    expect(summary(run(floored, base, { Old: [1, 10], Fresh: [11, 8] }))).toEqual([
      'warn Fresh new-type/count 11>10',
    ]);
  });

  it('allow, and fail with its own limits at the rule severity', () => {
    expect(
      summary(
        run('rules:\n  - match: "*"\n    new-types: allow\n', base, { Old: [1, 10], Fresh: [1000, 8] }),
      ),
    ).toEqual([]);
    const y = 'rules:\n  - match: "*"\n    new-types: { action: fail, max-count: 100, max-bytes: 1MB }\n';
    expect(summary(run(y, base, { Old: [1, 10], Fresh: [100, 1024 * 1024] }))).toEqual([]);
    expect(summary(run(y, base, { Old: [1, 10], Big: [1, 1024 * 1024 + 1], Many: [101, 8] })).sort()).toEqual(
      ['fail Big new-type/bytes 1048577>1048576', 'fail Many new-type/count 101>100'],
    );
  });

  it('a type seen in the baseline with a median of 0 is not new', () => {
    const y = 'rules:\n  - match: "*"\n    new-types: fail\n    max-growth: { count: 5 }\n';
    expect(summary(run(y, { Rare: [0, 0] }, { Rare: [3, 30] }))).toEqual([]);
  });
});

describe('ignore and suppressions', () => {
  const rules = [
    'rules:',
    '  - id: g',
    '    match: "*"',
    '    max-growth: { count: 0 }',
    '  - id: h',
    '    match: "*"',
    '    max-count: 5',
    '',
  ].join('\n');
  const base: Heap = { 'MyApp.Cache': [1, 0], 'Noise.X': [1, 0] };
  const head: Heap = { 'MyApp.Cache': [9, 0], 'Noise.X': [9, 0] };

  it('ignored types are invisible to every rule', () => {
    expect(summary(run(rules + 'ignore: ["Noise.*"]\n', base, head)).every((s) => !s.includes('Noise'))).toBe(
      true,
    );
  });

  it('a suppression hides matching findings (optionally for one rule) and records why', () => {
    const y =
      rules +
      'suppressions:\n  - match: MyApp.Cache\n    rule: g\n    reason: "tracked in #42"\n    expires: 2026-01-15\n';
    const ev = run(y, base, head, { today: '2026-01-15' });
    expect(ev.suppressed.map((f) => `${f.rule.id} ${f.subject}`)).toEqual(['g MyApp.Cache']);
    expect(ev.suppressed[0].suppressedBy).toEqual({
      reason: 'tracked in #42',
      expires: '2026-01-15',
      expired: false,
      file: 'h.yml',
      line: 9,
    });
    // rule h still fires for MyApp.Cache
    expect(summary(ev)).toContain('fail MyApp.Cache max-count/count 9>5');
  });

  it('an expired suppression still applies but adds a warning that names it', () => {
    const y =
      rules +
      'suppressions:\n  - match: ["MyApp.*", "Noise.*"]\n    reason: legacy cache\n    expires: 2026-01-14\n';
    const ev = run(y, base, head, { today: '2026-01-15' });
    expect(ev.findings.filter((f) => f.check !== 'suppression-expired')).toEqual([]);
    expect(ev.suppressed).toHaveLength(4);
    const warning = ev.findings.find((f) => f.check === 'suppression-expired');
    expect(warning).toMatchObject({ status: 'warn', severity: 'warning', rule: { file: 'h.yml', line: 9 } });
    expect(warning?.message).toContain('expired on 2026-01-14 (reason: legacy cache)');
    expect(ev.verdict).toBe('warn');
    expect(exitCodeFor(ev, 'error')).toBe(0);
    expect(exitCodeFor(ev, 'warning')).toBe(1);
  });
});

describe('inconclusive, never a silent pass', () => {
  const y = 'rules:\n  - match: "*"\n    max-growth: { count: 0 }\n';
  it('estimated snapshots turn violations and passes into inconclusive', () => {
    const ev = run(
      y,
      { A: [1, 0], B: [1, 0] },
      { A: [5, 0], B: [1, 0] },
      { estimated: ['head x.gcdump: sampled (multipliers up to 8)'] },
    );
    expect(ev.verdict).toBe('inconclusive');
    expect(ev.findings.map((f) => [f.status, f.wouldBe])).toEqual([['inconclusive', 'fail']]);
    expect(ev.rules[0].status).toBe('inconclusive');
    expect(exitCodeFor(ev, 'error')).toBe(0);
    const clean = run(y, { A: [1, 0] }, { A: [1, 0] }, { estimated: ['capped'] });
    expect(clean.verdict).toBe('inconclusive');
    expect(clean.inconclusiveReasons).toEqual(['capped']);
  });

  it('a missing baseline is inconclusive for growth-only rules and says so', () => {
    const ev = run(y, undefined, { A: [5, 0] });
    expect(ev.findings).toEqual([]);
    expect(ev.verdict).toBe('inconclusive');
    expect(ev.rules[0].status).toBe('inconclusive');
  });

  it('fail-on levels', () => {
    const w =
      'rules:\n  - match: A\n    max-count: 0\n    severity: warning\n  - match: B\n    max-count: 0\n    severity: notice\n';
    const ev = run(w, { A: [1, 0], B: [1, 0] }, { A: [1, 0], B: [1, 0] });
    expect(ev.verdict).toBe('warn');
    expect([exitCodeFor(ev, 'error'), exitCodeFor(ev, 'warning'), exitCodeFor(ev, 'never')]).toEqual([
      0, 1, 0,
    ]);
    const notice = run(
      'rules:\n  - match: B\n    max-count: 0\n    severity: notice\n',
      { B: [1, 0] },
      { B: [1, 0] },
    );
    expect(exitCodeFor(notice, 'warning')).toBe(0);
  });

  it('orders findings: failures first, the type that appeared from nothing before its passengers', () => {
    const r = 'rules:\n  - match: "*"\n    max-growth: { count: 0 }\n    new-types: fail\n';
    const ev = run(
      r,
      { 'System.String': [400, 0], 'System.Byte[]': [2, 0] },
      { 'System.String': [4400, 0], 'System.Byte[]': [4002, 0], 'MyApp.Leaked': [4000, 0] },
    );
    expect(ev.findings.map((f) => f.subject)).toEqual(['MyApp.Leaked', 'System.Byte[]', 'System.String']);
  });
});

describe('types whose counts may be too low', () => {
  const onlyA = 'rules:\n  - id: a\n    match: A\n    max-count: 100\n';
  const onlyB = 'rules:\n  - id: b\n    match: B\n    max-count: 100\n';
  const status = (ev: Evaluation) => ev.rules.map((r) => `${r.rule.id} ${r.status}`);

  it('make a rule covering them inconclusive instead of passing, with the reason', () => {
    const ev = run(onlyA, { A: [10, 0] }, { A: [10, 0], B: [10, 0] }, { uncertain: ['A'] });
    expect(status(ev)).toEqual(['a inconclusive']);
    expect(ev.verdict).toBe('inconclusive');
    expect(ev.inconclusiveReasons).toEqual(['the walk missed roots']);
  });

  it('even when none of them was counted at all', () => {
    const ev = run(onlyA, { A: [10, 0] }, { B: [10, 0] }, { uncertain: ['A'] });
    expect(status(ev)).toEqual(['a inconclusive']);
    expect(ev.verdict).toBe('inconclusive');
  });

  it('leave the rules that do not cover them conclusive', () => {
    const ev = run(onlyB, { B: [10, 0] }, { A: [10, 0], B: [10, 0] }, { uncertain: ['A'] });
    expect(status(ev)).toEqual(['b pass']);
    expect(ev.verdict).toBe('pass');
    expect(ev.inconclusiveReasons).toEqual([]);
    const failing = run(onlyB, { B: [10, 0] }, { B: [101, 0] }, { uncertain: ['A'] });
    expect(failing.verdict).toBe('fail');
  });

  it('turn findings on them inconclusive, while findings on other types of the same rule still fail', () => {
    const all = 'rules:\n  - id: all\n    match: "*"\n    max-count: 100\n';
    const ev = run(all, { A: [10, 0], B: [10, 0] }, { A: [200, 0], B: [200, 0] }, { uncertain: ['A'] });
    expect(summary(ev).sort()).toEqual([
      'fail B max-count/count 200>100',
      'inconclusive A max-count/count 200>100',
    ]);
    expect(ev.verdict).toBe('fail');
    const total = 'rules:\n  - id: t\n    match: total\n    max-bytes: 1000\n';
    expect(status(run(total, { A: [1, 10] }, { A: [1, 10], B: [1, 10] }, { uncertain: ['A'] }))).toEqual([
      't inconclusive',
    ]);
    // An ignored type is no one's concern.
    const ignored = 'ignore: [A]\n' + all;
    expect(run(ignored, { B: [10, 0] }, { B: [10, 0] }, { uncertain: ['A'] }).verdict).toBe('pass');
  });
});
