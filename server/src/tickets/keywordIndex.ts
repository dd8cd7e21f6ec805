/**
 * The in-memory keyword index: an inverted index from the words of every ticket's
 * haystack (title + description, lower-cased by `haystackOf`) to the tickets holding them.
 *
 * Keyword search is substring search ("log" finds "login"), which a word index answers
 * exactly, without reading descriptions:
 * - A word is a maximal run of word characters (letters, digits, marks). Any run of word
 *   characters inside a search term that occurs in a haystack lies inside one word of
 *   that haystack, so the tickets holding the term are among the tickets holding a word
 *   that *contains* the run.
 * - The words containing a run are found with `indexOf` over the vocabulary written out
 *   as one string (tens of thousands of words: microseconds), and their posting lists
 *   are merged.
 * - A term that is one run (a plain word) is then matched exactly. A term with other
 *   characters too (a phrase, "e-mail", "50%") is looked up by its runs and returned in
 *   `verify`, for the caller to check the few candidates against the haystack.
 */

/** Per UTF-16 code unit: 1 = word character, 2 = not; 0 = not classified yet. */
const WORD_CLASS = new Uint8Array(0x10000);
const LETTER_NUMBER_MARK = /[\p{L}\p{N}\p{M}]/u;
/** The ASCII part, filled in advance: most text is ASCII, and this is the hot path. */
const ASCII_WORD = Uint8Array.from({ length: 0x80 }, (_, c) =>
  LETTER_NUMBER_MARK.test(String.fromCharCode(c)) ? 1 : 0,
);

function isWordUnit(c: number): boolean {
  if (c < 0x80) return ASCII_WORD[c] === 1;
  let kind = WORD_CLASS[c]!;
  if (kind === 0) {
    // Surrogates count as word units so that astral letters (and emoji) join words the
    // same way in haystacks and in terms; only consistency matters for correctness.
    const word = (c >= 0xd800 && c <= 0xdfff) || LETTER_NUMBER_MARK.test(String.fromCharCode(c));
    kind = word ? 1 : 2;
    WORD_CLASS[c] = kind;
  }
  return kind === 1;
}

/** The maximal runs of word characters in `text`, in order. */
export function wordRuns(text: string): string[] {
  const runs: string[] = [];
  let start = -1;
  for (let k = 0; k <= text.length; k++) {
    const word = k < text.length && isWordUnit(text.charCodeAt(k));
    if (word && start < 0) start = k;
    else if (!word && start >= 0) {
      runs.push(text.slice(start, k));
      start = -1;
    }
  }
  return runs;
}

/**
 * Whole numbers appended as LEB128 varints into fixed chunks: tens of millions of word
 * ids (mostly small: common words are met first) in a byte or two each, without copying
 * or a giant array. A varint never spans two chunks.
 */
class ChunkedVarints {
  private static readonly CHUNK = 1 << 20;
  private chunks: Uint8Array[] = [];
  private used: number[] = [];
  private chunk = new Uint8Array(0);
  private at = 0;
  length = 0;

