/**
 * The PostgreSQL ticket store: the TicketStore interface over a `tickets` table, with
 * search.ts's semantics (postgresQuery.ts) and the same contract tests as the in-memory
 * store.
 *
 * Availability: a bounded pool with connect, idle and statement timeouts. Each call has
 * one deadline (DATABASE_STATEMENT_TIMEOUT_MS) that covers waiting for a pooled
 * connection and running the query. When the database cannot serve (postgresErrors.ts
 * says which failures those are) every call fails with StoreUnavailableError ("retry
 * shortly"), which the MCP layer returns to the model as a tool error, and the log says
 * once that the outage began and once that it ended. Recovery needs nothing: the pool
 * opens fresh connections once the database is back. A read that fails because a pooled
 * connection died (a database restart) is retried once on a new connection, within the
 * same deadline, so callers rarely see a restart at all.
 */
import pg from "pg";
import type { Logger } from "../logger.js";
import { StoreUnavailableError } from "../tickets/errors.js";
import {
  COUNT_LIMIT,
  checkCountLimit,
  type GroupField,
  type SearchQuery,
  type TicketFilters,
} from "../tickets/query.js";
import { decodeCursor, encodeCursor, type SortKey } from "../tickets/search.js";
import type {
  CallOptions,
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
import { OutageLog, classify, type Failure } from "./postgresErrors.js";
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
  /** Search totals are exact below this, "at least" it beyond (default COUNT_LIMIT). */
  countLimit?: number;
  logger?: Logger;
}

const ENUM_VALUES: Partial<Record<GroupField, readonly string[]>> = {
  status: STATUSES,
  priority: PRIORITIES,
  category: CATEGORIES,
};

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

/** The URL without its password, for logs and `info()`. */
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
  private readonly countLimit: number;
  private readonly migrateOnStart: boolean;
  private readonly logger: Logger | undefined;
  private schemaChecked: Promise<void> | undefined;
  private readonly outage: OutageLog;

  constructor(private readonly options: PostgresStoreOptions) {
    this.schema = options.schema ?? "public";
    if (!SCHEMA_NAME.test(this.schema)) {
      throw new MigrationError(
        `schema ${JSON.stringify(this.schema)}: use lower-case letters, digits and _`,
      );
    }
    this.statementTimeoutMs = options.statementTimeoutMs ?? 5000;
    this.countLimit = checkCountLimit(options.countLimit ?? COUNT_LIMIT);
    this.migrateOnStart = options.migrate ?? true;
    this.logger = options.logger;
    this.outage = new OutageLog(options.logger);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolMax ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
      idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
      // Server-side: no query holds a connection longer than this, nor waits for a
      // lock longer than most of it (a locked table is "busy", not "narrow your query").
      statement_timeout: this.statementTimeoutMs,
      lock_timeout: lockTimeout(this.statementTimeoutMs),
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

  /** Is this error "the database cannot serve now" (as opposed to a wrong query)? */
  static isUnreachable(error: unknown): boolean {
    return error instanceof StoreUnavailableError || classify(error) === "down";
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

  async search(query: SearchQuery, options?: CallOptions): Promise<SearchResult> {
    const after = decodeCursor(query);
    const rows = await this.query<TicketRow & { total: number }>(
      searchSql(query, after, this.countLimit),
      options?.signal,
    );
    const total = rows[0]?.total ?? 0;
    const found = rows.filter((row) => row.ticket_id !== null).map(rowToTicket);
    const result: SearchResult = {
      total,
      totalExact: total < this.countLimit,
      tickets: found.slice(0, query.limit),
    };
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

  async stats(
    filters: TicketFilters,
    groupBy: GroupField,
    options?: CallOptions,
  ): Promise<StatsResult> {
    const rows = await this.query<GroupCount>(statsSql(filters, groupBy), options?.signal);
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
      this.outage.succeeded();
      return true;
    } catch (err) {
      // /readyz answers "not ready"; the outage log tells the operator why, once.
      if (classify(err) === "down") this.outage.failed(err);
      else this.logger?.warn({ reason: (err as Error).message }, "database not ready");
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

  /**
   * Runs a read within one deadline: waiting for a pooled connection and running the
   * query share DATABASE_STATEMENT_TIMEOUT_MS. A dead pooled connection is retried once,
   * inside the same deadline. Failures become StoreUnavailableError saying what happened.
   *
   * `signal` (the caller gave up): while waiting for a connection, the wait ends; while
   * the query runs, the server is asked to cancel it (from a connection of its own, so a
   * full pool cannot delay that), and the call rejects with the signal's reason once the
   * query has stopped. That connection is then closed rather than pooled, so a cancel
   * that arrives late can never hit the next caller's query.
   */
  private async query<R extends object>(sql: Sql, signal?: AbortSignal): Promise<R[]> {
    signal?.throwIfAborted();
    const budget = this.statementTimeoutMs;
    const deadline = performance.now() + budget;
    let firstFailure: Failure | undefined;
    for (let attempt = 1; ; attempt++) {
      let ranFor = 0;
      try {
        await within(this.open(), deadline - performance.now(), signal);
        const client = await acquire(this.pool, deadline - performance.now(), signal);
        const started = performance.now();
        let cancelled: Promise<void> | undefined;
        const cancel = () => {
          cancelled = this.cancelBackend((client as unknown as { processID: number }).processID);
        };
        signal?.addEventListener("abort", cancel, { once: true });
        // A checked-out client whose connection dies also emits "error" (the pool only
        // listens while the client is idle); unheard, that would end the process. The
        // query itself rejects too, and that is what the call answers.
        const lost = () => {};
        client.on("error", lost);
        try {
          const rows = await runWithin(client, sql, Math.floor(deadline - started), budget);
          signal?.throwIfAborted();
          this.outage.succeeded();
          return rows as R[];
        } finally {
          signal?.removeEventListener("abort", cancel);
          client.off("error", lost);
          ranFor = performance.now() - started;
          await cancelled;
          client.release(cancelled !== undefined);
        }
      } catch (error) {
        signal?.throwIfAborted();
        let failure = error instanceof PoolBusyError ? "busy" : classify(error);
        if (failure === "down" && attempt === 1 && deadline - performance.now() > 100) {
          firstFailure = failure;
          continue;
        }
        // A retry after the database went away that then runs out of time is the same
        // outage, not a busy store: say so, and log it as one.
        if (firstFailure === "down" && failure !== undefined) failure = "down";
        throw this.translate(error, failure, ranFor, budget);
      }
    }
  }

  /** Asks the server to cancel what backend `pid` runs; never throws (best effort). */
  private async cancelBackend(pid: number): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 3000,
      application_name: "mcp-tickets-cancel",
    });
    try {
      await client.connect();
      await client.query("SELECT pg_cancel_backend($1)", [pid]);
    } catch (error) {
      this.logger?.warn({ err: (error as Error).message, pid }, "could not cancel a query");
    } finally {
      await client.end().catch(() => {});
    }
  }

  private translate(
    error: unknown,
    failure: ReturnType<typeof classify>,
    ranFor: number,
    budget: number,
  ): unknown {
    switch (failure) {
      case "down":
        this.outage.failed(error);
        return new StoreUnavailableError("the ticket database cannot serve requests right now");
      case "busy":
        return new StoreUnavailableError(
          error instanceof PoolBusyError
            ? "the ticket database is busy: every connection is in use"
            : "the ticket database is busy: the tickets table is locked (an import or maintenance)",
        );
      case "timeout":
        // Most of the budget spent waiting means the store was busy, not the query heavy.
        return new StoreUnavailableError(
          ranFor >= budget / 2
            ? `the query ran longer than ${budget} ms; narrow it with more filters`
            : `the ticket database is busy: the call waited most of its ${budget} ms for a connection`,
        );
      default:
        return error;
    }
  }
}

