/**
 * A character budget for GitHub comment bodies (65,536). Sizes are measured in UTF-8 bytes, which is
 * never less than the character count, so a report that fits here fits GitHub whichever it counts.
 */

export const GITHUB_COMMENT_LIMIT = 65_536;

export function size(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export class Budget {
  private used = 0;
  constructor(private readonly limit: number) {}

  get remaining(): number {
    return this.limit - this.used;
  }

  /** True when `text` plus `reserve` more bytes still fit. */
  fits(text: string, reserve = 0): boolean {
    return this.used + size(text) + reserve <= this.limit;
  }

  take(text: string): void {
    this.used += size(text);
  }
}
