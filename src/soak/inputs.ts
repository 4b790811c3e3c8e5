/**
 * Finding and loading the snapshots of a soak run (the I/O edge of src/soak, shared by the CLI and
 * the Action). Order matters for a trend, so it comes from the collection manifest
 * (heapgate-collect.json) whenever there is one; otherwise from each snapshot's collection time.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { z } from '../json/zod.js';
import { UsageError } from '../errors.js';
import { MANIFEST_FILE, MANIFEST_SCHEMA } from '../collect/session.js';
import { loadSnapshot } from '../snapshot/load.js';
import type { SoakPoint } from './series.js';
import { lineCol, tooDeep } from '../json/nesting.js';

export interface SeriesFile {
  file: string;
  label: string;
  /** ms since the epoch. */
  time?: number;
  /** Where `time` came from, for the report. */
  timeFrom?: 'manifest' | 'snapshot' | 'file';
}

const ManifestSchema = z.object({
  schema: z.literal(MANIFEST_SCHEMA),
  snapshots: z.array(
    z.object({
      label: z.string(),
      kind: z.enum(['gcdump', 'dump']),
      file: z.string(),
      collectedAt: z.string().optional(),
    }),
  ),
});

type Manifest = z.infer<typeof ManifestSchema>;

/** The manifest's snapshots in collection order; .gcdump only when a checkpoint has both kinds. */
export async function readManifest(file: string): Promise<SeriesFile[]> {
  let json: unknown;
  try {
    const text = await readFile(file, 'utf8');
    const deep = tooDeep(text, 16);
    if (deep)
      throw new UsageError(
        `${file}:${lineCol(text, deep.offset)}: not a heapgate collection manifest (nested more than 16 levels deep)`,
      );
    json = JSON.parse(text);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    throw new UsageError(`${file}: not a heapgate collection manifest (${(err as Error).message})`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success)
    throw new UsageError(
      `${file}: not a heapgate collection manifest (expected "schema": "${MANIFEST_SCHEMA}" and a "snapshots" list, as heapgate collect writes)`,
    );
  return fromManifest(parsed.data, dirname(resolve(file)));
}

function fromManifest(m: Manifest, dir: string): SeriesFile[] {
  const gcdumpLabels = new Set(m.snapshots.filter((s) => s.kind === 'gcdump').map((s) => s.label));
  return m.snapshots
    .filter((s) => s.kind === 'gcdump' || !gcdumpLabels.has(s.label))
    .map((s) => {
      const t = s.collectedAt ? Date.parse(s.collectedAt) : NaN;
      return {
        file: join(dir, s.file),
        label: s.label,
        ...(Number.isFinite(t) ? { time: t, timeFrom: 'manifest' as const } : {}),
      };
    });
}

/**
 * What `--snapshots` names: one manifest (or a folder holding one), or snapshot files. Files are
 * labelled and timed by a manifest in their folder when it lists them, else by their modification
 * time, and sorted by time (ties keep the given order) — so a shell glob's round-10-before-round-2
 * order does no harm.
 */
export async function resolveSeries(args: readonly string[]): Promise<SeriesFile[]> {
  if (args.length === 0)
    throw new UsageError('--snapshots needs snapshot files, a folder or a heapgate-collect.json');
  if (args.length === 1) {
    const one = args[0];
    const s = await statOrThrow(one);
    if (s.isDirectory()) return readManifest(join(one, MANIFEST_FILE));
    if (extname(one).toLowerCase() === '.json') return readManifest(one);
  }
  const manifests = new Map<string, Map<string, SeriesFile>>();
  const out: SeriesFile[] = [];
  for (const file of args) {
    const s = await statOrThrow(file);
    if (s.isDirectory())
      throw new UsageError(`${file}: is a folder; give one folder alone, or snapshot files`);
    const dir = dirname(resolve(file));
    if (!manifests.has(dir)) manifests.set(dir, await manifestIndex(dir));
    const known = manifests.get(dir)?.get(resolve(file));
    out.push(
      known ?? {
        file,
        label: basename(file, extname(file)),
        time: s.mtimeMs,
        timeFrom: 'file',
      },
    );
  }
  return out
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.time ?? 0) - (b.f.time ?? 0) || a.i - b.i)
    .map(({ f }) => f);
}

async function manifestIndex(dir: string): Promise<Map<string, SeriesFile>> {
  const index = new Map<string, SeriesFile>();
  try {
    for (const f of await readManifest(join(dir, MANIFEST_FILE))) index.set(resolve(f.file), f);
  } catch {
    // No (readable) manifest next to the files: they are ordered by modification time instead.
  }
  return index;
}

async function statOrThrow(file: string) {
  try {
    return await stat(file);
  } catch {
    throw new UsageError(`${file}: no such file or folder`);
  }
}

/** Loads each snapshot's statistics only (no object graph: fast and lean), in series order. */
export async function loadSoakPoints(
  files: readonly SeriesFile[],
  shown: (f: SeriesFile) => string = (f) => f.file,
): Promise<SoakPoint[]> {
  const points: SoakPoint[] = [];
  for (const f of files) {
    const snap = await loadSnapshot(f.file, { graph: false });
    // A time recorded in the snapshot itself beats a file's modification time.
    const own = snap.meta.collectedAt ? Date.parse(snap.meta.collectedAt) : NaN;
    const time = f.timeFrom !== 'manifest' && Number.isFinite(own) ? own : f.time;
    points.push({
      label: f.label,
      source: shown(f),
      ...(time !== undefined ? { time } : {}),
      stats: snap.stats,
      totals: { objects: snap.totals.objects, bytes: snap.totals.bytes },
      estimateReasons:
        snap.meta.estimated && snap.meta.estimateReasons.length === 0
          ? ['marked estimated']
          : snap.meta.estimateReasons,
      ...(snap.meta.uncertainTypes ? { uncertainTypes: snap.meta.uncertainTypes } : {}),
    });
  }
  return points;
}
