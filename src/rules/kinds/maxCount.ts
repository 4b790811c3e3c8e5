/** `max-count: N` — at most N objects of a type (or of the matched types summed, or of the heap). */
import { formatInt } from '../../report/numbers.js';
import { Count } from '../values.js';
import { absoluteLimit } from './absoluteLimit.js';

export const maxCount = absoluteLimit('max-count', 'count', Count, (n) => `${formatInt(n)} objects`);