/** lock_timeout for a statement budget: most of it, so a lock wait ends before it. */
function lockTimeout(budgetMs: number): number {
  return Math.max(1, Math.floor(budgetMs * 0.8));
}

/** Every pooled connection was in use for as long as the call could wait. */
class PoolBusyError extends Error {
  override readonly name = "PoolBusyError";
}

/** The database did not answer in time while a connection was being opened. */
class ConnectTimeoutError extends Error {
  override readonly name = "ConnectTimeoutError";
  readonly code = "ETIMEDOUT";
}

/**
 * `work` within `waitMs`, or ConnectTimeoutError (the schema check is the first thing a
 * call sends, so a database that does not answer shows up here); or the signal's reason.
 */
async function within<T>(work: Promise<T>, waitMs: number, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    const fail = () => reject(new ConnectTimeoutError("the database did not answer in time"));
    if (waitMs <= 0) fail();
    else timer = setTimeout(fail, waitMs);
    onAbort = () => reject(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    work.catch(() => {});
  }
}

/**
 * A pooled connection within `waitMs`, or PoolBusyError; or the signal's reason when it
 * aborts first. A connection that comes too late is released.
 */
async function acquire(
  pool: pg.Pool,
  waitMs: number,
  signal?: AbortSignal,
): Promise<pg.PoolClient> {
  if (waitMs <= 0) throw new PoolBusyError("no time left to wait for a connection");
  // Busy only when every connection the pool may open is taken; otherwise the wait is
  // for a new connection, and one that does not come means the database is not answering.
  const full = pool.totalCount >= (pool.options.max ?? 10) && pool.idleCount === 0;
  const connecting = pool.connect().catch((error: unknown) => {
    // pg-pool's own queue timeout: the pool was full for connectTimeoutMs.
    if (error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message)) {
      throw new PoolBusyError(error.message);
    }
    throw error;
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          full
            ? new PoolBusyError("no connection was free in time")
            : new ConnectTimeoutError("the database did not answer in time"),
        ),
      waitMs,
    );
    onAbort = () => reject(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  let won = false;
  try {
    const client = await Promise.race([connecting, timeout]);
    won = true;
    return client;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    if (!won) connecting.then((c) => c.release()).catch(() => {});
  }
}

/**
 * Runs `sql` on `client` with what is left of the deadline. Only when the wait took a
 * noticeable part of it are the session's timeouts lowered for this one query (and put
 * back after), so the common case costs no extra round trip.
 */
async function runWithin(
  client: pg.PoolClient,
  sql: Sql,
  remainingMs: number,
  budgetMs: number,
): Promise<object[]> {
  if (remainingMs >= budgetMs - 50) return (await client.query(sql.text, sql.values)).rows;
  const ms = Math.max(1, remainingMs);
  await client.query(`SET statement_timeout = ${ms}; SET lock_timeout = ${lockTimeout(ms)}`);
  try {
    return (await client.query(sql.text, sql.values)).rows;
  } finally {
    // Fails only on a dead connection, which the pool discards on release anyway.
    await client.query("RESET statement_timeout; RESET lock_timeout").catch(() => undefined);
  }
}
