/** Messages and shared memory between the fuzz supervisor and its worker thread. */
import type { TargetName } from './targets.js';

export type FindingKind = 'crash' | 'slow' | 'memory' | 'hang' | 'out-of-memory';

export interface Finding {
  kind: FindingKind;
  target: TargetName;
  detail: string;
  bytes: Uint8Array;
}

export type WorkerMessage = { type: 'finding'; finding: Finding };

export interface WorkerOptions {
  targets: TargetName[];
  seed: number;
  shared: SharedArrayBuffer;
}

/**
 * The shared buffer: Int32 slots for the input being run, Float64 counters that the worker adds
 * to (and the supervisor reads, whatever happens to the worker), then the bytes of the input.
 */
export const Slot = { Counter: 0, Length: 1, Target: 2, Running: 3 } as const;
/** PerTarget + i counts target i's inputs; PerTarget + TARGET_SLOTS + i its milliseconds. */
export const Stat = { Accepted: 0, InputErrors: 1, Bytes: 2, PerTarget: 3 } as const;
export const TARGET_SLOTS = 8;
export const STATS_OFFSET = 16;
export const STATS_SLOTS = Stat.PerTarget + 2 * TARGET_SLOTS;
export const HEADER_BYTES = STATS_OFFSET + STATS_SLOTS * 8;

/** Per-input limits of issue #20: 5 s, and 4x the input plus 64 MiB of memory. */
export const TIME_LIMIT_MS = 5_000;
export function memoryLimit(inputBytes: number): number {
  return 4 * inputBytes + 64 * 1024 * 1024;
}
