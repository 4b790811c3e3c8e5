/**
 * Soak evaluation on synthetic series whose answer is known by construction: a leak that rises every
 * round, steady types, noise, a one-off step (a lazily created singleton), warm-up handling,
 * inconclusive cases and suppressions.
 */
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../src/rules/parse.js';
import { analyseSoak, buildSoakReport } from '../../src/soak/report.js';
import { warmupCount, type SoakPoint } from '../../src/soak/series.js';
import { points } from './fixtures.js';

const SOAK = parseRules(
  [
    'ignore: [Runtime.*]',
    'rules:',
    '  - id: grows',
    "    match: '*'",
    '    trend: { grows-in-last: 4 }',
    '  - id: slope',
    "    match: 'App.*'",
    '    trend: { max-slope: { count: 0 }, confidence: 0.95 }',
    '    severity: warning',
    '',
  ].join('\n'),
  'soak.yml',
);

function run(pts: SoakPoint[], rules = SOAK, warmup: 'auto' | number = 'auto') {
  return analyseSoak({ points: pts, warmup, rules, today: '2026-01-02', projectHours: 24 }).evaluation;
}

// The app's shape: the warm-up snapshot is small, then thousands of runtime objects appear once.
const app = (r: number) => ({
  'App.Leak': 3 * (r + 1),
  'App.Steady': 64,
  'App.Noise': 100 + (r % 2),
  'App.LazySingleton': r >= 3 ? 1 : 0,
  'Runtime.Metadata': r === 0 ? 0 : 3300,
  'App.Startup': r === 0 ? 0 : 500,
});

describe('warm-up', () => {
  it('auto skips leading warmup labels, and always the first snapshot', () => {
    expect(warmupCount(['warmup', 'round-1', 'round-2'], 'auto')).toBe(1);
    expect(warmupCount(['warmup-1', 'warm-up-2', 'round-1'], 'auto')).toBe(2);
    expect(warmupCount(['round-1', 'round-2'], 'auto')).toBe(1);
    expect(warmupCount(['warmupish', 'x'], 'auto')).toBe(1);
    expect(warmupCount(['a', 'b', 'c'], 2)).toBe(2);
    expect(warmupCount(['a'], 5)).toBe(1);
  });

  it('a one-off step (the first snapshot perturbation) is absorbed by Theil–Sen even when not skipped', () => {
    const raw = run(points(7, app), SOAK, 0);
    expect(raw.findings.map((f) => f.subject)).not.toContain('App.Startup');
    expect(raw.findings.map((f) => f.subject)).toContain('App.Leak');
  });
});

