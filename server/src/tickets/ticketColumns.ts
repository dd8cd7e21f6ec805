/**
 * The tickets of the in-memory store in compact form: no object per ticket.
 *
 * - Ticket ids, titles and descriptions are UTF-8 slices of a few large byte chunks
 *   (a ticket's three strings sit together in one chunk), found by a start offset and
 *   three lengths per ticket.
 * - user_id, assigned_to, status, priority and category are codes into the distinct
 *   values (interned once; the value indexes are built over these codes).
 * - Dates are epoch ms in Float64Arrays; the stored string is re-made from them.
 *
 * A ticket object is decoded only for what a page shows. Strings that would not survive
 * the round trip (a lone UTF-16 surrogate through UTF-8, a date whose text is not the
 * canonical form of its ms) are kept as they are, beside the columns, so every decoded
 * ticket is exactly the one that was added.
 */
import type { GroupField } from "./query.js";
import { canonicalDateMs, formatIsoDate, type Ticket } from "./ticket.js";
import type { CodeArray } from "./valueIndex.js";

/** Bytes per text chunk: large enough for few chunks, small enough to trim cheaply. */
const CHUNK_BYTES = 1 << 25;

export const CODED_FIELDS: readonly GroupField[] = [
  "status",
  "priority",
  "category",
  "user_id",
  "assigned_to",
];

type TextField = "ticket_id" | "title" | "description" | "created_date" | "updated_date";

/** Everything the columns are made of: typed arrays plus a little JSON-able data. */
export interface TicketColumnsParts {
  count: number;
  /** Each chunk holds up to chunkBytes bytes; a ticket's text never spans two. */
  chunkBytes: number;
  chunks: Uint8Array[];
  /** Where ticket i's text starts: chunk * chunkBytes + offset in the chunk. */
  textStart: Uint32Array;
  idBytes: Uint16Array;
  titleBytes: Uint16Array;
  descriptionBytes: Uint32Array;
  createdMs: Float64Array;
  updatedMs: Float64Array;
  /** The distinct values of each coded field, and each ticket's code. */
  values: Record<GroupField, string[]>;
  codes: Record<GroupField, CodeArray>;
  /** [position, field, text] for strings the columns cannot reproduce. */
  verbatim: [number, TextField, string][];
  /**
   * Seen while adding: are the ids ascending (exact order) and ascending by (lower-cased
   * id, id)? Files usually list tickets by id; then the id orders need no sort or check.
   */
  idsAscending?: boolean;
  idsAscendingLower?: boolean;
}

/** A typed array that doubles as it fills; `done()` trims it to its length. */
class Growing<T extends Uint16Array | Uint32Array | Float64Array> {
  length = 0;
  constructor(
    public array: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.array.length) {
      const grown = this.make(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[this.length++] = value;
  }
  done(): T {
    return this.array.length === this.length ? this.array : (this.array.slice(0, this.length) as T);
  }
}

const u16 = (n: number) => new Uint16Array(n);
const u32 = (n: number) => new Uint32Array(n);
const f64 = (n: number) => new Float64Array(n);

/** Collects tickets one at a time; `finish()` gives the columns. */
export class TicketColumnsBuilder {
  private readonly encoder = new TextEncoder();
  private readonly chunks: Uint8Array[] = [];
  private chunk = new Uint8Array(0);
  private used = 0;
  private readonly textStart = new Growing(u32(1024), u32);
  private readonly idBytes = new Growing(u16(1024), u16);
  private readonly titleBytes = new Growing(u16(1024), u16);
  private readonly descriptionBytes = new Growing(u32(1024), u32);
  private readonly createdMs = new Growing(f64(1024), f64);
  private readonly updatedMs = new Growing(f64(1024), f64);
  private readonly codeOf = Object.fromEntries(
    CODED_FIELDS.map((f) => [f, new Map<string, number>()]),
  ) as Record<GroupField, Map<string, number>>;
  private readonly codes = Object.fromEntries(
    CODED_FIELDS.map((f) => [f, new Growing(u32(1024), u32)]),
  ) as Record<GroupField, Growing<Uint32Array>>;
  private readonly verbatim: [number, TextField, string][] = [];
  private lastId = "";
  private lastLower = "";
  private idsAscending = true;
  private idsAscendingLower = true;
  count = 0;

  /** `chunkBytes` is for tests (many chunks from a few tickets); offsets stay under 4 GiB. */
  constructor(private readonly chunkBytes = CHUNK_BYTES) {}

