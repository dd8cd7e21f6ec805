/**
 * The search rules, written once: which tickets match a query, in which order they come,
 * and how a page boundary is written down (the cursor). Every store answers with these
 * semantics; the contract tests hold each store to them.
 */
import { createHash } from "node:crypto";
import { InvalidQueryError } from "./errors.js";
import {
  hasControlCharacters,
  type SearchQuery,
  type SortOrder,
  type TicketFilters,
} from "./query.js";
import { PRIORITIES, type Ticket } from "./ticket.js";

const PRIORITY_RANK: Record<string, number> = Object.fromEntries(PRIORITIES.map((p, i) => [p, i]));

/** The searchable text of a ticket, lower-cased once. */
export function haystackOf(ticket: Pick<Ticket, "title" | "description">): string {
  return `${ticket.title}\n${ticket.description}`.normalize("NFC").toLocaleLowerCase();
}

/**
 * Does `ticket` satisfy every filter? `haystack` and the dates may be passed in
 * precomputed by stores that keep them; otherwise they are derived here.
 */
export function matches(
  ticket: Ticket,
  filters: TicketFilters,
  haystack: string = haystackOf(ticket),
  createdMs: number = Date.parse(ticket.created_date),
  updatedMs: number = Date.parse(ticket.updated_date),
): boolean {
  if (filters.userId !== undefined && ticket.user_id.toLowerCase() !== filters.userId) return false;
  // Set by the server, not parsed from input: lower-cased here too, not assumed to be.
  if (
    filters.scopeUserId !== undefined &&
    ticket.user_id.toLowerCase() !== filters.scopeUserId.toLowerCase()
  ) {
    return false;
  }
  if (filters.assignedTo !== undefined && ticket.assigned_to.toLowerCase() !== filters.assignedTo) {
    return false;
  }
  if (filters.statuses && !filters.statuses.includes(ticket.status)) return false;
  if (filters.priorities && !filters.priorities.includes(ticket.priority)) return false;
  if (filters.categories && !filters.categories.includes(ticket.category)) return false;
  if (filters.createdFrom !== undefined && createdMs < filters.createdFrom) return false;
  if (filters.createdTo !== undefined && createdMs >= filters.createdTo) return false;
  if (filters.updatedFrom !== undefined && updatedMs < filters.updatedFrom) return false;
  if (filters.updatedTo !== undefined && updatedMs >= filters.updatedTo) return false;
  if (filters.keywordTerms) {
    for (const term of filters.keywordTerms) if (!haystack.includes(term)) return false;
  }
  return true;
}

/**
 * A ticket's position in an order, as a tuple compared element by element; the last
 * element is always the ticket id, so the order is total and paging is stable.
 */
export type SortKey = [number, number, string];

export function sortKey(
  sort: SortOrder,
  ticket: Pick<Ticket, "priority" | "ticket_id">,
  createdMs: number,
  updatedMs: number,
): SortKey {
  switch (sort) {
    case "priority":
      return [PRIORITY_RANK[ticket.priority] ?? PRIORITIES.length, -updatedMs, ticket.ticket_id];
    case "newest":
      return [-createdMs, 0, ticket.ticket_id];
    case "oldest":
      return [createdMs, 0, ticket.ticket_id];
    case "updated":
      return [-updatedMs, 0, ticket.ticket_id];
  }
}

export function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  if (a[1] !== b[1]) return a[1] - b[1];
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

/** A fingerprint of what the cursor's query asked, so a cursor is not reused elsewhere. */
function fingerprint(filters: TicketFilters, sort: SortOrder): string {
  return createHash("sha256")
    .update(JSON.stringify([filters, sort]))
    .digest("base64url")
    .slice(0, 10);
}

/**
 * Cursor for the page that starts after `last`. Opaque to callers; inside it is
 * "v1~<query fingerprint>~<key0>~<key1>~<ticket id>" in base64url, short because the
 * model reads it.
 */
export function encodeCursor(query: SearchQuery, last: SortKey): string {
  const plain = ["v1", fingerprint(query.filters, query.sort), last[0], last[1], last[2]].join("~");
  return Buffer.from(plain).toString("base64url");
}

/** The sort key the next page starts after; throws when the cursor is not this query's. */
export function decodeCursor(query: SearchQuery): SortKey | undefined {
  if (query.cursor === undefined) return undefined;
  const invalid = (why: string) => new InvalidQueryError("cursor", query.cursor, why);
  const parts = Buffer.from(query.cursor, "base64url").toString("utf8").split("~");
  const [version, fp, k0, k1, ...id] = parts;
  const key: SortKey = [Number(k0), Number(k1), id.join("~")];
  if (
    version !== "v1" ||
    !Number.isFinite(key[0]) ||
    !Number.isFinite(key[1]) ||
    key[2] === "" ||
    hasControlCharacters(key[2])
  ) {
    throw invalid(
      "not a cursor from this server; pass next_cursor from the previous page unchanged",
    );
  }
  if (fp !== fingerprint(query.filters, query.sort)) {
    throw invalid(
      "it belongs to a search with other filters or sort; repeat the same filters and sort with it, or drop the cursor to start again",
    );
  }
  return key;
}
