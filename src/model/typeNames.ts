/**
 * Type-name helpers shared by every reader so that the same CLR type compares equal
 * whichever tool produced the snapshot.
 */

// dotnet-gcdump and PerfView split big objects into one type-table entry per size bucket:
// "System.Byte[] (Bytes > 10K)"; older PerfView files add "(Ptrs,ElemSize=4)" style markers.
const SIZE_BUCKET_SUFFIX = / \((?:Bytes > \d+[KMG]?(?:,Ptrs)?(?:,ElemSize=\d+)?|Ptrs(?:,ElemSize=\d+)?|ElemSize=\d+)\)$/;

/** "System.Byte[] (Bytes > 10K)" -> "System.Byte[]". Names without a bucket are returned as is. */
export function stripSizeBucket(name: string): string {
  return name.replace(SIZE_BUCKET_SUFFIX, '');
}
