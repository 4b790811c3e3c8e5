/**
 * For a nightly soak: where each failing type's level began, from the baselines the default
 * branch's gate recorded (the heapgate-baseline-<scenario> artifacts, newest `max` of them). Only
 * artifacts of this repository's own runs on the default branch are read; one that cannot be read
 * is left out with a notice, since the soak's verdict does not depend on it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBaseline } from '../src/baseline/parse.js';
import { baselineArtifactName, FILES } from '../src/ci/names.js';
import { buildHistory, type HistoryPoint } from '../src/history/levels.js';
import { canonicalTypeName } from '../src/model/typeNames.js';
import type { SoakHistory } from '../src/soak/report.js';
import type { Deps } from './gate.js';
import type { SoakModeConfig } from './config.js';
import { oneLine } from './gate.js';

const MAX_BASELINES = 60;

export async function soakHistory(
  deps: Deps<SoakModeConfig>,
  scenario: string,
  types: readonly string[],
): Promise<SoakHistory | undefined> {
  const { ctx, runner } = deps;
  const name = baselineArtifactName(scenario);
  const trusted = (await deps.store.named(name))
    .filter((a) => !a.fromFork && (ctx.defaultBranch === undefined || a.branch === ctx.defaultBranch))
    // Oldest first; artifacts of one second keep their upload order (ids grow).
    .sort((a, b) =>
      (a.createdAt ?? '') < (b.createdAt ?? '')
        ? -1
        : (a.createdAt ?? '') > (b.createdAt ?? '')
          ? 1
          : a.id - b.id,
    )
    .slice(-MAX_BASELINES);
  const points: HistoryPoint[] = [];
  for (const a of trusted) {
    const dir = join(ctx.tempDir, 'heapgate-history', String(a.id));
    try {
      await deps.store.download(a, dir, [FILES.baseline]);
      const b = parseBaseline(readFileSync(join(dir, FILES.baseline), 'utf8'), `${name} (id ${a.id})`);
      points.push({
        commit: a.commit ?? b.commit ?? String(a.id),
        date: a.createdAt ?? b.createdAt,
        types: b.types,
        totals: b.totals,
      });
    } catch (err) {
      runner.notice(`heapgate: history left out artifact ${name} (id ${a.id}): ${oneLine(err)}`);
    }
  }
  runner.info(
    `heapgate: read ${points.length} recorded baselines of '${scenario}' for the history of ${types.length} type(s)`,
  );
  if (points.length < 2) return { scenario, commits: points.length, types: types.map((t) => ({ name: t })) };
  // A failing type may leak a few objects a round: a lower floor than `heapgate history`'s.
  const history = buildHistory(points, { floor: { count: 10, pct: 10 }, names: types });
  const all = new Map([...history.changed.map((t) => [t.name, t] as const)]);
  return {
    scenario,
    commits: points.length,
    types: types.map((t) => {
      const found = all.get(canonicalTypeName(t));
      const change = found?.change;
      return change && change.count > 0
        ? { name: t, began: { before: change.before, after: change.after, count: change.count } }
        : { name: t };
    }),
  };
}
