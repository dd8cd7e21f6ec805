/**
 * Loads tickets into the tickets table: multi-row upserts of a few thousand rows each
 * (one parameter per column: unnest() of arrays, so a batch is one statement whatever its
 * size), all in one transaction, so an import lands whole or not at all.
 *
 * Idempotent on ticket_id: a new id is inserted, a changed ticket updated, an unchanged
 * one left alone (no dead row), so importing the same file twice changes nothing.
 */
import type pg from "pg";
import type { Ticket } from "../tickets/ticket.js";
import { WRITE_COLUMNS, rowValues, type WriteColumn } from "./postgresRows.js";

export interface ImportResult {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  ms: number;
}

export interface ImportOptions {
  /** Rows per statement. */
  batchSize?: number;
  /** Called after each batch with the tickets written so far. */
  onProgress?: (done: number, total: number) => void;
  /** VACUUM ANALYZE after the commit (default true). */
  vacuum?: boolean;
}

const SEED_COLUMNS = WRITE_COLUMNS.slice(0, 10).map(([name]) => name);

const UPSERT =
  `WITH up AS (INSERT INTO tickets (${WRITE_COLUMNS.map(([name]) => name).join(", ")}) ` +
  `SELECT * FROM unnest(${WRITE_COLUMNS.map(([, type], k) => `$${k + 1}::${type}[]`).join(", ")}) ` +
  "ON CONFLICT (ticket_id) DO UPDATE SET " +
  WRITE_COLUMNS.slice(1)
    .map(([name]) => `${name} = EXCLUDED.${name}`)
    .join(", ") +
  ` WHERE (${SEED_COLUMNS.map((c) => `tickets.${c}`).join(", ")}) IS DISTINCT FROM ` +
  `(${SEED_COLUMNS.map((c) => `EXCLUDED.${c}`).join(", ")}) ` +
  // xmax = 0 on a row version this statement inserted (rather than updated).
  "RETURNING (xmax = 0) AS inserted) " +
  "SELECT count(*) FILTER (WHERE inserted)::int AS inserted, " +
  "count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up";

/** From this many tickets on, a first load builds the indexes after the rows. */
const BULK_LOAD_ROWS = 20_000;

/**
 * Into an empty table, building each index once at the end is several times faster than
 * updating it row by row (the trigram index above all). Drops the indexes other than the
 * primary key (which the upsert needs) and returns their definitions to run after the
 * load; inside the transaction, so a failed import leaves them as they were. Readers of
 * an empty table wait for the commit, which costs them nothing they could have found.
 */
async function dropIndexesIfEmpty(client: pg.PoolClient): Promise<{ definition: string }[]> {
  const { rows: empty } = await client.query<{ empty: boolean }>(
    "SELECT NOT EXISTS (SELECT 1 FROM tickets) AS empty",
  );
  if (!empty[0]!.empty) return [];
  const { rows } = await client.query<{ name: string; definition: string }>(
    "SELECT indexname AS name, indexdef AS definition FROM pg_indexes " +
      "WHERE schemaname = current_schema() AND tablename = 'tickets' AND indexname NOT IN " +
      "(SELECT conname FROM pg_constraint WHERE conrelid = 'tickets'::regclass)",
  );
  for (const { name } of rows) await client.query(`DROP INDEX "${name.replaceAll('"', '""')}"`);
  return rows;
}

/** Upserts `tickets` (valid, unique ids) in one transaction; the schema must exist. */
export async function importTickets(
  pool: pg.Pool,
  tickets: readonly Ticket[],
  { batchSize = 2000, onProgress, vacuum = true }: ImportOptions = {},
): Promise<ImportResult> {
  const started = performance.now();
  const client = await pool.connect();
  let inserted = 0;
  let updated = 0;
  try {
    await client.query("BEGIN");
    // A bulk load is allowed to take its time; the pool's limit is for searches.
    await client.query("SET LOCAL statement_timeout = 0");
    await client.query("SET LOCAL maintenance_work_mem = '256MB'");
    const deferred = tickets.length >= BULK_LOAD_ROWS ? await dropIndexesIfEmpty(client) : [];
    for (let at = 0; at < tickets.length; at += batchSize) {
      const columns = new Map<WriteColumn, (string | number)[]>(
        WRITE_COLUMNS.map(([name]) => [name, []]),
      );
      for (const ticket of tickets.slice(at, at + batchSize)) {
        const row = rowValues(ticket);
        for (const [name, values] of columns) values.push(row[name]);
      }
      const { rows } = await client.query<{ inserted: number; updated: number }>(UPSERT, [
        ...columns.values(),
      ]);
      inserted += rows[0]!.inserted;
      updated += rows[0]!.updated;
      onProgress?.(Math.min(at + batchSize, tickets.length), tickets.length);
    }
    for (const { definition } of deferred) await client.query(definition);
    // Fresh statistics, so the planner picks the indexes for the new data at once.
    await client.query("ANALYZE tickets");
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
    throw error;
  }
  try {
    // After the commit (VACUUM cannot run in a transaction): marks the new rows visible
    // to all, so counts come from the indexes alone (index-only scans). This connection
    // lifts its statement timeout for it, so it is closed rather than pooled afterwards.
    if (vacuum) {
      await client.query("SET statement_timeout = 0");
      await client.query("VACUUM (ANALYZE) tickets");
    }
  } finally {
    client.release(vacuum);
  }
  const read = tickets.length;
  const ms = Math.round(performance.now() - started);
  return { read, inserted, updated, unchanged: read - inserted - updated, ms };
}
