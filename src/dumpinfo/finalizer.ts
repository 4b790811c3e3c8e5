/**
 * The finalization queue of a full dump (SOS !FinalizeQueue): objects ready for finalization
 * (found unreferenced, waiting for the finalizer thread, keeping what they reference alive), by
 * type, and how many more are registered for finalization.
 */
import { canonicalTypeName } from '../model/typeNames.js';
import { count, listOf, optionalText, record, text } from './answer.js';

export interface FinalizerQueue {
  /** The finalizer the finalizer thread was running, if it was running one. */
  runningFinalizer?: string;
  registered: number;
  ready: number;
  readyBytes: number;
  readyTypes: number;
  /** Ready objects by type, most first (the first --top). */
  types: { type: string; count: number; bytes: number }[];
}

export function decodeFinalizer(value: unknown): FinalizerQueue {
  const o = record(value, 'finalizer');
  const running = optionalText(o, 'runningFinalizer', 'finalizer');
  return {
    ...(running === undefined ? {} : { runningFinalizer: running }),
    registered: count(o, 'registered', 'finalizer'),
    ready: count(o, 'ready', 'finalizer'),
    readyBytes: count(o, 'readyBytes', 'finalizer'),
    readyTypes: count(o, 'readyTypes', 'finalizer'),
    types: listOf(o, 'types', 'finalizer', (t, p) => ({
      // Spelled as `stat` and the rules spell types, not as ClrMD does.
      type: canonicalTypeName(text(t, 'type', p), 'sos'),
      count: count(t, 'count', p),
      bytes: count(t, 'bytes', p),
    })),
  };
}
