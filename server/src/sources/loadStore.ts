/**
 * Opens the configured ticket store: the file named by TICKETS_FILE loaded into the
 * indexed in-memory store, or (TICKETS_STORE=postgres) the PostgreSQL store.
 */
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { MemoryStoreBuilder, type MemoryTicketStore } from "../tickets/memoryStore.js";
import { PostgresTicketStore, redactUrl } from "./postgresStore.js";
import { streamTicketsFile } from "./spreadsheet.js";

/** The file streamed into a compact in-memory store: its rows are never all objects. */
export async function loadMemoryStore(file: string): Promise<MemoryTicketStore> {
  const builder = new MemoryStoreBuilder();
  for await (const batch of streamTicketsFile(file)) builder.add(batch);
  return builder.build(file);
}

export class StoreOpenError extends Error {
  override readonly name = "StoreOpenError";
}

/**
 * The PostgreSQL store, with its schema checked (migrated unless DATABASE_MIGRATE=false).
 * A database that cannot be reached yet is not fatal: the server starts, says not ready,
 * and serves once the database is up. Anything else (wrong password, no such database,
 * a failed migration) stops start-up with the reason.
 */
export async function openPostgresStore(
  config: Pick<
    Config,
    | "DATABASE_URL"
    | "DATABASE_SCHEMA"
    | "DATABASE_MIGRATE"
    | "DATABASE_POOL_MAX"
    | "DATABASE_CONNECT_TIMEOUT_MS"
    | "DATABASE_IDLE_TIMEOUT_MS"
    | "DATABASE_STATEMENT_TIMEOUT_MS"
  >,
  logger: Logger,
): Promise<PostgresTicketStore> {
  const url = config.DATABASE_URL;
  if (url === undefined) throw new StoreOpenError("TICKETS_STORE=postgres needs DATABASE_URL");
  const store = new PostgresTicketStore({
    connectionString: url,
    schema: config.DATABASE_SCHEMA,
    migrate: config.DATABASE_MIGRATE,
    poolMax: config.DATABASE_POOL_MAX,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: config.DATABASE_IDLE_TIMEOUT_MS,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    logger,
  });
  try {
    await store.open();
    const { count } = await store.info();
    logger.info({ database: redactUrl(url), tickets: count }, "ticket store: PostgreSQL");
  } catch (error) {
    if (PostgresTicketStore.isUnreachable(error)) {
      logger.warn(
        { database: redactUrl(url), err: (error as Error).message },
        "PostgreSQL is not reachable yet; serving as not ready until it is",
      );
      return store;
    }
    await store.close();
    throw new StoreOpenError(`${redactUrl(url)}: ${(error as Error).message}`);
  }
  return store;
}
