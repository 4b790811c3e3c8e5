/**
 * The messages between heapgate and the Heapgate.Testing library (dotnet/Heapgate.Testing): one
 * JSON object per line over the channel `heapgate test` names in HEAPGATE_CHANNEL, and the same
 * assertion request as a file for `heapgate assert` when the library runs without `heapgate test`.
 */
import { z } from 'zod';

/** Environment variable naming the channel: a Unix socket path, or `\\.\pipe\…` on Windows. */
export const CHANNEL_ENV = 'HEAPGATE_CHANNEL';
/** Environment variable naming the folder for checkpoints and assertion results. */
export const OUT_DIR_ENV = 'HEAPGATE_TEST_OUT';
export const PROTOCOL_VERSION = 1;

const name = z.string().min(1).max(200);
const test = z.string().max(2000).optional();
const typeName = z.string().min(1).max(4000);
const limit = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** What an assertion asks, in heapgate's rule terms (see assertionRules). */
export const AssertionSpec = z.discriminatedUnion('kind', [
  /** At most `max` live instances of the matched types at `head` (0: none). */
  z.object({ kind: z.literal('max-count'), match: typeName, max: limit }).strict(),
  /** At most `max` live bytes of the matched types at `head`. */
  z.object({ kind: z.literal('max-bytes'), match: typeName, max: limit }).strict(),
  /** The matched types grow by at most `count` instances (and `bytes`, if given) from `base` to `head`. */
  z
    .object({
      kind: z.literal('max-growth'),
      match: typeName,
      count: limit.optional(),
      bytes: limit.optional(),
    })
    .strict(),
  /** The whole live heap grows by at most `bytes` from `base` to `head`. */
  z.object({ kind: z.literal('heap-growth'), bytes: limit }).strict(),
  /** Any heapgate rules (YAML or JSON text), as a rules file would hold them. */
  z.object({ kind: z.literal('rules'), text: z.string().min(1).max(1_000_000) }).strict(),
]);
export type AssertionSpec = z.infer<typeof AssertionSpec>;

export const CheckpointRequest = z
  .object({
    op: z.literal('checkpoint'),
    id: z.number().int(),
    name,
    pid: z.number().int().positive(),
    test,
  })
  .strict();

export const AssertRequest = z
  .object({
    op: z.literal('assert'),
    id: z.number().int(),
    test,
    /** The assertion as the test wrote it, for messages and the report. */
    description: z.string().max(2000).optional(),
    assertion: AssertionSpec,
    /** Checkpoint ids (over the channel) or snapshot files (with `heapgate assert`). */
    base: z.string().min(1).optional(),
    head: z.string().min(1),
    /** Checkpoint names for messages when base/head are files (`heapgate assert`). */
    baseName: z.string().max(200).optional(),
    headName: z.string().max(200).optional(),
  })
  .strict();

export const HelloRequest = z
  .object({
    op: z.literal('hello'),
    id: z.number().int(),
    protocol: z.number().int(),
    library: z.string().max(100),
  })
  .strict();

export const Request = z.discriminatedUnion('op', [HelloRequest, CheckpointRequest, AssertRequest]);
export type Request = z.infer<typeof Request>;
export type CheckpointRequest = z.infer<typeof CheckpointRequest>;
export type AssertRequest = z.infer<typeof AssertRequest>;

export interface CheckpointInfo {
  id: string;
  name: string;
  test?: string;
  file: string;
  objects: number;
  bytes: number;
  /** Collection time (dotnet-gcdump, with the GC it forces). */
  collectMs: number;
  /** Time heapgate took to read the snapshot. */
  readMs: number;
}

export interface AssertionOutcome {
  passed: boolean;
  verdict: 'pass' | 'warn' | 'fail' | 'inconclusive';
  /** One paragraph for the test failure: what was expected, what was found, who holds it. */
  message: string;
  /** The check report (JSON) of this assertion. */
  report?: string;
  /** Snapshot files the assertion read (attached to the test result on failure). */
  snapshots: string[];
}

export type Response =
  | { id: number; ok: true; protocol?: number; checkpoint?: CheckpointInfo; outcome?: AssertionOutcome }
  | { id: number; ok: false; error: string };
