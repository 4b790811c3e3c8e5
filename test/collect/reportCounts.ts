/**
 * Per-type instance counts from `dotnet-gcdump report` text, parsed independently of heapgate's
 * own readers so the tests of the scenario app do not depend on them.
 */
export function reportCounts(report: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of report.split(/\r?\n/)) {
    // "   Object Bytes     Count  Type" rows: size of one instance, count, name, "  [module]".
    const match = /^\s*[\d,]+\s+([\d,]+)\s+(.+?)(?: \(Bytes > [\d.]+[KM]?\))?\s+\[[^\]]*\]\s*$/.exec(line);
    if (match === null) continue;
    const name = match[2];
    counts.set(name, (counts.get(name) ?? 0) + Number(match[1].replace(/,/g, '')));
  }
  return counts;
}

/** The "GC Heap objects" total from the report's header. */
export function reportTotalObjects(report: string): number {
  const match = /^\s*([\d,]+)\s+GC Heap objects/m.exec(report);
  if (match === null) throw new Error(`no "GC Heap objects" line in report:\n${report.slice(0, 500)}`);
  return Number(match[1].replace(/,/g, ''));
}
