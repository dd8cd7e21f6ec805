/**
 * Opens the configured ticket store: the file named by TICKETS_FILE loaded into the
 * indexed in-memory store, or (TICKETS_STORE=postgres) the PostgreSQL store.
 */
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { stat } from "node:fs/promises";
import { MemoryStoreBuilder, MemoryTicketStore } from "../tickets/memoryStore.js";
import { PostgresTicketStore, redactUrl } from "./postgresStore.js";
import { streamTicketsFile } from "./spreadsheet.js";
import {
  dataFileKey,
  readSnapshot,
  snapshotPath,
  writeSnapshot,
  type DataFileKey,
} from "./storeSnapshot.js";

export interface MemoryLoadOptions {
  /** Folder for snapshots of the built store (TICKETS_SNAPSHOT_DIR); none: no snapshot. */
  snapshotDir?: string | undefined;
  /** Files with fewer tickets build in well under a second: no snapshot is written. */
  snapshotMinTickets?: number;
  logger?: Logger;
}

/** Below this many tickets a build is quicker than reading and checking a snapshot. */
export const SNAPSHOT_MIN_TICKETS = 10_000;

/**
 * The file in a compact in-memory store: from its snapshot when one was made from this
 * very file (size, mtime and content hash), else streamed in (its rows are never all
 * objects at once), indexed, and snapshotted for the next start. A snapshot that cannot
 * be written (a read-only folder) costs a warning, not the start.
 */
export async function loadMemoryStore(
  file: string,
  { snapshotDir, snapshotMinTickets = SNAPSHOT_MIN_TICKETS, logger }: MemoryLoadOptions = {},
): Promise<MemoryTicketStore> {
  const started = performance.now();
  const key = snapshotDir ? await dataFileKey(file).catch(() => undefined) : undefined;
  const path = snapshotDir && key ? snapshotPath(snapshotDir, file) : undefined;
  if (path && key) {
    const snapshot = await readSnapshot(path, key);
    if (snapshot.ok) {
      const store = new MemoryTicketStore(snapshot.parts, file);
      const ms = Math.round(performance.now() - started);
      logger?.info(
        { file, snapshot: path, tickets: store.size, ms },
        "tickets loaded from snapshot",
      );
      return store;
    }
    if (!snapshot.missing) {
      logger?.info(
        { file, snapshot: path, reason: snapshot.reason },
        "snapshot not used; rebuilding",
      );
    }
  }
  const builder = new MemoryStoreBuilder();
  for await (const batch of streamTicketsFile(file)) builder.add(batch);
  const store = builder.build(file);
  const ms = Math.round(performance.now() - started);
  logger?.info({ file, tickets: store.size, ms }, "tickets loaded from the file");
  if (path && key && store.size >= snapshotMinTickets) {
    await saveSnapshot(file, path, key, store, logger);
  }
  return store;
}

async function saveSnapshot(
  file: string,
  path: string,
  key: DataFileKey,
  store: MemoryTicketStore,
  logger: Logger | undefined,
): Promise<void> {
  try {
    // Changed while it was read: the store may not be this key's file; snapshot next time.
    const now = await stat(file);
    if (now.size !== key.size || now.mtimeMs !== key.mtimeMs) return;
    const bytes = await writeSnapshot(path, key, store.parts);
    logger?.info({ snapshot: path, bytes }, "snapshot written");
  } catch (error) {
    logger?.warn(
      { snapshot: path, reason: (error as Error).message },
      "cannot write the snapshot (next start rebuilds from the file); set TICKETS_SNAPSHOT_DIR to a writable folder, or off",
    );
  }
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
