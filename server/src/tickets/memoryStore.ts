/**
 * The in-memory ticket store: immutable once built, indexed so that a query reads only
 * the tickets it can match, and renders only its page. Sized for a million tickets.
 *
 * - The tickets are kept in compact columns (ticketColumns.ts): text as UTF-8 slices,
 *   field values as codes, dates as ms; a ticket object is decoded only for a page.
 *   A store is built from a stream of tickets (`MemoryStoreBuilder`), and everything it
 *   is made of (`parts`) is typed arrays plus a little JSON, so it can be snapshotted.
 * - Exact-match fields (status, priority, category, user_id, assigned_to) are value
 *   indexes: a code per ticket in a typed array plus a posting list per value. Filters
 *   become lookup tables over codes, so checking a ticket costs a few array reads.
 * - Keywords go through a word index (keywordIndex.ts): no description is read unless a
 *   term has spaces or punctuation, and then only the candidates' descriptions.
 * - Date ranges are slices of the date-sorted orders (two binary searches).
 * - When the total is known without visiting the matches (status/priority/category
 *   filters, counted by a small cube; or a single filter, whose candidates are exactly
 *   the matches), a search walks the sort order from the cursor and stops after a page.
 * - Otherwise the smallest candidate set (a posting list, a date slice or the keyword's
 *   tickets) is scanned once, counting matches and keeping the `limit` lowest ranks past
 *   the cursor in a small sorted buffer instead of sorting every match.
 *
 * The rules are search.ts's (`matches`, `compareKeys`); the contract tests hold this
 * store and the PostgreSQL one to the same answers.
 */
import {
  KeywordIndex,
  KeywordIndexBuilder,
  type KeywordIndexParts,
  type KeywordLookup,
} from "./keywordIndex.js";
import {
  IdLookup,
  buildOrders,
  orderingsOf,
  priorityRanks,
  type Ordering,
  type SortColumns,
} from "./memoryOrder.js";
import {
  COUNT_LIMIT,
  checkCountLimit,
  type GroupField,
  type SearchQuery,
  type SortOrder,
  type TicketFilters,
} from "./query.js";
import {
  compareKeys,
  decodeCursor,
  encodeCursor,
  haystackOf,
  sortKey,
  type SortKey,
} from "./search.js";
import type {
  CallOptions,
  GroupCount,
  SearchResult,
  StatsResult,
  StoreInfo,
  TicketStore,
} from "./store.js";
import { CATEGORIES, PRIORITIES, STATUSES, type Ticket } from "./ticket.js";
import { TicketColumns, TicketColumnsBuilder, type TicketColumnsParts } from "./ticketColumns.js";
import { ValueIndex } from "./valueIndex.js";

const ENUM_VALUES: Partial<Record<GroupField, readonly string[]>> = {
  status: STATUSES,
  priority: PRIORITIES,
  category: CATEGORIES,
};
const CUBE_FILTERS = new Set(["statuses", "priorities", "categories"]);
/** Below this many candidates, checking keywords on the text beats building a bitset. */
const TEXT_CHECK_LIMIT = 2048;

/** The keyword lookups kept for reuse, by the bytes of their candidate lists and bitsets. */
const LOOKUP_CACHE_BYTES = 32 << 20;
const LOOKUP_CACHE_ENTRIES = 256;

interface CachedLookup {
  key: string;
  lookup: KeywordLookup;
  bits: Uint32Array | undefined;
}

/** How a query will be answered. */
interface Plan {
  /** Candidate positions (their union holds every match, each once); undefined: all. */
  lists: Uint32Array[] | undefined;
  size: number;
  /** Does candidate i match every filter? */
  test: (i: number) => boolean;
  /** The number of matches, when known without visiting them (cube, or exact candidates). */
  total: number | undefined;
  /** Only status/priority/category filters (or none): the cube can count per group. */
  cubeOnly: boolean;
}

/** Everything a built store is made of: typed arrays and a little JSON-able data. */
export interface MemoryStoreParts {
  columns: TicketColumnsParts;
  keywords: KeywordIndexParts;
  orders: Record<SortOrder, Uint32Array>;
  /** Positions in (lower-cased id, id) order. */
  idOrder: Uint32Array;
}

/** A store's rows before ordering: the part of a build that reads the file. */
export type StoreRows = Pick<MemoryStoreParts, "columns" | "keywords">;

