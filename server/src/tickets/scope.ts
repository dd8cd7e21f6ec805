/**
 * Per-user scoping, enforced in the domain: a store seen through `scopeToUser` answers
 * every query as if the other users' tickets did not exist. Search and stats get a
 * filter the caller cannot remove (ANDed with whatever user_id they asked for), a
 * foreign ticket is simply not found (no existence leak), and id completion offers
 * only the user's own ids.
 */
import type { GroupField, SearchQuery, TicketFilters } from "./query.js";
import type { CallOptions, SearchResult, StatsResult, StoreInfo, TicketStore } from "./store.js";
import type { Ticket } from "./ticket.js";

/** Enough for any one customer's ids; completion shows a handful anyway. */
const COMPLETION_SCAN = 100;

export function scopeToUser(store: TicketStore, userId: string): TicketStore {
  const owner = userId.trim().toLowerCase();
  const scoped = (filters: TicketFilters): TicketFilters => ({ ...filters, scopeUserId: owner });
  return {
    search: (query: SearchQuery, options?: CallOptions): Promise<SearchResult> =>
      store.search({ ...query, filters: scoped(query.filters) }, options),
    get: async (ticketId: string): Promise<Ticket | undefined> => {
      const ticket = await store.get(ticketId);
      return ticket && ticket.user_id.toLowerCase() === owner ? ticket : undefined;
    },
    stats: (
      filters: TicketFilters,
      groupBy: GroupField,
      options?: CallOptions,
    ): Promise<StatsResult> => store.stats(scoped(filters), groupBy, options),
    suggestIds: async (prefix: string, limit: number): Promise<string[]> => {
      const p = prefix.trim().toLowerCase();
      const { tickets } = await store.search({
        filters: scoped({}),
        sort: "oldest",
        limit: COMPLETION_SCAN,
      });
      return tickets
        .map((t) => t.ticket_id)
        .filter((id) => id.toLowerCase().startsWith(p))
        .sort()
        .slice(0, limit);
    },
    info: async (): Promise<StoreInfo> => {
      const { source } = await store.info();
      const { total } = await store.stats(scoped({}), "status");
      return { source, count: total };
    },
    ...(store.ready ? { ready: () => store.ready!() } : {}),
  };
}
