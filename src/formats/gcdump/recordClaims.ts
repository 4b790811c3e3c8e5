import type { BlobCursor } from './blobCursor.js';

/**
 * Checks that node records do not share or overlap bytes of the blob, so that decoding every node
 * costs no more than reading the blob once. A crafted file could point every node at one record
 * with a large child list and make a reader decode (and allocate for) that list once per node.
 *
 * The only shared record a writer produces is the undefined node's at offset 0 (`00 00`: type 0,
 * no children); sharing it is allowed as long as it has no children.
 */
export class RecordClaims {
  private readonly bits: Uint32Array;
  private zeroOwner = -1;
  private zeroHasChildren = false;

  constructor(blobLength: number) {
    this.bits = new Uint32Array(Math.ceil(blobLength / 32));
  }

  /** Claims the record `cur` has just read for node `cur.node` (from its offset to `cur.pos`). */
  claim(cur: BlobCursor, start: number): void {
    const end = cur.pos;
    if (start === 0) {
      if (this.zeroOwner >= 0) {
        if (cur.childCount > 0 || this.zeroHasChildren) {
          cur.fail(
            `shares the record at offset 0 with node ${this.zeroOwner}, and that record has children — corrupt file`,
            start,
          );
        }
        return;
      }
      this.zeroOwner = cur.node;
      this.zeroHasChildren = cur.childCount > 0;
    }
    const bits = this.bits;
    for (let p = start; p < end; p++) {
      const word = p >>> 5;
      const bit = 1 << (p & 31);
      if ((bits[word] & bit) !== 0) {
        cur.fail(
          `its record (blob bytes ${start}–${end - 1}) overlaps another node's record: records are never shared — corrupt file`,
          start,
        );
      }
      bits[word] |= bit;
    }
  }
}
