/** JSON text -> validated Baseline, with errors that name the file and the place. */
import { HeapgateError } from '../errors.js';
import { lineCol, tooDeep } from '../json/nesting.js';
import { BASELINE_SCHEMA_VERSION, BaselineSchema, type Baseline } from './schema.js';

export class BaselineError extends HeapgateError {
  override name = 'BaselineError';
}

/** Cheap test used to tell a baseline JSON from a snapshot file. */
export function looksLikeBaseline(text: string): boolean {
  return /^\s*\{\s*"schemaVersion"\s*:/.test(text);
}

/** A baseline nests 5 levels deep (types → name → samples → count → values); allow for growth. */
const MAX_NESTING = 32;

export function parseBaseline(text: string, file: string): Baseline {
  const deep = tooDeep(text, MAX_NESTING);
  if (deep)
    throw new BaselineError(
      `${file}:${lineCol(text, deep.offset)}: nested more than ${MAX_NESTING} levels deep, which no heapgate baseline is; re-record it with 'heapgate baseline record'`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BaselineError(
      `${file}:${jsonErrorPlace(text, (err as Error).message)} not valid JSON (${(err as Error).message}); re-record it with 'heapgate baseline record'`,
    );
  }
  const version =
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).schemaVersion : undefined;
  if (typeof version === 'number' && version > BASELINE_SCHEMA_VERSION) {
    throw new BaselineError(
      `${file}: baseline schema version ${version} is newer than this heapgate understands (${BASELINE_SCHEMA_VERSION}); upgrade heapgate`,
    );
  }
  const parsed = BaselineSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map(
      (i) =>
        `${
          i.path.length
            ? i.path
                .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
                .join('')
                .slice(1)
            : '(root)'
        }: ${i.message}`,
    );
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    throw new BaselineError(`${file}: not a valid heapgate baseline: ${problems.join('; ')}${more}`);
  }
  for (const [name, entry] of Object.entries(parsed.data.types)) {
    if (
      entry.samples &&
      (entry.samples.count.length !== parsed.data.samples.length ||
        entry.samples.bytes.length !== parsed.data.samples.length)
    ) {
      throw new BaselineError(
        `${file}: type ${JSON.stringify(name)} has ${entry.samples.count.length} sample values but the baseline has ${parsed.data.samples.length} samples`,
      );
    }
  }
  return parsed.data;
}

function jsonErrorPlace(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const offset = Number(m[1]);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}:`;
}
