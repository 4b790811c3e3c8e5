/** SOS messages that mean the heap walk was incomplete, and harmless chatter that may surround output. */

const CORRUPTION = [
  /does not have (?:a )?valid MT/i,
  /has an invalid method table/i,
  /invalid (?:object|method ?table|CLASS field)/i,
  /^\s*curr_object\s*:/i,
  /^\s*Last good object\s*:/i,
  /not in a valid state for traversal/i,
  /Error requesting GC Heap data/i,
  /Interrupted, data may be incomplete/i,
  /heap (?:is |may be )?corrupt/i,
  /Failed to (?:walk|enumerate|read)/i,
  /Unable to (?:walk|enumerate) (?:the )?(?:GC )?heap/i,
];

/** True when an SOS line reports that the heap could not be walked completely. */
export function isCorruptionMessage(line: string): boolean {
  return CORRUPTION.some((re) => re.test(line));
}

const CHATTER = [
  /^Loading core dump:/i,
  /^Ready to process analysis commands/i,
  /^Type 'quit' or 'exit'/i,
  /^Caching (?:GC|stack) roots/i,
  /^Subsequent runs of this command/i,
  /^Calculating live objects/i,
  /^Scanning heap:/i,
  /^The version of SOS does not match/i,
  /^load the matching version of SOS/i,
  /^(?:CLR|SOS) Version:/i,
  /^WARNING: /,
  /^Warning: /,
  /^Note: /,
  /^PDB symbol for /i,
  /^\*\*\*/,
  /^For more information see/i,
  /^Fragmented blocks larger than/i,
  /^<END_COMMAND_OUTPUT>$/,
];

/** True for banner, progress and warning lines the tools print around real output. */
export function isChatter(line: string): boolean {
  const t = line.trim();
  return CHATTER.some((re) => re.test(t));
}
