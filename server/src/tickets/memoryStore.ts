/**
 * The in-memory ticket store: immutable once built, indexed so that a filter reads only
 * the tickets it can match.
 *
 * - Each exact-match field (status, priority, category, user_id, assigned_to) has a
 *   posting list per value; a query walks the smallest list its filters select and
 *   checks the remaining conditions with the shared `matches` rule.
 * - Each sort order is computed once, on first use, as a permutation plus a rank per
 *   ticket; the page is then the `limit` lowest ranks past the cursor, found in one pass
 *   with a small bounded buffer instead of sorting every match.
 */
import type { GroupField, SearchQuery, SortOrder, TicketFilters } from "./query.js";
import {
  compareKeys,
  decodeCursor,
  encodeCursor,
  haystackOf,
  matches,
  sortKey,
  type SortKey,
} from "./search.js";
import type { GroupCount, SearchResult, StatsResult, StoreInfo, TicketStore } from "./store.js";
import { CATEGORIES, PRIORITIES, STATUSES, type Ticket } from "./ticket.js";

type IndexedField = "status" | "priority" | "category" | "user_id" | "assigned_to";

interface Ordering {
  /** Ticket positions in this order. */
  order: Uint32Array;
  /** rank[i] = where ticket i stands in `order`. */
  rank: Uint32Array;
}

const ENUM_VALUES: Partial<Record<GroupField, readonly string[]>> = {
  status: STATUSES,
  priority: PRIORITIES,
  category: CATEGORIES,
};

export class MemoryTicketStore implements TicketStore {
  private readonly tickets: readonly Ticket[];
  private readonly haystacks: string[];
  private readonly createdMs: Float64Array;
  private readonly updatedMs: Float64Array;
  private readonly byId = new Map<string, number>();
  private readonly sortedIds: string[];
  private readonly postings = new Map<IndexedField, Map<string, Uint32Array>>();
  private readonly orderings = new Map<SortOrder, Ordering>();

  /** `tickets` must already be valid (TicketSchema) with unique ids. */
  constructor(
    tickets: readonly Ticket[],
    private readonly source = "memory",
  ) {
    this.tickets = tickets;
    const n = tickets.length;
    this.haystacks = new Array<string>(n);
    this.createdMs = new Float64Array(n);
    this.updatedMs = new Float64Array(n);
    const lists = new Map<IndexedField, Map<string, number[]>>();
    const fields: IndexedField[] = ["status", "priority", "category", "user_id", "assigned_to"];
    for (const field of fields) lists.set(field, new Map());
    for (let i = 0; i < n; i++) {
      const t = tickets[i]!;
      this.haystacks[i] = haystackOf(t);
      this.createdMs[i] = Date.parse(t.created_date);
      this.updatedMs[i] = Date.parse(t.updated_date);
      this.byId.set(t.ticket_id.toLowerCase(), i);
      for (const field of fields) {
        const key = t[field].toLowerCase();
        const byValue = lists.get(field)!;
        let list = byValue.get(key);
        if (!list) byValue.set(key, (list = []));
        list.push(i);
      }
    }
    for (const [field, byValue] of lists) {
      const frozen = new Map<string, Uint32Array>();
      for (const [value, list] of byValue) frozen.set(value, Uint32Array.from(list));
      this.postings.set(field, frozen);
    }
    this.sortedIds = [...this.byId.keys()].sort();
  }

  get size(): number {
    return this.tickets.length;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const after = decodeCursor(query);
    const { order, rank } = this.ordering(query.sort);
    // First rank past the cursor: the cursor's key need not belong to a current ticket.
    const start = after === undefined ? 0 : this.firstRankAfter(query.sort, order, after);
    const want = query.limit + 1; // one extra tells whether a next page exists
    const page: number[] = []; // ranks, ascending, at most `want`
    let total = 0;

    if (isEmpty(query.filters)) {
      total = this.tickets.length;
      for (let r = start; r < order.length && page.length < want; r++) page.push(r);
    } else {
      this.forEachMatch(query.filters, (i) => {
        total++;
        const r = rank[i]!;
        if (r < start) return;
        if (page.length === want && r >= page[want - 1]!) return;
        let pos = page.length;
        while (pos > 0 && page[pos - 1]! > r) pos--;
        page.splice(pos, 0, r);
        if (page.length > want) page.pop();
      });
    }

    const hasMore = page.length > query.limit;
    const tickets = page.slice(0, query.limit).map((r) => this.tickets[order[r]!]!);
    const result: SearchResult = { total, tickets };
    if (hasMore) {
      const last = order[page[query.limit - 1]!]!;
      result.nextCursor = encodeCursor(query, this.keyOf(query.sort, last));
    }
    return result;
  }

