/**
 * The PostgreSQL ticket store: the TicketStore interface over a `tickets` table, with
 * search.ts's semantics (postgresQuery.ts) and the same contract tests as the in-memory
 * store.
 *
 * Availability: a bounded pool with connect, idle and statement timeouts. When the
 * database cannot be reached every call fails fast with StoreUnavailableError ("retry
 * shortly"), which the MCP layer returns to the model as a tool error; nothing else needs
 * to happen for recovery, since the pool opens fresh connections once the database is
 * back. A read that fails because a pooled connection died (a database restart) is
 * retried once on a new connection, so callers rarely see a restart at all.
 */
import pg from "pg";
import type { Logger } from "../logger.js";
import { StoreUnavailableError } from "../tickets/errors.js";
import type { GroupField, SearchQuery, TicketFilters } from "../tickets/query.js";
import { decodeCursor, encodeCursor, type SortKey } from "../tickets/search.js";
import type {
  GroupCount,
  SearchResult,
  StatsResult,
  StoreInfo,
  TicketStore,
} from "../tickets/store.js";
import { CATEGORIES, PRIORITIES, STATUSES, type Ticket } from "../tickets/ticket.js";
import {
  MigrationError,
  SCHEMA_NAME,
  latestVersion,
  migrate,
  schemaVersion,
} from "./postgresMigrate.js";
import { getSql, searchSql, statsSql, suggestSql, type Sql } from "./postgresQuery.js";
import { rowToTicket, type TicketRow } from "./postgresRows.js";

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** Where the tables live (default "public"); tests and benchmarks use their own. */
  schema?: string;
  /** Apply pending migrations on first use (default true); else require them applied. */
  migrate?: boolean;
  poolMax?: number;
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
  statementTimeoutMs?: number;
  logger?: Logger;
}

const ENUM_VALUES: Partial<Record<GroupField, readonly string[]>> = {
  status: STATUSES,
  priority: PRIORITIES,
  category: CATEGORIES,
};

/** Error codes that mean "cannot reach the database now", not "this query is wrong". */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "57P01", // admin_shutdown: the server is stopping
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or shutting down
  "53300", // too_many_connections
]);
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connect(ion)? timeout|Client has encountered a connection error|not queryable/i;

function unreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (UNREACHABLE_CODES.has(code) || code.startsWith("08"))) {
    return true;
  }
  return typeof message === "string" && UNREACHABLE_MESSAGES.test(message);
}