/**
 * Builds a store from tickets added a batch at a time (valid, unique ids), holding only
 * the compact form: a file can be streamed in without its rows all being objects.
 */
export class MemoryStoreBuilder {
  private readonly columns: TicketColumnsBuilder;
  private readonly keywords = new KeywordIndexBuilder();

  /** `chunkBytes`: the size of the text chunks (default 32 MiB; small in tests). */
  constructor({ chunkBytes }: { chunkBytes?: number } = {}) {
    this.columns = new TicketColumnsBuilder(chunkBytes);
  }

  get count(): number {
    return this.columns.count;
  }

  add(tickets: Iterable<Ticket>): void {
    for (const ticket of tickets) {
      this.columns.add(ticket);
      this.keywords.add(haystackOf(ticket));
    }
  }

  /** The rows as read: columns and keyword index (what a build worker hands over). */
  finishRows(): StoreRows {
    return { columns: this.columns.finish(), keywords: this.keywords.finish() };
  }

  finish(): MemoryStoreParts {
    return MemoryStoreBuilder.order(this.finishRows());
  }

  /** The sort orders and the id order over finished rows: the rest of a store's parts. */
  static order({ columns, keywords }: StoreRows): MemoryStoreParts {
    const reader = new TicketColumns(columns);
    const idOf = (i: number) => reader.ticketId(i);
    const sortColumns: SortColumns = {
      priorityRank: priorityRanks(columns.values.priority, columns.codes.priority),
      createdMs: columns.createdMs,
      updatedMs: columns.updatedMs,
    };
    const orders = buildOrders(columns.count, idOf, sortColumns, columns.idsAscending);
    const idOrder = new IdLookup(columns.count, idOf, undefined, columns.idsAscendingLower).order;
    return { columns, keywords, orders, idOrder };
  }

  build(source?: string, options?: MemoryStoreOptions): MemoryTicketStore {
    return new MemoryTicketStore(this.finish(), source, options);
  }
}

export interface MemoryStoreOptions {
  /** Search totals are exact below this, "at least" it beyond (default COUNT_LIMIT). */
  countLimit?: number;
}

export class MemoryTicketStore implements TicketStore {
  private readonly countLimit: number;
  private readonly n: number;
  private readonly rows: TicketColumns;
  private readonly columns: SortColumns;
  private readonly fields: Record<GroupField, ValueIndex>;
  /** Counts per (status, priority, category) code triple. */
  private readonly cube: Uint32Array;
  private readonly keywords: KeywordIndex;
  private readonly ids: IdLookup;
  private readonly orderings: Record<SortOrder, Ordering>;
  readonly parts: MemoryStoreParts;
  /** Recent keyword lookups, least recently used first (see keywordLookup). */
  private readonly lookups = new Map<string, CachedLookup>();
  private lookupBytes = 0;

  /**
   * Over `tickets` (already valid, TicketSchema, with unique ids), or over the parts of
   * a store built before (`MemoryStoreBuilder`, or a snapshot of one).
   */
  constructor(
    tickets: readonly Ticket[] | MemoryStoreParts,
    private readonly source = "memory",
    { countLimit = COUNT_LIMIT }: MemoryStoreOptions = {},
  ) {
    this.countLimit = checkCountLimit(countLimit);
    let parts: MemoryStoreParts;
    if (Array.isArray(tickets)) {
      const builder = new MemoryStoreBuilder();
      builder.add(tickets as readonly Ticket[]);
      parts = builder.finish();
    } else {
      parts = tickets as MemoryStoreParts;
    }
    this.parts = parts;
    const { columns } = parts;
    const n = (this.n = columns.count);
    this.rows = new TicketColumns(columns);
    this.columns = {
      priorityRank: priorityRanks(columns.values.priority, columns.codes.priority),
      createdMs: columns.createdMs,
      updatedMs: columns.updatedMs,
    };
    const index = (field: GroupField) =>
      new ValueIndex(columns.values[field], columns.codes[field]);
    this.fields = {
      status: index("status"),
      priority: index("priority"),
      category: index("category"),
      user_id: index("user_id"),
      assigned_to: index("assigned_to"),
    };
    const { status, priority, category } = this.fields;
    this.cube = new Uint32Array(status.cardinality * priority.cardinality * category.cardinality);
    for (let i = 0; i < n; i++) {
      this.cube[this.cell(status.codes[i]!, priority.codes[i]!, category.codes[i]!)]!++;
    }
    this.keywords = new KeywordIndex(parts.keywords);
    this.ids = new IdLookup(n, (i) => this.rows.ticketId(i), parts.idOrder);
    this.orderings = orderingsOf(parts.orders);
  }

