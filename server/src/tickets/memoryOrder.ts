/**
 * Orders for the in-memory store, computed once when it is built: each sort order as a
 * permutation plus a rank per ticket, and the ticket ids in case-insensitive order for
 * `get` and id completion (a binary search instead of a million-entry Map).
 *
 * Comparisons run on typed arrays (priority rank, dates in ms, the rank of each id), not
 * on `sortKey` tuples, so four orders of a million tickets take about a second; they
 * agree with `compareKeys` element by element.
 */
import type { SortOrder } from "./query.js";
import { SORT_ORDERS } from "./query.js";
import { PRIORITIES } from "./ticket.js";

export interface Ordering {
  /** Ticket positions in this order. */
  order: Uint32Array;
  /** rank[i] = where ticket i stands in `order`. */
  rank: Uint32Array;
}

export interface SortColumns {
  priorityRank: Uint8Array;
  createdMs: Float64Array;
  updatedMs: Float64Array;
}

/** A ticket's id by position (decoded on demand: the store keeps no id strings). */
export type IdOf = (i: number) => string;

/** Rank of each ticket id in exact (UTF-16) order; O(n) when the input is already sorted. */
function idRanks(n: number, idOf: IdOf, ascending: boolean | undefined): Uint32Array {
  const rank = new Uint32Array(n);
  let sorted = ascending ?? true;
  let previous = n > 0 && ascending === undefined ? idOf(0) : "";
  for (let i = 1; i < n && sorted && ascending === undefined; i++) {
    const id = idOf(i);
    sorted = previous < id;
    previous = id;
  }
  if (sorted) {
    for (let i = 0; i < n; i++) rank[i] = i;
    return rank;
  }
  const ids = Array.from({ length: n }, (_, i) => idOf(i));
  const order = identity(n).sort((a, b) => {
    const x = ids[a]!;
    const y = ids[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (let r = 0; r < n; r++) rank[order[r]!] = r;
  return rank;
}

function identity(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Each ticket's priority as its place in PRIORITIES, from the priority codes. */
export function priorityRanks(values: readonly string[], codes: ArrayLike<number>): Uint8Array {
  const rankOf = values.map((v) => (PRIORITIES as readonly string[]).indexOf(v));
  const ranks = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) ranks[i] = rankOf[codes[i]!]!;
  return ranks;
}

/** Each sort order as a permutation of the positions. */
export function buildOrders(
  n: number,
  idOf: IdOf,
  { priorityRank: p, createdMs: c, updatedMs: u }: SortColumns,
  /** Known already (seen while the ids came in): are they ascending? */
  idsAscending?: boolean,
): Record<SortOrder, Uint32Array> {
  const id = idRanks(n, idOf, idsAscending);
  const compare: Record<SortOrder, (a: number, b: number) => number> = {
    priority: (a, b) => p[a]! - p[b]! || u[b]! - u[a]! || id[a]! - id[b]!,
    newest: (a, b) => c[b]! - c[a]! || id[a]! - id[b]!,
    oldest: (a, b) => c[a]! - c[b]! || id[a]! - id[b]!,
    updated: (a, b) => u[b]! - u[a]! || id[a]! - id[b]!,
  };
  const out = {} as Record<SortOrder, Uint32Array>;
  for (const sort of SORT_ORDERS) out[sort] = identity(n).sort(compare[sort]);
  return out;
}

/** The orders with a rank per ticket (rank[i] = where ticket i stands in the order). */
export function orderingsOf(orders: Record<SortOrder, Uint32Array>): Record<SortOrder, Ordering> {
  const out = {} as Record<SortOrder, Ordering>;
  for (const sort of SORT_ORDERS) {
    const order = orders[sort];
    const rank = new Uint32Array(order.length);
    for (let r = 0; r < order.length; r++) rank[order[r]!] = r;
    out[sort] = { order, rank };
  }
  return out;
}

/**
 * Ticket ids in (lower-cased id, id) order. Ids that differ only in case are different
 * tickets: `get` prefers the exact spelling, completion lists both.
 */
export class IdLookup {
  /** Positions in (lower-cased id, id) order. */
  readonly order: Uint32Array;

  /**
   * Over `n` ids; `order` when already known (from a snapshot); `ascending` when it is
   * known whether the ids already come in (lower-cased id, id) order.
   */
  constructor(
    n: number,
    private readonly idOf: IdOf,
    order?: Uint32Array,
    ascending?: boolean,
  ) {
    if (order !== undefined) {
      this.order = order;
      return;
    }
    if (ascending === true) {
      this.order = identity(n);
      return;
    }
    // Usually already in order (files list tickets by id): checked pairwise, no id array.
    const after = (a: string, b: string) => {
      const [x, y] = [a.toLowerCase(), b.toLowerCase()];
      return x < y || (x === y && a < b);
    };
    let sorted = ascending === undefined;
    let previous = n > 0 && sorted ? idOf(0) : "";
    for (let i = 1; i < n && sorted; i++) {
      const id = idOf(i);
      sorted = after(previous, id);
      previous = id;
    }
    if (sorted) {
      this.order = identity(n);
      return;
    }
    const ids = Array.from({ length: n }, (_, i) => idOf(i));
    const lower = ids.map((id) => id.toLowerCase());
    const before = (a: number, b: number) =>
      lower[a]! < lower[b]! || (lower[a] === lower[b] && ids[a]! < ids[b]!);
    this.order = identity(n).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  /** The position of the ticket with this id (any case; the exact spelling first). */
  find(ticketId: string): number | undefined {
    const exact = ticketId.trim();
    const key = exact.toLowerCase();
    let first: number | undefined;
    for (let k = this.lowerBound(key); k < this.order.length; k++) {
      const i = this.order[k]!;
      const id = this.idOf(i);
      if (id.toLowerCase() !== key) break;
      if (id === exact) return i;
      first ??= i;
    }
    return first;
  }

  /** Ids starting with `prefix` in any case, in (lower-cased id, id) order. */
  suggest(prefix: string, limit: number): string[] {
    const p = prefix.trim().toLowerCase();
    const out: string[] = [];
    for (let k = this.lowerBound(p); k < this.order.length && out.length < limit; k++) {
      const id = this.idOf(this.order[k]!);
      if (!id.toLowerCase().startsWith(p)) break;
      out.push(id);
    }
    return out;
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.idOf(this.order[mid]!).toLowerCase() < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