  async get(ticketId: string): Promise<Ticket | undefined> {
    const i = this.byId.get(ticketId.trim().toLowerCase());
    return i === undefined ? undefined : this.tickets[i];
  }

  async stats(filters: TicketFilters, groupBy: GroupField): Promise<StatsResult> {
    const counts = new Map<string, number>();
    for (const value of ENUM_VALUES[groupBy] ?? []) counts.set(value, 0);
    let total = 0;
    this.forEachMatch(filters, (i) => {
      total++;
      const value = this.tickets[i]![groupBy];
      counts.set(value, (counts.get(value) ?? 0) + 1);
    });
    const groups: GroupCount[] = [...counts].map(([value, count]) => ({ value, count }));
    groups.sort(
      (a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
    );
    return { total, groups };
  }

  async suggestIds(prefix: string, limit: number): Promise<string[]> {
    const p = prefix.trim().toLowerCase();
    let lo = 0;
    let hi = this.sortedIds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sortedIds[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let k = lo; k < this.sortedIds.length && out.length < limit; k++) {
      const id = this.sortedIds[k]!;
      if (!id.startsWith(p)) break;
      out.push(this.tickets[this.byId.get(id)!]!.ticket_id);
    }
    return out;
  }

  async info(): Promise<StoreInfo> {
    return { source: this.source, count: this.tickets.length };
  }

  /** Calls `visit` with the position of every ticket matching `filters`, in index order. */
  private forEachMatch(filters: TicketFilters, visit: (i: number) => void): void {
    const candidates = this.candidates(filters);
    const check = (i: number) => {
      if (
        matches(this.tickets[i]!, filters, this.haystacks[i], this.createdMs[i], this.updatedMs[i])
      ) {
        visit(i);
      }
    };
    if (candidates === undefined) {
      for (let i = 0; i < this.tickets.length; i++) check(i);
    } else {
      for (const list of candidates) for (const i of list) check(i);
    }
  }

  /**
   * The posting lists of the most selective indexed filter (their union holds every
   * match, each ticket once since a ticket has one value per field), or undefined when
   * no indexed filter is set.
   */
  private candidates(filters: TicketFilters): Uint32Array[] | undefined {
    const options: [IndexedField, string[] | undefined][] = [
      ["user_id", filters.userId === undefined ? undefined : [filters.userId]],
      ["assigned_to", filters.assignedTo === undefined ? undefined : [filters.assignedTo]],
      ["status", filters.statuses],
      ["priority", filters.priorities],
      ["category", filters.categories],
    ];
    let best: Uint32Array[] | undefined;
    let bestSize = Infinity;
    for (const [field, values] of options) {
      if (!values) continue;
      const byValue = this.postings.get(field)!;
      const lists = values.map((v) => byValue.get(v)).filter((l): l is Uint32Array => !!l);
      const size = lists.reduce((sum, l) => sum + l.length, 0);
      if (size < bestSize) {
        best = lists;
        bestSize = size;
      }
    }
    return best;
  }

  private keyOf(sort: SortOrder, i: number): SortKey {
    return sortKey(sort, this.tickets[i]!, this.createdMs[i]!, this.updatedMs[i]!);
  }

  private ordering(sort: SortOrder): Ordering {
    let ordering = this.orderings.get(sort);
    if (!ordering) {
      const n = this.tickets.length;
      const keys = Array.from({ length: n }, (_, i) => this.keyOf(sort, i));
      const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) =>
        compareKeys(keys[a]!, keys[b]!),
      );
      const rank = new Uint32Array(n);
      for (let r = 0; r < n; r++) rank[order[r]!] = r;
      ordering = { order, rank };
      this.orderings.set(sort, ordering);
    }
    return ordering;
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

function isEmpty(filters: TicketFilters): boolean {
  return Object.keys(filters).length === 0;
}