  get size(): number {
    return this.n;
  }

  /**
   * A search runs to its end once started (no await inside: milliseconds at a million
   * tickets), so an aborted signal is checked before it starts: a call whose caller
   * already gave up costs nothing.
   */
  async search(query: SearchQuery, options?: CallOptions): Promise<SearchResult> {
    options?.signal?.throwIfAborted();
    const after = decodeCursor(query);
    const { order, rank } = this.orderings[query.sort];
    // First rank past the cursor: the cursor's key need not belong to a current ticket.
    const start = after === undefined ? 0 : this.firstRankAfter(query.sort, order, after);
    const want = query.limit + 1; // one extra tells whether a next page exists
    const plan = this.plan(query.filters);
    let page = plan.total === undefined ? undefined : this.walk(plan, order, start, want);
    let total = plan.total ?? 0;
    if (page === undefined) {
      page = [];
      const ranks = page;
      total = this.forEachMatch(plan, (i) => {
        const r = rank[i]!;
        if (r < start) return;
        if (ranks.length === want && r >= ranks[want - 1]!) return;
        let pos = ranks.length;
        while (pos > 0 && ranks[pos - 1]! > r) pos--;
        ranks.splice(pos, 0, r);
        if (ranks.length > want) ranks.pop();
      });
    }
    const hasMore = page.length > query.limit;
    const tickets = page.slice(0, query.limit).map((r) => this.rows.ticket(order[r]!));
    // Counted in full, but reported as PostgreSQL reports it: both stores answer alike.
    const totalExact = total < this.countLimit;
    const result: SearchResult = { total: Math.min(total, this.countLimit), totalExact, tickets };
    if (hasMore) {
      const last = order[page[query.limit - 1]!]!;
      result.nextCursor = encodeCursor(query, this.keyOf(query.sort, last));
    }
    return result;
  }

  async get(ticketId: string): Promise<Ticket | undefined> {
    const i = this.ids.find(ticketId);
    return i === undefined ? undefined : this.rows.ticket(i);
  }

