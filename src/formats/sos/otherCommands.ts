/**
 * SOS commands whose output people paste in place of `dumpheap -stat`: recognised so the error says
 * which command it is and what to run instead, rather than quoting a line that "does not fit".
 */
import { isChatter } from './sosMessages.js';
import { forEachContentLine } from './text.js';

interface OtherCommand {
  command: string;
  holds: string;
  /** Every pattern must match some line of the text. */
  lines: readonly RegExp[];
}

const OTHER_COMMANDS: readonly OtherCommand[] = [
  {
    command: 'dumpobj',
    holds: "one object's fields",
    lines: [/^Name:\s+\S/, /^(?:MethodTable|Size):\s+/],
  },
  {
    command: 'dumpobj',
    holds: "an object's field table",
    lines: [/^MT\s+Field\s+Offset\s+Type\b/i],
  },
  {
    command: 'dumpmt',
    holds: 'one method table',
    lines: [/^EEClass:\s+/, /^BaseSize:\s+/],
  },
  {
    command: 'eeheap -gc',
    holds: 'GC heap segments and their sizes',
    lines: [/^(?:Number of GC Heaps:|(?:Partial )?GC (?:Allocated |Committed )?Heap Size:?\s)/i],
  },
  {
    command: 'gcheapstat',
    holds: 'bytes per generation',
    lines: [/^Heap\s+(?:EPH\s+)?Gen0\s+Gen1\s+Gen2\s+LOH\b/i],
  },
  {
    command: 'objsize',
    holds: 'the size one object keeps alive',
    lines: [/^sizeof\((?:0x)?[0-9a-f]+\)\s*=/i],
  },
];

/** The SOS command that printed `text`, with what its output holds, or null when none fits. */
export function otherSosCommand(text: string): { command: string; holds: string } | null {
  const seen = OTHER_COMMANDS.map((c) => c.lines.map(() => false));
  let found: OtherCommand | null = null;
  forEachContentLine(text, (line) => {
    OTHER_COMMANDS.forEach((c, i) => {
      c.lines.forEach((re, j) => {
        if (!seen[i][j] && re.test(line)) seen[i][j] = true;
      });
      if (found === null && seen[i].every(Boolean)) found = c;
    });
    return found !== null;
  });
  const hit = found as OtherCommand | null;
  return hit ? { command: hit.command, holds: hit.holds } : null;
}

const OBJSIZE_LISTING = /^Objects which .*transitively keep alive:?$/i;

/**
 * Newer SOS prints `objsize` as a `dumpheap` listing and statistics table under one header line:
 * a table of what one object keeps alive, not of the heap, so it must not be read as a heap.
 */
export function isObjSizeListing(text: string): boolean {
  let hit = false;
  forEachContentLine(text, (line) => {
    if (isChatter(line)) return false;
    hit = OBJSIZE_LISTING.test(line);
    return true;
  });
  return hit;
}
