/**
 * An exact-value index over one ticket field for the in-memory store: each ticket's value
 * as a small integer code, and for each code the ascending list of ticket positions
 * (compressed sparse rows: one offsets array and one postings array, so a million
 * tickets cost two typed arrays rather than a million small ones).
 *
 * Codes are per *stored* value (case kept, as stats group by it); filters match in any
 * case, so `codesFor` maps a lower-cased key to every stored spelling of it.
 */

export type CodeArray = Uint8Array | Uint16Array | Uint32Array;

export class ValueIndex {
  /** codes[i] = code of ticket i's value. */
  readonly codes: CodeArray;
  /** values[code] = the stored value. */
  readonly values: readonly string[];
  /** keys[code] = the stored value lower-cased (what filters compare with). */
  readonly keys: readonly string[];
  private readonly byKey = new Map<string, number[]>();
  private readonly offsets: Uint32Array;
  private readonly postings: Uint32Array;

  /** Over the tickets' codes (codes[i] < values.length) and the distinct values. */
  constructor(values: readonly string[], codes: CodeArray) {
    const n = codes.length;
    this.values = values;
    this.codes = codes;
    this.keys = values.map((v) => v.toLowerCase());
    this.keys.forEach((key, code) => {
      const list = this.byKey.get(key);
      if (list) list.push(code);
      else this.byKey.set(key, [code]);
    });
    // Counting sort into CSR; positions come out ascending within each code.
    this.offsets = new Uint32Array(values.length + 1);
    for (let i = 0; i < n; i++) this.offsets[codes[i]! + 1]!++;
    for (let c = 0; c < values.length; c++) this.offsets[c + 1]! += this.offsets[c]!;
    this.postings = new Uint32Array(n);
    const next = this.offsets.slice(0, values.length);
    for (let i = 0; i < n; i++) this.postings[next[codes[i]!]!++] = i;
  }

  get cardinality(): number {
    return this.values.length;
  }

  /** Codes whose stored value equals `key` in any case (usually one; none when absent). */
  codesFor(key: string): readonly number[] {
    return this.byKey.get(key.toLowerCase()) ?? [];
  }

  /** Ticket positions with this code, ascending (a view, not a copy). */
  list(code: number): Uint32Array {
    return this.postings.subarray(this.offsets[code]!, this.offsets[code + 1]!);
  }

  count(code: number): number {
    return this.offsets[code + 1]! - this.offsets[code]!;
  }

  /** A flag per code, set for the codes of the given keys: the filter as a lookup table. */
  flags(keys: readonly string[]): Uint8Array {
    const flags = new Uint8Array(this.values.length);
    for (const key of keys) for (const code of this.codesFor(key)) flags[code] = 1;
    return flags;
  }
}
