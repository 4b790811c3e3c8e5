/**
 * Every rule kind, in the order a rule's checks run and its keys are listed. Adding a kind is one
 * file in this folder (see kind.ts) and one line here.
 */
import { maxEmptyCollections, maxSparseArrayWaste } from './collectionWaste.js';
import type { RuleKind } from './kind.js';
import { maxAverageBytes } from './maxAverageBytes.js';
import { maxBytes } from './maxBytes.js';
import { maxCount } from './maxCount.js';
import { maxDuplicateStringWaste } from './maxDuplicateStringWaste.js';
import { maxFinalizerBacklog } from './maxFinalizerBacklog.js';
import { maxGrowth } from './maxGrowth.js';
import { maxLohFragmentation } from './maxLohFragmentation.js';
import { newTypes } from './newTypes.js';
import { trend } from './trend.js';

export const RULE_KINDS: readonly RuleKind[] = [
  maxCount,
  maxBytes,
  maxAverageBytes,
  maxGrowth,
  newTypes,
  trend,
  maxDuplicateStringWaste,
  maxLohFragmentation,
  maxFinalizerBacklog,
  maxEmptyCollections,
  maxSparseArrayWaste,
];

/** The kind whose findings carry `check`. */
export function kindOfCheck(check: string): RuleKind | undefined {
  return RULE_KINDS.find((k) => Object.hasOwn(k.describe, check));
}
