/**
 * search.ts's rules as SQL: the same filters, the same total order, the same cursor.
 * Every value travels as a parameter; identifiers come from fixed tables below, never
 * from input.
 */
import { InvalidQueryError } from "../tickets/errors.js";
import type { GroupField, SearchQuery, SortOrder, TicketFilters } from "../tickets/query.js";
import type { SortKey } from "../tickets/search.js";
import { PRIORITIES } from "../tickets/ticket.js";
import { READ_COLUMNS, READ_NAMES } from "./postgresRows.js";

export interface Sql {
  text: string;
  values: unknown[];
}

/**
 * Each sort order's key as SQL expressions, matching `sortKey` element by element and
 * the indexes of migrations/002 column by column; all ascending (descending dates are
 * negated), so "next page" is one row comparison the index can range-scan.
 */
const SORT_KEYS: Record<SortOrder, { key0: string; key1?: string }> = {
  priority: { key0: "priority_rank", key1: "(-updated_ms)" },
  newest: { key0: "(-created_ms)" },
  oldest: { key0: "created_ms" },
  updated: { key0: "(-updated_ms)" },
};

const GROUP_COLUMNS: Record<GroupField, string> = {
  status: "status",
  priority: "priority",
  category: "category",
  assigned_to: "assigned_to",
  user_id: "user_id",
};

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The term as a LIKE pattern that matches it literally anywhere ("50%" finds "50%"). */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, "\\$&")}%`;
}

/** `WHERE ...` for the filters ("" when there are none). */
function where(filters: TicketFilters, params: Params): string {
  const conditions: string[] = [];
  const anyOf = (column: string, values: readonly string[] | undefined) => {
    if (values === undefined) return;
    conditions.push(
      values.length === 1
        ? `${column} = ${params.add(values[0])}`
        : `${column} = ANY(${params.add(values)}::text[])`,
    );
  };
  const key = (value: string | undefined) =>
    value === undefined ? undefined : [value.toLowerCase()];
  anyOf("user_key", key(filters.userId));
  anyOf("user_key", key(filters.scopeUserId));
  anyOf("assignee_key", key(filters.assignedTo));
  anyOf("status", filters.statuses);
  // By rank, not name: the composite indexes (status, priority_rank, category) then
  // answer status/priority/category counts from the index alone.
  if (filters.priorities !== undefined) {
    const ranks = filters.priorities.map((p) => PRIORITIES.indexOf(p));
    conditions.push(
      ranks.length === 1
        ? `priority_rank = ${params.add(ranks[0])}::smallint`
        : `priority_rank = ANY(${params.add(ranks)}::smallint[])`,
    );
  }
  anyOf("category", filters.categories);
  const range = (column: string, op: string, ms: number | undefined) => {
    if (ms !== undefined) conditions.push(`${column} ${op} ${params.add(ms)}::bigint`);
  };
  range("created_ms", ">=", filters.createdFrom);
  range("created_ms", "<", filters.createdTo);
  range("updated_ms", ">=", filters.updatedFrom);
  range("updated_ms", "<", filters.updatedTo);
  for (const term of filters.keywordTerms ?? []) {
    conditions.push(`search_text LIKE ${params.add(containsPattern(term))}`);
  }
  return conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
}

/**
 * One statement for a page and the total (counted up to `countLimit`): a consistent
 * snapshot, one round trip, one pooled connection. Returns one row per ticket on the
 * page (`total` on each), or one row with null ticket columns when the page is empty.
 *
 * The matches are collected once, up to the limit (`m`). Fewer than the limit: that is
 * every match, counted and sorted right there, so a rare keyword costs one index scan,
 * not two. The limit reached: the page comes from walking the sort order's index,
 * which stops after a page however many tickets match (a one-time filter in the plan
 * skips whichever branch does not apply).
 */
export function searchSql(query: SearchQuery, after: SortKey | undefined, countLimit: number): Sql {
  const params = new Params();
  const filter = where(query.filters, params);
  const { key0, key1 } = SORT_KEYS[query.sort];
  const keys = key1 ? [key0, key1, "ticket_id"] : [key0, "ticket_id"];
  let cursor = "";
  if (after !== undefined) {
    const [k0, k1, id] = after;
    // Cursor keys are whole numbers (a priority rank and ms); a hand-made one may not be,
    // and must fail as a bad cursor, not as an SQL cast error.
    const rankOk = !key1 || (k0 >= -32768 && k0 <= 32767);
    if (!Number.isSafeInteger(k0) || !Number.isSafeInteger(k1) || !rankOk) {
      throw new InvalidQueryError(
        "cursor",
        query.cursor,
        "not a cursor from this server; pass next_cursor from the previous page unchanged",
      );
    }
    const bound = key1
      ? `(${params.add(k0)}::smallint, ${params.add(k1)}::bigint, ${params.add(id)}::text)`
      : `(${params.add(k0)}::bigint, ${params.add(id)}::text)`;
    cursor = `(${keys.join(", ")}) > ${bound}`;
  }
  const limit = params.add(query.limit + 1); // one extra tells whether a next page exists
  const bound = params.add(countLimit);
  const and = (...conditions: string[]) => {
    const all = conditions.filter((c) => c !== "");
    return all.length > 0 ? `WHERE ${all.join(" AND ")}` : "";
  };
  const order = `ORDER BY ${keys.join(", ")} LIMIT ${limit}`;
  return {
    text:
      `WITH m AS MATERIALIZED (SELECT ${READ_COLUMNS}, priority_rank FROM tickets ${filter} ` +
      `LIMIT ${bound}), c AS (SELECT count(*)::int AS total FROM m) ` +
      `SELECT c.total, t.* FROM c LEFT JOIN LATERAL (` +
      `(SELECT ${READ_NAMES} FROM m ${and(`c.total < ${bound}`, cursor)} ${order}) UNION ALL ` +
      `(SELECT ${READ_COLUMNS} FROM tickets ` +
      `${and(filter.replace(/^WHERE /, ""), `c.total >= ${bound}`, cursor)} ${order})` +
      `) AS t ON true`,
    values: params.values,
  };
}

export function statsSql(filters: TicketFilters, groupBy: GroupField): Sql {
  const params = new Params();
  const column = GROUP_COLUMNS[groupBy];
  return {
    text: `SELECT ${column} AS value, count(*)::int AS count FROM tickets ${where(filters, params)} GROUP BY ${column}`,
    values: params.values,
  };
}

/** The ticket with this id in any case, the exact spelling first (as the memory store). */
export function getSql(ticketId: string): Sql {
  const exact = ticketId.trim();
  return {
    text:
      `SELECT ${READ_COLUMNS} FROM tickets WHERE id_key = $1 ` +
      "ORDER BY ticket_id = $2 DESC, ticket_id LIMIT 1",
    values: [exact.toLowerCase(), exact],
  };
}

export function suggestSql(prefix: string, limit: number): Sql {
  const pattern = `${prefix
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, "\\$&")}%`;
  return {
    text: "SELECT ticket_id FROM tickets WHERE id_key LIKE $1 ORDER BY id_key, ticket_id LIMIT $2",
    values: [pattern, limit],
  };
}