  async stats(
    filters: TicketFilters,
    groupBy: GroupField,
    options?: CallOptions,
  ): Promise<StatsResult> {
    options?.signal?.throwIfAborted();
    const field = this.fields[groupBy];
    const perCode = new Float64Array(field.cardinality);
    const plan = this.plan(filters);
    let total: number;
    if (plan.cubeOnly && ENUM_VALUES[groupBy]) {
      total = this.cubeCount(filters, groupBy, perCode);
    } else {
      const codes = field.codes;
      total = this.forEachMatch(plan, (i) => perCode[codes[i]!]!++);
    }
    const counts = new Map<string, number>();
    for (const value of ENUM_VALUES[groupBy] ?? []) counts.set(value, 0);
    perCode.forEach((count, code) => {
      if (count > 0) counts.set(field.values[code]!, count);
    });
    const groups: GroupCount[] = [...counts].map(([value, count]) => ({ value, count }));
    groups.sort(
      (a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
    );
    return { total, groups };
  }

  async suggestIds(prefix: string, limit: number): Promise<string[]> {
    return this.ids.suggest(prefix, limit);
  }

  async info(): Promise<StoreInfo> {
    return { source: this.source, count: this.n };
  }

  async ready(): Promise<boolean> {
    return true;
  }

  /** Visits every match; returns how many there were. */
  private forEachMatch(plan: Plan, visit: (i: number) => void): number {
    let count = 0;
    const { test, lists } = plan;
    if (lists === undefined) {
      for (let i = 0; i < this.n; i++) {
        if (test(i)) {
          count++;
          visit(i);
        }
      }
      return count;
    }
    for (const list of lists) {
      for (let k = 0; k < list.length; k++) {
        const i = list[k]!;
        if (test(i)) {
          count++;
          visit(i);
        }
      }
    }
    return count;
  }

  /**
   * The page when the total is already known: walk the order from `start`, testing each
   * ticket, until `want` matches. Gives up (undefined) once the walk costs more than
   * scanning the candidates would, e.g. when matches are rare or bunched later on.
   */
  private walk(plan: Plan, order: Uint32Array, start: number, want: number): number[] | undefined {
    const page: number[] = [];
    if (plan.total === 0) return page;
    // Expected steps: `want` matches at the matches' density.
    if ((want * this.n) / plan.total! > Math.max(plan.size, 1024)) return undefined;
    const budget = Math.max(plan.size, 1024);
    let r = start;
    for (let steps = 0; r < order.length && page.length < want; r++, steps++) {
      if (steps > budget) return undefined;
      if (plan.test(order[r]!)) page.push(r);
    }
    return page;
  }

  private plan(filters: TicketFilters): Plan {
    const { status, priority, category, user_id, assigned_to } = this.fields;
    const { createdMs, updatedMs } = this.columns;
    const cached = filters.keywordTerms ? this.keywordLookup(filters.keywordTerms) : undefined;
    const lookup: KeywordLookup | undefined = cached?.lookup;

    // The smallest candidate set among the indexed filters, the date ranges (slices of
    // the date orders) and the keyword's tickets. `active` lists every filter set.
    const active = new Set<string>();
    let driver: string | undefined;
    let lists: Uint32Array[] | undefined;
    let size = this.n;
    const offer = (name: string, candidates: Uint32Array[]) => {
      active.add(name);
      const total = candidates.reduce((sum, list) => sum + list.length, 0);
      if (driver === undefined || total < size) [driver, lists, size] = [name, candidates, total];
    };
    const consider = (name: string, field: ValueIndex, keys: readonly string[] | undefined) => {
      if (keys === undefined) return;
      offer(
        name,
        keys.flatMap((key) => field.codesFor(key)).map((code) => field.list(code)),
      );
    };
    const one = (value: string | undefined) => (value === undefined ? undefined : [value]);
    consider("userId", user_id, one(filters.userId));
    consider("scopeUserId", user_id, one(filters.scopeUserId));
    consider("assignedTo", assigned_to, one(filters.assignedTo));
    consider("statuses", status, filters.statuses);
    consider("priorities", priority, filters.priorities);
    consider("categories", category, filters.categories);
    const [cFrom, cTo] = [filters.createdFrom ?? -Infinity, filters.createdTo ?? Infinity];
    const [uFrom, uTo] = [filters.updatedFrom ?? -Infinity, filters.updatedTo ?? Infinity];
    if (cFrom > -Infinity || cTo < Infinity) {
      offer("created", [this.dateSlice("oldest", createdMs, cFrom, cTo)]);
    }
    if (uFrom > -Infinity || uTo < Infinity) {
      offer("updated", [this.dateSlice("updated", updatedMs, uFrom, uTo)]);
    }
    let verify = filters.keywordTerms ?? [];
    let keywordBits: Uint32Array | undefined;
    if (lookup) {
      active.add("keyword");
      if (lookup.ids && (driver === undefined || lookup.ids.length <= size)) {
        [driver, lists, size] = ["keyword", [lookup.ids], lookup.ids.length];
        verify = lookup.verify;
      }
    }
    // Exact: the candidates are the matches, so their number is the total.
    const exact = active.size === (driver ? 1 : 0) && (driver !== "keyword" || verify.length === 0);
    if (lookup?.ids && (driver !== "keyword" ? size > TEXT_CHECK_LIMIT : exact)) {
      keywordBits = this.keywordBits(cached!);
      verify = lookup.verify;
    }

    const flags = (field: ValueIndex, keys: readonly string[] | undefined) =>
      keys === undefined ? undefined : field.flags(keys);
    const st = flags(status, filters.statuses);
    const pr = flags(priority, filters.priorities);
    const ca = flags(category, filters.categories);
    const us = flags(user_id, one(filters.userId));
    const sc = flags(user_id, one(filters.scopeUserId));
    const as = flags(assigned_to, one(filters.assignedTo));
    const dates = active.has("created") || active.has("updated");
    const test = (i: number): boolean => {
      if (st && st[status.codes[i]!] === 0) return false;
      if (pr && pr[priority.codes[i]!] === 0) return false;
      if (ca && ca[category.codes[i]!] === 0) return false;
      if (us && us[user_id.codes[i]!] === 0) return false;
      if (sc && sc[user_id.codes[i]!] === 0) return false;
      if (as && as[assigned_to.codes[i]!] === 0) return false;
      if (dates) {
        const c = createdMs[i]!;
        const u = updatedMs[i]!;
        if (c < cFrom || c >= cTo || u < uFrom || u >= uTo) return false;
      }
      if (keywordBits && (keywordBits[i >>> 5]! & (1 << (i & 31))) === 0) return false;
      if (verify.length > 0) {
        const haystack = haystackOf({
          title: this.rows.title(i),
          description: this.rows.description(i),
        });
        for (const term of verify) if (!haystack.includes(term)) return false;
      }
      return true;
    };
    const cubeOnly = [...active].every((name) => CUBE_FILTERS.has(name));
    const total = cubeOnly ? this.cubeCount(filters) : exact ? size : undefined;
    return { lists, size, test, total, cubeOnly };
  }

  /**
   * The keyword index's answer for these terms, from a small cache: the store never
   * changes, and the same keywords come back page after page (a page of a common word
   * would otherwise decode and merge its posting lists and fill a bitset every time).
   */
  private keywordLookup(terms: readonly string[]): CachedLookup {
    const key = terms.join("\u0000");
    let entry = this.lookups.get(key);
    if (entry) {
      this.lookups.delete(key); // most recently used last
    } else {
      entry = { key, lookup: this.keywords.lookup(terms), bits: undefined };
      this.lookupBytes += entry.lookup.ids?.byteLength ?? 0;
    }
    this.lookups.set(key, entry);
    while (
      (this.lookupBytes > LOOKUP_CACHE_BYTES || this.lookups.size > LOOKUP_CACHE_ENTRIES) &&
      this.lookups.size > 1
    ) {
      const [oldest, dropped] = this.lookups.entries().next().value!;
      this.lookups.delete(oldest);
      this.lookupBytes -= (dropped.lookup.ids?.byteLength ?? 0) + (dropped.bits?.byteLength ?? 0);
    }
    return entry;
  }

  /** The lookup's candidates as a bitset over positions (made once per cached lookup). */
  private keywordBits(entry: CachedLookup): Uint32Array {
    if (entry.bits === undefined) {
      const bits = new Uint32Array((this.n + 31) >>> 5);
      for (const i of entry.lookup.ids!) bits[i >>> 5]! |= 1 << (i & 31);
      entry.bits = bits;
      if (this.lookups.get(entry.key) === entry) this.lookupBytes += bits.byteLength;
    }
    return entry.bits;
  }

  /** Positions with a date in [from, to), as a slice of an order sorted by that date. */
  private dateSlice(sort: "oldest" | "updated", ms: Float64Array, from: number, to: number) {
    const { order } = this.orderings[sort];
    // "oldest" ascends by created date; "updated" descends by updated date.
    const before = (r: number, bound: number) =>
      sort === "oldest" ? ms[order[r]!]! < bound : ms[order[r]!]! >= bound;
    const search = (bound: number) => {
      let lo = 0;
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before(mid, bound)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const [lo, hi] = sort === "oldest" ? [search(from), search(to)] : [search(to), search(from)];
    return order.subarray(lo, Math.max(lo, hi));
  }

  private cell(s: number, p: number, c: number): number {
    const { priority, category } = this.fields;
    return (s * priority.cardinality + p) * category.cardinality + c;
  }

  /** Matches of status/priority/category filters, from the cube; per group if asked. */
  private cubeCount(filters: TicketFilters, groupBy?: GroupField, perCode?: Float64Array): number {
    const { status, priority, category } = this.fields;
    const codes = (field: ValueIndex, keys: readonly string[] | undefined) =>
      keys === undefined
        ? Array.from({ length: field.cardinality }, (_, code) => code)
        : keys.flatMap((key) => field.codesFor(key));
    let total = 0;
    for (const s of codes(status, filters.statuses)) {
      for (const p of codes(priority, filters.priorities)) {
        for (const c of codes(category, filters.categories)) {
          const count = this.cube[this.cell(s, p, c)]!;
          total += count;
          if (perCode === undefined) continue;
          const group = groupBy === "status" ? s : groupBy === "priority" ? p : c;
          perCode[group]! += count;
        }
      }
    }
    return total;
  }

  private keyOf(sort: SortOrder, i: number): SortKey {
    const { createdMs, updatedMs } = this.columns;
    const priority = this.rows.value("priority", i) as Ticket["priority"];
    const ticket = { priority, ticket_id: this.rows.ticketId(i) };
    return sortKey(sort, ticket, createdMs[i]!, updatedMs[i]!);
  }

  private firstRankAfter(sort: SortOrder, order: Uint32Array, after: SortKey): number {
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keyOf(sort, order[mid]!), after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