describe('evaluation', () => {
  it('flags the leak only: not steady, noisy, one-off or ignored types', () => {
    const ev = run(points(7, app));
    expect(ev.verdict).toBe('fail');
    expect(ev.findings.map((f) => [f.subject, f.check, f.status])).toEqual([
      ['App.Leak', 'trend-grows', 'fail'],
      ['App.Leak', 'trend-slope', 'warn'],
    ]);
    const grows = ev.findings[0];
    // 6 analysed rounds: 6, 9, …, 21 — five rises in a row.
    expect(grows).toMatchObject({ actual: 5, limit: 3, base: 6, head: 21, metric: 'count' });
    expect(grows.trend?.pIncreasing).toBeCloseTo(1 / 720, 10);
    expect(ev.findings[1]).toMatchObject({ actual: 3, limit: 0 });
    expect(ev.rules.map((o) => [o.rule.id, o.status, o.findings])).toEqual([
      ['grows', 'fail', 1],
      ['slope', 'warn', 1],
    ]);
  });

  it('a leak that pauses once is not "growing every round" but still a significant slope', () => {
    const ev = run(points(8, (r) => ({ 'App.Leak': [3, 6, 9, 12, 12, 15, 18, 21][r] })));
    expect(ev.findings.map((f) => f.check)).toEqual(['trend-slope']);
  });

  it('bytes count when the rule asks for them (an array reallocated larger each round)', () => {
    const pts = points(7, () => ({ 'App.Buffer[]': 1 }));
    pts.forEach((p, i) => (p.stats = [{ name: 'App.Buffer[]', count: 1, bytes: 100_000 * (i + 1) }]));
    // The count never moved: no bytes fallback for the default rule.
    expect(run(pts).findings).toEqual([]);
    const bytes = parseRules(
      "rules:\n  - match: '*[]'\n    trend: { grows-in-last: 4, metric: bytes }\n",
      'b.yml',
    );
    expect(run(pts, bytes).findings[0]).toMatchObject({
      subject: 'App.Buffer[]',
      check: 'trend-grows',
      metric: 'bytes',
    });
  });

  it('too few rounds is inconclusive, never a pass', () => {
    const ev = run(points(4, app));
    expect(ev.verdict).toBe('inconclusive');
    expect(ev.findings).toEqual([]);
    expect(ev.inconclusiveReasons[0]).toMatch(
      /only 3 snapshots to analyse after 1 warm-up snapshot; rule 'grows' needs at least 5/,
    );
  });

  it('per-hour limits without collection times are inconclusive', () => {
    const rules = parseRules(
      "rules:\n  - match: '*'\n    trend: { max-slope: { count: 10 }, per: hour }\n",
      'h.yml',
    );
    const ev = run(points(7, app, { timed: false }), rules);
    expect(ev.verdict).toBe('inconclusive');
    expect(ev.inconclusiveReasons[0]).toMatch(/collection times are unknown/);
    // With times, 3 objects per 10 minutes is 18 per hour: over the limit of 10.
    const timed = run(points(7, app), rules);
    expect(timed.findings[0]).toMatchObject({
      subject: 'App.Leak',
      check: 'trend-slope',
      actual: 18,
      limit: 10,
    });
    expect(timed.findings[0].trend?.per).toBe('hour');
  });

  it('estimated snapshots make findings inconclusive with what they would have been', () => {
    const pts = points(7, app);
    pts[3] = { ...pts[3], estimateReasons: ['sampled'] };
    const ev = run(pts);
    expect(ev.verdict).toBe('inconclusive');
    expect(ev.findings[0]).toMatchObject({ status: 'inconclusive', wouldBe: 'fail' });
  });

  it('a snapshot whose walk may have missed some types makes only the rules covering them inconclusive', () => {
    const pts = points(7, app);
    pts[4] = { ...pts[4], uncertainTypes: { names: ['App.Steady'], reason: 'the live walk missed roots' } };
    const ev = run(pts);
    // Both rules cover App.Steady: 'grows' still fails on the leak, 'slope' cannot pass.
    expect(ev.rules.map((r) => r.status)).toEqual(['fail', 'inconclusive']);
    expect(ev.inconclusiveReasons.join('\n')).toContain('the live walk missed roots');
    // The leak still fails: the doubt is about App.Steady only.
    expect(ev.findings.find((f) => f.subject === 'App.Leak')?.status).toBe('fail');
    const narrow = parseRules(
      "rules:\n  - id: leak\n    match: 'App.Leak'\n    trend: { grows-in-last: 4 }\n",
      's.yml',
    );
    expect(run(pts, narrow).rules.map((r) => r.status)).toEqual(['fail']);
    const warmupOnly = points(7, app);
    warmupOnly[0] = { ...warmupOnly[0], uncertainTypes: { names: ['App.Leak'], reason: 'x' } };
    expect(run(warmupOnly, narrow).verdict).toBe('fail');
  });

  it('suppressions hide a finding and expire loudly', () => {
    const rules = parseRules(
      [
        'rules:',
        '  - id: grows',
        "    match: '*'",
        '    trend: { grows-in-last: 4 }',
        'suppressions:',
        '  - match: App.Leak',
        '    reason: known, tracked in #12',
        '    expires: 2026-01-01',
        '',
      ].join('\n'),
      's.yml',
    );
    const ev = run(points(7, app), rules);
    expect(ev.suppressed.map((f) => f.subject)).toEqual(['App.Leak']);
    expect(ev.findings.map((f) => f.check)).toEqual(['suppression-expired']);
    expect(ev.verdict).toBe('warn');
  });

  it('noise floor: growth over the whole window below it is not reported', () => {
    const rules = parseRules(
      "rules:\n  - match: '*'\n    noise-floor: { count: 20, bytes: 1KB }\n    trend: { grows-in-last: 4 }\n",
      'n.yml',
    );
    expect(run(points(7, app), rules).findings).toEqual([]);
  });

  it('per: all sums the matched types; total sees the whole heap', () => {
    const rules = parseRules(
      [
        'rules:',
        "  - match: 'App.*'",
        '    per: all',
        '    trend: { grows-in-last: 4, min-growth: { percent: 1 } }',
        '  - match: total',
        '    trend: { max-slope: { bytes: 64 } }',
        '',
      ].join('\n'),
      'a.yml',
    );
    const ev = run(points(7, app), rules);
    expect(ev.findings.map((f) => f.subject)).toEqual(['5 types matching App.*', 'total']);
    expect(ev.findings[1]).toMatchObject({ actual: 96, metric: 'bytes' });
  });
});

