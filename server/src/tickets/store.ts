/**
 * Where tickets live. Async throughout, so an in-memory index and a database answer
 * through the same interface and are held to the same contract tests.
 */
import type { GroupField, SearchQuery, TicketFilters } from "./query.js";
import type { Ticket } from "./ticket.js";

export interface SearchResult {
  /**
   * How many tickets match, across all pages: exact below the count limit
   * (`COUNT_LIMIT`), else the limit itself with `totalExact` false ("at least").
   */
  total: number;
  /** False when counting stopped at the limit: at least `total` tickets match. */
  totalExact: boolean;
  /** This page, in the query's order. */
  tickets: Ticket[];
  /** Present when there is a next page: pass it back unchanged as `cursor`. */
  nextCursor?: string;
}

export interface GroupCount {
  value: string;
  count: number;
}

export interface StatsResult {
  total: number;
  /** Largest group first; ties by value. Enum groups list every value, zeros included. */
  groups: GroupCount[];
}

export interface StoreInfo {
  /** Where the tickets come from, e.g. a file path. */
  source: string;
  count: number;
}

/** Per call: `signal` aborts the work when the caller gave up (cancelled, went away). */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface TicketStore {
  search(query: SearchQuery, options?: CallOptions): Promise<SearchResult>;
  /** Case-insensitive exact match on ticket_id. */
  get(ticketId: string): Promise<Ticket | undefined>;
  stats(filters: TicketFilters, groupBy: GroupField, options?: CallOptions): Promise<StatsResult>;
  /** Ticket ids starting with `prefix` (case-insensitive), for completion. */
  suggestIds(prefix: string, limit: number): Promise<string[]>;
  info(): Promise<StoreInfo>;
  /** Can the store answer now (e.g. the database is reachable)? Absent: always. */
  ready?(): Promise<boolean>;
  /** Releases what the store holds open (a database pool); absent when nothing is. */
  close?(): Promise<void>;
}
