/**
 * Baseline file (baselines/<scenario>.json), schema version 1. Validated on read so a hand-edited or
 * truncated file fails with its name and the offending field, never as a silent wrong gate.
 */
import { z } from '../json/zod.js';

/** 2: `leaks`, the fingerprints of the leaks its run had. Version 1 files still read. */
export const BASELINE_SCHEMA_VERSION = 2;

const Int = z.number().int().nonnegative();

export const SampleSchema = z.strictObject({
  source: z.string(),
  format: z.enum(['gcdump', 'dump', 'sos-dumpheap', 'gcdump-report', 'baseline']),
  creationTool: z.string().optional(),
  processName: z.string().optional(),
  pointerSize: z.union([z.literal(4), z.literal(8)]).optional(),
  collectedAt: z.string().optional(),
  estimated: z.boolean(),
  estimateReasons: z.array(z.string()),
  totals: z.strictObject({ objects: Int, bytes: Int }),
});

export const TypeEntrySchema = z.strictObject({
  count: Int,
  bytes: Int,
  /** Retained bytes (dominator tree), median over samples; recorded with `baseline record --retained`. */
  retained: Int.optional(),
  /** One value per sample, in `samples` order; present when recorded from more than one snapshot. */
  samples: z.strictObject({ count: z.array(Int), bytes: z.array(Int) }).optional(),
});

export const LeakSchema = z.strictObject({
  subject: z.string(),
  kind: z.enum(['path', 'type']),
  basis: z.string(),
  firstSeen: z.strictObject({ date: z.string(), commit: z.string().optional() }),
});

export const BaselineSchema = z.strictObject({
  schemaVersion: z.union([z.literal(1), z.literal(BASELINE_SCHEMA_VERSION)]),
  scenario: z.string().min(1),
  createdAt: z.string(),
  tool: z.string(),
  commit: z.string().optional(),
  /** How per-type values were combined across samples. */
  statistic: z.literal('median'),
  estimated: z.boolean(),
  estimateReasons: z.array(z.string()),
  samples: z.array(SampleSchema).min(1),
  totals: z.strictObject({ objects: Int, bytes: Int }),
  types: z.record(z.string(), TypeEntrySchema),
  /** Known leaks by fingerprint id (version 2). */
  leaks: z.record(z.string().regex(/^hg\d+-[0-9a-f]{12}$/), LeakSchema).optional(),
});

export type Baseline = z.infer<typeof BaselineSchema>;
export type BaselineSample = z.infer<typeof SampleSchema>;
export type BaselineTypeEntry = z.infer<typeof TypeEntrySchema>;
