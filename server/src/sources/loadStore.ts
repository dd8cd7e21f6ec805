/**
 * Opens the configured ticket store: the file named by TICKETS_FILE loaded into the
 * indexed in-memory store, or (TICKETS_STORE=postgres) the PostgreSQL store.
 */
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  MemoryStoreBuilder,
  MemoryTicketStore,
  type MemoryStoreParts,
  type StoreRows,
} from "../tickets/memoryStore.js";
import { PostgresTicketStore, redactUrl } from "./postgresStore.js";
import { streamTicketsFile, ticketFileFormat } from "./spreadsheet.js";
import type { BuildReply, BuildRequest } from "./storeBuildWorker.js";
import { TicketFileError } from "./ticketFileError.js";
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
  /** Files this large or larger are read in a worker thread (smaller: in this one). */
  workerMinBytes?: number;
  logger?: Logger;
}

/** A worker costs ~0.1 s to start: below this size, reading in this thread is quicker. */
export const WORKER_MIN_BYTES = 8 << 20;

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
  {
    snapshotDir,
    snapshotMinTickets = SNAPSHOT_MIN_TICKETS,
    workerMinBytes = WORKER_MIN_BYTES,
    logger,
  }: MemoryLoadOptions = {},
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
  const size = await stat(file).then(
    (info) => info.size,
    () => 0, // missing or unreadable: the read below says so in its own words
  );
  const inWorker = size >= workerMinBytes;
  const store = new MemoryTicketStore(await buildParts(file, inWorker, logger), file);
  const ms = Math.round(performance.now() - started);
  logger?.info({ file, tickets: store.size, ms }, "tickets loaded from the file");
  if (path && key && store.size >= snapshotMinTickets) {
    await saveSnapshot(file, path, key, store, logger);
  }
  return store;
}

/**
 * The build worker: storeBuildWorker.ts beside this file when run from source (tsx),
 * dist/store-build-worker.js in the build (scripts/build.mjs bundles it as an entry).
 */
const WORKER = import.meta.url.endsWith(".ts")
  ? new URL("./storeBuildWorker.ts", import.meta.url)
  : new URL("./store-build-worker.js", import.meta.url);
/**
 * The worker's heap caps for streamed formats (CSV, JSON lines): it holds a batch of rows,
 * the vocabulary and the distinct values, so a small heap suffices, and a capped heap is
 * collected instead of grown (at 1M tickets: peak RSS 1.4x the file instead of 1.9x).
 * Workbooks are parsed whole and get no cap.
 */
const WORKER_HEAP_MB = 128;
const WORKER_YOUNG_MB = 32;

/** The file's store parts, read in a worker thread if asked (here if none can start). */
async function buildParts(
  file: string,
  inWorker: boolean,
  logger: Logger | undefined,
): Promise<MemoryStoreParts> {
  if (inWorker && existsSync(fileURLToPath(WORKER))) {
    try {
      return MemoryStoreBuilder.order(await buildInWorker(file));
    } catch (error) {
      if (error instanceof TicketFileError) throw error;
      logger?.warn(
        { file, reason: (error as Error).message },
        "the build worker failed; building in the main thread",
      );
    }
  }
  const builder = new MemoryStoreBuilder();
  for await (const batch of streamTicketsFile(file)) builder.add(batch);
  return builder.finish();
}

function buildInWorker(file: string): Promise<StoreRows> {
  let streamed = false;
  try {
    const format = ticketFileFormat(file);
    streamed = format === "csv" || format === "jsonl";
  } catch {
    // an unsupported extension: the worker reports it as the file error it is
  }
  // From source, the worker registers tsx first (a worker does not inherit its hooks).
  const fromSource = WORKER.pathname.endsWith(".ts");
  const entry = fromSource
    ? `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})` +
      `.then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); });`
    : WORKER;
  const worker = new Worker(entry, {
    eval: fromSource,
    workerData: { file } satisfies BuildRequest,
    ...(streamed
      ? {
          resourceLimits: {
            maxOldGenerationSizeMb: WORKER_HEAP_MB,
            maxYoungGenerationSizeMb: WORKER_YOUNG_MB,
          },
        }
      : {}),
  });
  return new Promise<StoreRows>((resolve, reject) => {
    const exited = (code: number) => reject(new Error(`the build worker exited with code ${code}`));
    worker.once("error", reject);
    worker.once("exit", exited);
    worker.once("message", (reply: BuildReply) => {
      // Ended before going on, so its heap is given back before the store is used.
      worker.off("exit", exited);
      const done = worker.terminate();
      if (reply.ok) void done.then(() => resolve(reply.rows), reject);
      else if (reply.error.problem && reply.error.file !== undefined) {
        const { problem, file: path, message, details } = reply.error;
        reject(new TicketFileError(problem, path, message, details));
      } else reject(new Error(reply.error.message));
    });
  });
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