  add(ticket: Ticket): number {
    if (this.chunks.length === 0) this.nextChunk();
    const i = this.count++;
    for (const field of CODED_FIELDS) {
      const value = ticket[field];
      const map = this.codeOf[field];
      let code = map.get(value);
      if (code === undefined) map.set(value, (code = map.size));
      this.codes[field].push(code);
    }
    for (const field of ["created_date", "updated_date"] as const) {
      const text = ticket[field];
      const canonical = canonicalDateMs(text);
      (field === "created_date" ? this.createdMs : this.updatedMs).push(
        canonical ?? Date.parse(text),
      );
      // Canonical dates (every one our files hold) are re-made exactly from their ms.
      if (canonical === undefined) this.verbatim.push([i, field, text]);
    }
    const id = ticket.ticket_id;
    const lower = id.toLowerCase();
    if (i > 0) {
      this.idsAscending &&= this.lastId < id;
      this.idsAscendingLower &&=
        this.lastLower < lower || (this.lastLower === lower && this.lastId < id);
    }
    this.lastId = id;
    this.lastLower = lower;
    const strings = [id, ticket.title, ticket.description];
    const lengths = [0, 0, 0];
    for (let attempt = 0; ; attempt++) {
      let at = this.used;
      let fits = true;
      for (let f = 0; f < 3 && fits; f++) {
        const { read, written } = this.encoder.encodeInto(strings[f]!, this.chunk.subarray(at));
        fits = read === strings[f]!.length;
        lengths[f] = written;
        at += written;
      }
      if (fits) {
        this.textStart.push((this.chunks.length - 1) * this.chunkBytes + this.used);
        this.used = at;
        break;
      }
      if (attempt > 0) throw new Error(`ticket ${ticket.ticket_id}: text too long to store`);
      this.nextChunk();
    }
    this.idBytes.push(lengths[0]!);
    this.titleBytes.push(lengths[1]!);
    this.descriptionBytes.push(lengths[2]!);
    // UTF-8 cannot carry a lone surrogate: keep such a string verbatim.
    const fields = ["ticket_id", "title", "description"] as const;
    strings.forEach((text, f) => {
      if (!isWellFormed(text)) this.verbatim.push([i, fields[f]!, text]);
    });
    return i;
  }

  finish(): TicketColumnsParts {
    if (this.chunks.length > 0)
      this.chunks[this.chunks.length - 1] = this.chunk.slice(0, this.used);
    const values = {} as Record<GroupField, string[]>;
    const codes = {} as Record<GroupField, CodeArray>;
    for (const field of CODED_FIELDS) {
      values[field] = [...this.codeOf[field].keys()];
      codes[field] = narrowest(this.codes[field].done(), values[field].length);
    }
    return {
      count: this.count,
      chunkBytes: this.chunkBytes,
      chunks: this.chunks,
      textStart: this.textStart.done(),
      idBytes: this.idBytes.done(),
      titleBytes: this.titleBytes.done(),
      descriptionBytes: this.descriptionBytes.done(),
      createdMs: this.createdMs.done(),
      updatedMs: this.updatedMs.done(),
      values,
      codes,
      verbatim: this.verbatim,
      idsAscending: this.idsAscending,
      idsAscendingLower: this.idsAscendingLower,
    };
  }

  private nextChunk(): void {
    if (this.chunks.length > 0)
      this.chunks[this.chunks.length - 1] = this.chunk.slice(0, this.used);
    if ((this.chunks.length + 1) * this.chunkBytes > 2 ** 32) {
      throw new Error("more than 4 GiB of ticket text");
    }
    this.chunk = new Uint8Array(this.chunkBytes);
    this.chunks.push(this.chunk);
    this.used = 0;
  }
}

/** String.prototype.isWellFormed (ES2024, in Node 20): no lone surrogate. */
const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** The narrowest array that holds every code: enums and assignees fit in one byte. */
function narrowest(wide: Uint32Array, cardinality: number): CodeArray {
  if (cardinality <= 0xff) return Uint8Array.from(wide);
  if (cardinality <= 0xffff) return Uint16Array.from(wide);
  return wide;
}

/** Reads tickets (or parts of them) back out of the columns. */
export class TicketColumns {
  private readonly decoder = new TextDecoder();
  private readonly verbatim = new Map<number, Partial<Record<TextField, string>>>();

  constructor(readonly parts: TicketColumnsParts) {
    for (const [i, field, text] of parts.verbatim) {
      const entry = this.verbatim.get(i) ?? {};
      entry[field] = text;
      this.verbatim.set(i, entry);
    }
  }

  get count(): number {
    return this.parts.count;
  }

  ticketId(i: number): string {
    return this.verbatim.get(i)?.ticket_id ?? this.text(i, 0, this.parts.idBytes[i]!);
  }

  title(i: number): string {
    const { idBytes, titleBytes } = this.parts;
    return this.verbatim.get(i)?.title ?? this.text(i, idBytes[i]!, titleBytes[i]!);
  }

  description(i: number): string {
    const { idBytes, titleBytes, descriptionBytes } = this.parts;
    const skip = idBytes[i]! + titleBytes[i]!;
    return this.verbatim.get(i)?.description ?? this.text(i, skip, descriptionBytes[i]!);
  }

  value(field: GroupField, i: number): string {
    return this.parts.values[field][this.parts.codes[field][i]!]!;
  }

  ticket(i: number): Ticket {
    const { createdMs, updatedMs } = this.parts;
    const exact = this.verbatim.get(i);
    return {
      ticket_id: this.ticketId(i),
      user_id: this.value("user_id", i),
      title: this.title(i),
      description: this.description(i),
      status: this.value("status", i) as Ticket["status"],
      priority: this.value("priority", i) as Ticket["priority"],
      category: this.value("category", i) as Ticket["category"],
      created_date: exact?.created_date ?? formatIsoDate(createdMs[i]!),
      updated_date: exact?.updated_date ?? formatIsoDate(updatedMs[i]!),
      assigned_to: this.value("assigned_to", i),
    };
  }

  private text(i: number, skip: number, bytes: number): string {
    const start = this.parts.textStart[i]!;
    const { chunks, chunkBytes } = this.parts;
    const chunk = chunks[Math.floor(start / chunkBytes)]!;
    const from = (start % chunkBytes) + skip;
    return this.decoder.decode(chunk.subarray(from, from + bytes));
  }
}
