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
import { PRIORITIES, type Ticket } from "./ticket.js";

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

/** Rank of each ticket id in exact (UTF-16) order; O(n) when the input is already sorted. */
function idRanks(tickets: readonly Ticket[]): Uint32Array {
  const n = tickets.length;
  const rank = new Uint32Array(n);
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) {
    sorted = tickets[i - 1]!.ticket_id < tickets[i]!.ticket_id;
  }
  if (sorted) {
    for (let i = 0; i < n; i++) rank[i] = i;
    return rank;
  }
  const order = identity(n).sort((a, b) => {
    const x = tickets[a]!.ticket_id;
    const y = tickets[b]!.ticket_id;
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

export function priorityRanks(tickets: readonly Ticket[]): Uint8Array {
  const ranks = new Uint8Array(tickets.length);
  for (let i = 0; i < tickets.length; i++) {
    ranks[i] = (PRIORITIES as readonly string[]).indexOf(tickets[i]!.priority);
  }
  return ranks;
}

export function buildOrderings(
  tickets: readonly Ticket[],
  { priorityRank: p, createdMs: c, updatedMs: u }: SortColumns,
): Record<SortOrder, Ordering> {
  const id = idRanks(tickets);
  const compare: Record<SortOrder, (a: number, b: number) => number> = {
    priority: (a, b) => p[a]! - p[b]! || u[b]! - u[a]! || id[a]! - id[b]!,
    newest: (a, b) => c[b]! - c[a]! || id[a]! - id[b]!,
    oldest: (a, b) => c[a]! - c[b]! || id[a]! - id[b]!,
    updated: (a, b) => u[b]! - u[a]! || id[a]! - id[b]!,
  };
  const out = {} as Record<SortOrder, Ordering>;
  for (const sort of SORT_ORDERS) {
    const order = identity(tickets.length).sort(compare[sort]);
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
  private readonly order: Uint32Array;

  constructor(private readonly tickets: readonly Ticket[]) {
    const n = tickets.length;
    const lower = tickets.map((t) => t.ticket_id.toLowerCase());
    const before = (a: number, b: number) =>
      lower[a]! < lower[b]! ||
      (lower[a] === lower[b] && tickets[a]!.ticket_id < tickets[b]!.ticket_id);
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) sorted = before(i - 1, i);
    this.order = sorted
      ? identity(n)
      : identity(n).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  /** The position of the ticket with this id (any case; the exact spelling first). */
  find(ticketId: string): number | undefined {
    const exact = ticketId.trim();
    const key = exact.toLowerCase();
    let first: number | undefined;
    for (let k = this.lowerBound(key); k < this.order.length; k++) {
      const i = this.order[k]!;
      const id = this.tickets[i]!.ticket_id;
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
      const id = this.tickets[this.order[k]!]!.ticket_id;
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
      if (this.tickets[this.order[mid]!]!.ticket_id.toLowerCase() < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