describe('noise floors of grows-in-last (shapes from clean OrdersService runs)', () => {
  /** One type with the given counts and bytes per point (the first point is the warm-up). */
  function one(name: string, counts: number[], bytes?: number[]): SoakPoint[] {
    const pts = points(counts.length, () => ({}));
    pts.forEach((p, i) => (p.stats = [{ name, count: counts[i], bytes: bytes?.[i] ?? counts[i] * 32 }]));
    return pts;
  }

  it('strings whose count was flat in the last round do not fail on their bytes', () => {
    // +504 bytes on 293 KB, count 4224 -> 4231 and flat in the last round.
    const pts = one(
      'System.String',
      [4200, 4224, 4227, 4229, 4231, 4231],
      [292_900, 293_000, 293_100, 293_200, 293_300, 293_504],
    );
    expect(run(pts).findings).toEqual([]);
  });

  it('a few objects per round, or a tiny fraction of many, is below the default least growth', () => {
    // Thread-local array-pool slots: +1 per round (+4, 14%); strings: +7 on 4,224 (0.2%).
    expect(
      run(one('System.Buffers.SharedArrayPoolThreadLocalArray[]', [20, 28, 29, 30, 31, 32])).findings,
    ).toEqual([]);
    expect(run(one('System.String', [4220, 4224, 4226, 4228, 4229, 4231])).findings).toEqual([]);
    // The same shapes fail when the rule lowers the floor to nothing.
    const none = parseRules(
      "rules:\n  - match: '*'\n    trend: { grows-in-last: 4, min-growth: { count: 0, percent: 0 } }\n",
      'f.yml',
    );
    expect(run(one('System.String', [4220, 4224, 4226, 4228, 4229, 4231]), none).findings).toHaveLength(1);
  });

  it('growth that slows to under a third of its largest step is settling, not a leak', () => {
    // Object[] in a clean run: +1, +73, +35, +16 over the last four rounds.
    expect(run(one('System.Object[]', [700, 745, 747, 748, 821, 856, 872])).findings).toEqual([]);
    // A leak's steps stay about the same.
    const leak = run(one('App.Order', [700, 745, 800, 850, 910, 960, 1010]));
    expect(leak.findings.filter((f) => f.check === 'trend-grows').map((f) => [f.subject, f.actual])).toEqual([
      ['App.Order', 5],
    ]);
  });
});

