/**
 * zod, configured for how heapgate validates: a run parses a few documents (rules, baselines, a
 * history) once each, so zod's default of compiling each schema to a function on first use costs
 * more than it saves (~5 ms of a `check`). Schemas import zod from here.
 */
import * as z from 'zod';

z.config({ jitless: true });

export { z };
