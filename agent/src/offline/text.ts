/**
 * The question text while it is being parsed.
 *
 * `text` is the question lower-cased with "ё" folded to "е", always the same length as
 * the original, so a match in `text` can be read back from `original` with its case.
 * Each recognised piece is consumed: replaced by a marker (`MARK`) and spaces, so later
 * rules cannot read it twice (a status word inside a keyword stays a keyword) and
 * neighbouring rules still see that something stood there.
 */

export const MARK = "¶";

export interface Found {
  start: number;
  end: number;
  /** The matched text (lower-cased form). */
  text: string;
  groups: (string | undefined)[];
}

export class Work {
  readonly original: string;
  text: string;

  constructor(original: string) {
    const cleaned = original
      .replace(/[\u00a0\u2009\u202f¶]/g, " ")
      .replace(/[\u2018\u2019\u02bc]/g, "'");
    this.original = cleaned;
    this.text = cleaned
      .replace(/[\s\S]/gu, (ch) => {
        const lower = ch.toLowerCase();
        return lower.length === ch.length ? lower : ch;
      })
      .replace(/ё/g, "е");
  }

  /** Every non-overlapping match of a global regex in the current text. */
  findAll(re: RegExp): Found[] {
    const out: Found[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(this.text); m !== null; m = re.exec(this.text)) {
      if (m[0].length === 0) {
        re.lastIndex += 1;
        continue;
      }
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0], groups: m.slice(1) });
    }
    return out;
  }

  /** Replaces [start, end) by the marker and spaces (length is kept). */
  consume(start: number, end: number): void {
    if (end <= start) return;
    this.text =
      this.text.slice(0, start) + MARK + " ".repeat(end - start - 1) + this.text.slice(end);
  }

  /** The original (case-preserving) text of a range. */
  originalSlice(start: number, end: number): string {
    return this.original.slice(start, end);
  }

  before(index: number): string {
    return this.text.slice(0, index);
  }

  after(index: number): string {
    return this.text.slice(index);
  }

  /** True when the regex (non-global) finds something in the current text. */
  has(re: RegExp): boolean {
    re.lastIndex = 0;
    return re.test(this.text);
  }
}