  push(value: number): void {
    if (this.at + 5 > this.chunk.length) {
      if (this.chunks.length > 0) this.used[this.used.length - 1] = this.at;
      this.chunk = new Uint8Array(ChunkedVarints.CHUNK);
      this.chunks.push(this.chunk);
      this.used.push(0);
      this.at = 0;
    }
    while (value >= 0x80) {
      this.chunk[this.at++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.chunk[this.at++] = value;
    this.length++;
  }

  /** Visits every value in order; `release`: free each chunk once read (the last use). */
  forEach(visit: (value: number) => void, release = false): void {
    if (this.chunks.length > 0) this.used[this.used.length - 1] = this.at;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      for (let p = 0, end = this.used[c]!; p < end;) {
        let b = chunk[p++]!;
        let value = b & 0x7f;
        for (let scale = 0x80; b & 0x80; scale *= 0x80) {
          b = chunk[p++]!;
          value += (b & 0x7f) * scale;
        }
        visit(value);
      }
      if (release) this.chunks[c] = new Uint8Array(0);
    }
    if (release) {
      this.chunks = [];
      this.used = [];
      this.chunk = new Uint8Array(0);
      this.at = 0;
      this.length = 0;
    }
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * The distinct words met while indexing, without making a string per word occurrence
 * (tens of millions at a million tickets): an open-addressing hash table over word ids,
 * keyed by a hash computed while scanning, with the words' characters kept in one
 * growing buffer that becomes the "\n"-separated vocabulary string at the end.
 */
class Vocabulary {
  private chars = new Uint16Array(1 << 16);
  private used = 1; // chars[0] is the leading "\n"
  private start: number[] = [];
  private hashes = new Int32Array(1 << 12);
  private table = new Int32Array(1 << 12).fill(-1);

  constructor() {
    this.chars[0] = 0x0a;
  }

  get size(): number {
    return this.start.length;
  }

  /** The id of text[from, to), whose hash is `hash`; new words get the next id. */
  idOf(text: string, from: number, to: number, hash: number): number {
    const length = to - from;
    const mask = this.table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.table[slot]!;
      if (id < 0) break;
      if (this.hashes[id] !== hash) continue;
      const at = this.start[id]!;
      if (this.chars[at + length] !== 0x0a) continue;
      let same = true;
      for (let j = 0; j < length && same; j++)
        same = this.chars[at + j] === text.charCodeAt(from + j);
      if (same) return id;
    }
    const id = this.start.length;
    if (this.used + length + 1 > this.chars.length) {
      const grown = new Uint16Array(Math.max(this.chars.length * 2, this.used + length + 1));
      grown.set(this.chars);
      this.chars = grown;
    }
    this.start.push(this.used);
    if (id === this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = hash;
    for (let j = 0; j < length; j++) this.chars[this.used++] = text.charCodeAt(from + j);
    this.chars[this.used++] = 0x0a;
    if (this.start.length * 2 > this.table.length) this.rehash();
    else this.place(id, hash);
    return id;
  }

  text(): string {
    let out = "";
    for (let at = 0; at < this.used; at += 8192) {
      const end = Math.min(at + 8192, this.used);
      out += String.fromCharCode(...this.chars.subarray(at, end));
    }
    return out;
  }

  /** Where each word starts in `text()`, plus the end. */
  starts(): Uint32Array {
    return Uint32Array.from([...this.start, this.used]);
  }

  private place(id: number, hash: number): void {
    const mask = this.table.length - 1;
    let slot = hash & mask;
    while (this.table[slot]! >= 0) slot = (slot + 1) & mask;
    this.table[slot] = id;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2).fill(-1);
    for (let id = 0; id < this.start.length; id++) this.place(id, this.hashes[id]!);
  }
}

export interface KeywordLookup {
  /** Ascending positions of every ticket that may match; undefined: no restriction. */
  ids: Uint32Array | undefined;
  /** Terms the ids do not prove; check each against the haystack. */
  verify: string[];
}

/** What a keyword index is made of (a snapshot stores these). */
export interface KeywordIndexParts {
  count: number;
  /** Every word, each between two "\n" (never a word character), for indexOf. */
  vocabulary: string;
  /** Where word w starts in `vocabulary`; one extra entry at the end. */
  wordStart: Uint32Array;
  /**
   * Word w's tickets, ascending, as gaps from the previous one (the first from 0) in
   * LEB128 varints: postings[offsets[w], offsets[w + 1]). Common words cost a byte per
   * ticket instead of four.
   */
  offsets: Uint32Array;
  postings: Uint8Array;
  /** How many tickets hold word w. */
  counts: Uint32Array;
}

/**
 * Indexes haystacks one at a time, in position order (so a store can be built from a
 * stream of tickets); `finish()` gives the index's parts.
 */
export class KeywordIndexBuilder {
  private readonly vocabulary = new Vocabulary();
  private readonly perTicket = new ChunkedVarints();
  private readonly tokens = new ChunkedVarints();
  private lastSeenIn = new Int32Array(1024).fill(-1);
  private count = 0;

  /** Adds the next ticket's haystack (lower-cased by `haystackOf`). */
  add(text: string): void {
    const i = this.count++;
    const { vocabulary, tokens } = this;
    let words = 0;
    const length = text.length;
    let k = 0;
    while (k < length) {
      // Skip to the next word, then hash it while finding its end.
      let c = text.charCodeAt(k);
      while (!isWordUnit(c) && ++k < length) c = text.charCodeAt(k);
      if (k >= length) break;
      const start = k;
      let hash = FNV_OFFSET;
      do {
        hash = Math.imul(hash ^ c, FNV_PRIME);
        c = ++k < length ? text.charCodeAt(k) : 0x20;
      } while (isWordUnit(c));
      const id = vocabulary.idOf(text, start, k, hash);
      if (id >= this.lastSeenIn.length) {
        const grown = new Int32Array(this.lastSeenIn.length * 2).fill(-1);
        grown.set(this.lastSeenIn);
        this.lastSeenIn = grown;
      }
      if (this.lastSeenIn[id] === i) continue; // once per ticket
      this.lastSeenIn[id] = i;
      tokens.push(id);
      words++;
    }
    this.perTicket.push(words);
  }

  finish(): KeywordIndexParts {
    const { vocabulary, tokens, perTicket } = this;
    const words = vocabulary.size;
    const perTicketCounts = new Uint32Array(this.count);
    let at = 0;
    perTicket.forEach((c) => (perTicketCounts[at++] = c), true);
    /** Calls visit(word, ticket) for every token, in ticket order. */
    const pairs = (
      read: (visit: (w: number) => void) => void,
      visit: (w: number, i: number) => void,
    ) => {
      let ticket = 0;
      let left = 0;
      read((w) => {
        while (left === 0) left = perTicketCounts[ticket++]!;
        left--;
        visit(w, ticket - 1);
      });
    };
    // Two passes over the (word, ticket) pairs, which come in ticket order: the bytes
    // each word's gaps take, then the gaps themselves, so no uncompressed copy is made.
    const counts = new Uint32Array(words);
    const last = new Float64Array(words);
    const ends = new Float64Array(words + 1);
    pairs(
      (visit) => tokens.forEach(visit),
      (w, i) => {
        counts[w]!++;
        ends[w + 1]! += varintBytes(i - last[w]!);
        last[w] = i;
      },
    );
    for (let w = 0; w < words; w++) ends[w + 1]! += ends[w]!;
    if (ends[words]! >= 2 ** 32) throw new Error("keyword index over 4 GiB");
    const offsets = Uint32Array.from(ends);
    const postings = new Uint8Array(ends[words]!);
    const next = offsets.slice(0, words);
    last.fill(0);
    pairs(
      (visit) => tokens.forEach(visit, true),
      (w, i) => {
        let gap = i - last[w]!;
        last[w] = i;
        let p = next[w]!;
        while (gap >= 0x80) {
          postings[p++] = (gap & 0x7f) | 0x80;
          gap = Math.floor(gap / 0x80);
        }
        postings[p++] = gap;
        next[w] = p;
      },
    );
    return {
      count: this.count,
      vocabulary: vocabulary.text(),
      wordStart: vocabulary.starts(),
      offsets,
      postings,
      counts,
    };
  }
}

const varintBytes = (v: number) =>
  v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;

export class KeywordIndex {
  private readonly n: number;
  private readonly vocabulary: string;
  private readonly wordStart: Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly postings: Uint8Array;
  private readonly counts: Uint32Array;

  /** From its parts, or built over `n` haystacks. */
  constructor(source: KeywordIndexParts | number, haystackOf?: (i: number) => string) {
    let parts: KeywordIndexParts;
    if (typeof source === "number") {
      const builder = new KeywordIndexBuilder();
      for (let i = 0; i < source; i++) builder.add(haystackOf!(i));
      parts = builder.finish();
    } else {
      parts = source;
    }
    this.n = parts.count;
    this.vocabulary = parts.vocabulary;
    this.wordStart = parts.wordStart;
    this.offsets = parts.offsets;
    this.postings = parts.postings;
    this.counts = parts.counts;
  }

  get parts(): KeywordIndexParts {
    const { n: count, vocabulary, wordStart, offsets, postings, counts } = this;
    return { count, vocabulary, wordStart, offsets, postings, counts };
  }

  get words(): number {
    return this.wordStart.length - 1;
  }

  /** Candidates for tickets whose haystack contains every term (terms lower-cased). */
  lookup(terms: readonly string[]): KeywordLookup {
    const verify: string[] = [];
    const sets: number[][] = [];
    for (const term of terms) {
      const runs = wordRuns(term);
      if (runs.length !== 1 || runs[0] !== term) verify.push(term);
      if (runs.length === 0) continue; // nothing indexable ("%", "--"): verify only
      // Every run narrows the candidates, but a run of one or two letters occurs in
      // most words and costs more to merge than it saves; the longest run always counts.
      const longest = runs.reduce((a, b) => (b.length > a.length ? b : a));
      for (const run of runs) {
        if (run === longest || run.length >= 3) sets.push(this.wordsContaining(run));
      }
    }
    if (sets.length === 0) return { ids: undefined, verify };
    const size = (set: number[]) => set.reduce((sum, w) => sum + this.count(w), 0);
    sets.sort((a, b) => size(a) - size(b));
    let ids = this.union(sets[0]!);
    for (let s = 1; s < sets.length && ids.length > 0; s++) {
      const bits = this.bitsOf(sets[s]!);
      ids = ids.filter((i) => (bits[i >>> 5]! & (1 << (i & 31))) !== 0);
    }
    return { ids, verify };
  }

  /** Ids of the words that contain `run`. */
  private wordsContaining(run: string): number[] {
    const found: number[] = [];
    let from = 0;
    for (;;) {
      const at = this.vocabulary.indexOf(run, from);
      if (at < 0) return found;
      // The word holding `at`: the last one starting at or before it.
      let lo = 0;
      let hi = this.wordStart.length - 2;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (this.wordStart[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      found.push(lo);
      from = this.wordStart[lo + 1]!; // the next word: one hit per word is enough
    }
  }

  private count(word: number): number {
    return this.counts[word]!;
  }

  /** Calls visit(ticket) for each of the word's tickets, ascending. */
  private forEachTicket(word: number, visit: (i: number) => void): void {
    const { postings } = this;
    let i = 0;
    for (let p = this.offsets[word]!, end = this.offsets[word + 1]!; p < end;) {
      let b = postings[p++]!;
      let gap = b & 0x7f;
      for (let scale = 0x80; b & 0x80; scale *= 0x80) {
        b = postings[p++]!;
        gap += (b & 0x7f) * scale;
      }
      i += gap;
      visit(i);
    }
  }

  private list(word: number): Uint32Array {
    const out = new Uint32Array(this.counts[word]!);
    let k = 0;
    this.forEachTicket(word, (i) => (out[k++] = i));
    return out;
  }

  private bitsOf(words: readonly number[]): Uint32Array {
    const bits = new Uint32Array((this.n + 31) >>> 5);
    const set = (i: number) => (bits[i >>> 5]! |= 1 << (i & 31));
    for (const w of words) this.forEachTicket(w, set);
    return bits;
  }

  /** The ascending union of the words' posting lists. */
  private union(words: readonly number[]): Uint32Array {
    if (words.length === 0) return new Uint32Array(0);
    if (words.length === 1) return this.list(words[0]!);
    // A few lists: merge them; many (a short run found in thousands of words): a bitset.
    if (words.length <= 4) return words.map((w) => this.list(w)).reduce(mergeSorted);
    const bits = this.bitsOf(words);
    let total = 0;
    for (let b = 0; b < bits.length; b++) if (bits[b] !== 0) total += popcount(bits[b]!);
    const out = new Uint32Array(total);
    let k = 0;
    for (let b = 0; b < bits.length; b++) {
      let word = bits[b]!;
      while (word !== 0) {
        const low = word & -word;
        out[k++] = (b << 5) | (31 - Math.clz32(low));
        word ^= low;
      }
    }
    return out;
  }
}

/** The ascending union of two ascending lists, each value once. */
function mergeSorted(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) i++;
    if (y <= x) j++;
    out[k++] = x < y ? x : y;
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out.subarray(0, k);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