describe('projections', () => {
  const leak = (r: number) => ({ 'App.Leak': 3 * (r + 1) });
  const project = (minutes: number) =>
    buildSoakReport(
      analyseSoak({
        points: points(7, leak, { minutes }),
        warmup: 'auto',
        rules: SOAK,
        today: '2026-01-02',
        projectHours: 24,
      }),
      { tool: 't', scenario: 's', generatedAt: '2026-01-02T00:00:00Z', failOn: 'error', rulesFiles: [] },
    );

  it('a series spanning 50 minutes is projected to 24 hours', () => {
    const r = project(10);
    expect(r.series.projectionSkipped).toBeUndefined();
    // 3 per 10 minutes = 18 per hour; 21 + 18 × 24.
    expect(r.types[0].count.projected).toBeCloseTo(21 + 18 * 24, 6);
  });

  it('a series of a few seconds is not projected, and the report says why', () => {
    const r = project(1 / 60);
    expect(r.types[0].count.projected).toBeUndefined();
    expect(r.series.projectionSkipped).toBe(
      'no projection: the series spans 5.0 s; projecting 24 h needs at least 29 min of snapshots (1/50 of the horizon)',
    );
  });
});

describe('settling after warm-up', () => {
  const STRICT = parseRules(
    ['rules:', '  - id: slope', "    match: 'App.*'", '    trend: { max-slope: { count: 0 } }', ''].join(
      '\n',
    ),
    'strict.yml',
  );
  // A cache that fills over the first rounds and then holds its size, beside a real leak.
  const cache = [0, 10, 40, 70, 90, 95, 95, 94, 95, 95, 94];
  const series = (r: number) => ({ 'App.Cache': cache[r], 'App.Leak': 3 * (r + 1) });

  it('a type that rose early and then held is a warning that names the warm-up to use, not a failure', () => {
    const ev = run(points(11, series), STRICT);
    const byType = new Map(ev.findings.map((f) => [f.subject, f]));
    expect(byType.get('App.Leak')).toMatchObject({ status: 'fail', check: 'trend-slope' });
    expect(byType.get('App.Leak')?.trend?.settling).toBeUndefined();
    // Analysed rounds are points 1..10; the high (95) is first reached at point 5, analysed round 4.
    expect(byType.get('App.Cache')).toMatchObject({
      status: 'warn',
      severity: 'warning',
      trend: { settling: { peakRound: 4, flatRounds: 5, warmup: 5 } },
    });
    expect(ev.verdict).toBe('fail');
  });

  it('the suggested warm-up removes the finding, and the leak stays', () => {
    const ev = run(points(11, series), STRICT, 5);
    expect(ev.findings.map((f) => [f.subject, f.status])).toEqual([['App.Leak', 'fail']]);
  });

  it('a leak with one early plateau is not mistaken for settling', () => {
    const pts = points(11, (r) => ({ 'App.Leak': [0, 10, 20, 20, 20, 30, 40, 50, 60, 70, 80][r] }));
    const ev = run(pts, STRICT);
    expect(ev.findings.map((f) => [f.subject, f.status, f.trend?.settling])).toEqual([
      ['App.Leak', 'fail', undefined],
    ]);
  });
});

describe('type names in soak are canonical, as in check', () => {
  it("gcdump's []c__DisplayClass spelling is one series with SOS's <>c__DisplayClass, matched by a rule written the C# way", () => {
    const rules = parseRules(
      [
        'rules:',
        '  - id: closures',
        "    match: 'App.Handlers+<>c__DisplayClass3_0'",
        '    trend: { grows-in-last: 4 }',
        '',
      ].join('\n'),
      'soak.yml',
    );
    // Rounds alternate between the two spellings, as a series mixing gcdumps and SOS text would.
    const pts = points(7, (r) => ({
      [r % 2 === 0 ? 'App.Handlers+[]c__DisplayClass3_0' : 'App.Handlers+<>c__DisplayClass3_0']: 10 * (r + 1),
      'App.Steady': 64,
    }));
    const evaluation = run(pts, rules, 1);
    expect(evaluation.findings.map((f) => f.subject)).toEqual(['<>c__DisplayClass3_0']);
    expect(evaluation.verdict).toBe('fail');
  });
});
