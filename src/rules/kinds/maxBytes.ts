/** `max-bytes: 10MB` — at most that many bytes of a type (or of the matched types summed, or of the heap). */
import { metricValue } from '../../report/numbers.js';
import { Size } from '../values.js';
import { absoluteLimit } from './absoluteLimit.js';

export const maxBytes = absoluteLimit('max-bytes', 'bytes', Size, (n) => metricValue('bytes', n));