/** The URL without its password, for logs and `info()`. */
/** Runs `body` on a one-off connection (admin tasks, the bench), closed however it ends. */
export async function withClient<T>(
  url: string,
  body: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

export class PostgresTicketStore implements TicketStore {
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly statementTimeoutMs: number;
  private readonly migrateOnStart: boolean;
  private readonly logger: Logger | undefined;
  private schemaChecked: Promise<void> | undefined;

  constructor(private readonly options: PostgresStoreOptions) {
    this.schema = options.schema ?? "public";
    if (!SCHEMA_NAME.test(this.schema)) {
      throw new MigrationError(
        `schema ${JSON.stringify(this.schema)}: use lower-case letters, digits and _`,
      );
    }
    this.statementTimeoutMs = options.statementTimeoutMs ?? 5000;
    this.migrateOnStart = options.migrate ?? true;
    this.logger = options.logger;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolMax ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
      idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
      // Server-side: no query holds a connection (or a lock) longer than this.
      statement_timeout: this.statementTimeoutMs,
      idle_in_transaction_session_timeout: 60_000,
      application_name: "mcp-tickets",
      options: `-c search_path=${this.schema},public`,
      keepAlive: true,
    });
    // An idle pooled connection that the server closes (restart, failover) reports
    // here; without a listener it would crash the process. The pool drops it itself.
    this.pool.on("error", (error) => {
      this.logger?.warn({ err: error.message }, "PostgreSQL connection lost; will reconnect");
    });
  }

  /** Is this error "the database cannot be reached" (as opposed to a wrong query)? */
  static isUnreachable(error: unknown): boolean {
    return unreachable(error);
  }

  /**
   * Checks the schema once: applies migrations, or verifies they were applied. Called
   * before every query (a settled promise after the first success); a failure is
   * forgotten so the next call tries again, e.g. once the database is back.
   */
  open(): Promise<void> {
    this.schemaChecked ??= this.checkSchema().catch((error: unknown) => {
      this.schemaChecked = undefined;
      throw error;
    });
    return this.schemaChecked;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const after = decodeCursor(query);
    const rows = await this.query<TicketRow & { total: number }>(searchSql(query, after));
    const total = rows[0]?.total ?? 0;
    const found = rows.filter((row) => row.ticket_id !== null).map(rowToTicket);
    const result: SearchResult = { total, tickets: found.slice(0, query.limit) };
    if (found.length > query.limit) {
      const last = rows[query.limit - 1]!;
      result.nextCursor = encodeCursor(query, this.keyOf(query, last));
    }
    return result;
  }

  async get(ticketId: string): Promise<Ticket | undefined> {
    const rows = await this.query<TicketRow>(getSql(ticketId));
    return rows[0] ? rowToTicket(rows[0]) : undefined;
  }

  async stats(filters: TicketFilters, groupBy: GroupField): Promise<StatsResult> {
    const rows = await this.query<GroupCount>(statsSql(filters, groupBy));
    const counts = new Map<string, number>();
    for (const value of ENUM_VALUES[groupBy] ?? []) counts.set(value, 0);
    let total = 0;
    for (const { value, count } of rows) {
      counts.set(value, count);
      total += count;
    }
    const groups = [...counts].map(([value, count]) => ({ value, count }));
    groups.sort(
      (a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
    );
    return { total, groups };
  }

  async suggestIds(prefix: string, limit: number): Promise<string[]> {
    const rows = await this.query<{ ticket_id: string }>(suggestSql(prefix, limit));
    return rows.map((row) => row.ticket_id);
  }

  async info(): Promise<StoreInfo> {
    const rows = await this.query<{ count: number }>({
      text: "SELECT count(*)::int AS count FROM tickets",
      values: [],
    });
    const where = this.schema === "public" ? "" : ` (schema ${this.schema})`;
    return { source: `${redactUrl(this.options.connectionString)}${where}`, count: rows[0]!.count };
  }

  /** Reachable, and the schema is in place? Never throws: for /readyz. */
  async ready(): Promise<boolean> {
    try {
      await this.open();
      await this.pool.query("SELECT 1");
      return true;
    } catch (err) {
      // /readyz answers "not ready"; the reason belongs in the operator's log.
      this.logger?.warn(
        { reason: err instanceof Error ? err.message : String(err) },
        "database not ready",
      );
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private keyOf(query: SearchQuery, row: TicketRow): SortKey {
    const rank = PRIORITIES.indexOf(row.priority as (typeof PRIORITIES)[number]);
    switch (query.sort) {
      case "priority":
        return [rank, -row.updated_ms, row.ticket_id];
      case "newest":
        return [-row.created_ms, 0, row.ticket_id];
      case "oldest":
        return [row.created_ms, 0, row.ticket_id];
      case "updated":
        return [-row.updated_ms, 0, row.ticket_id];
    }
  }

  private async checkSchema(): Promise<void> {
    const latest = await latestVersion();
    if (this.migrateOnStart) {
      const { from, to, applied } = await migrate(this.pool, this.schema);
      if (applied.length > 0) {
        this.logger?.info({ from, to, applied }, "database schema migrated");
      }
      return;
    }
    const version = await schemaVersion(this.pool);
    if (version < latest) {
      throw new MigrationError(
        `the database schema is at version ${version}, this server needs ${latest}: ` +
          "run npm run db:migrate (or set DATABASE_MIGRATE=true)",
      );
    }
  }

  /** Runs a read, retrying once on a dead pooled connection; maps outages. */
  private async query<R extends object>(sql: Sql): Promise<R[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.open();
        return (await this.pool.query<R>(sql.text, sql.values)).rows;
      } catch (error) {
        if (unreachable(error) && attempt === 1) continue;
        throw this.translate(error);
      }
    }
  }

  private translate(error: unknown): unknown {
    if (unreachable(error)) {
      this.logger?.warn({ err: (error as Error).message }, "ticket store unavailable");
      return new StoreUnavailableError("the ticket database cannot be reached");
    }
    if ((error as { code?: unknown }).code === "57014") {
      return new StoreUnavailableError(
        `the query ran longer than ${this.statementTimeoutMs} ms; narrow it with more filters`,
      );
    }
    return error;
  }
}
